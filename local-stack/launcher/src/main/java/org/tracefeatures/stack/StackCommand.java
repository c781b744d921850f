package org.tracefeatures.stack;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code stack up|down|status}: the local Kafka broker and Elasticsearch node. */
@Command(
        name = "stack",
        mixinStandardHelpOptions = true,
        description = "Runs a local Kafka broker and Elasticsearch node as background processes.",
        subcommands = {StackCommand.Up.class, StackCommand.Down.class, StackCommand.Status.class})
public final class StackCommand implements Runnable {

    /** Exit code of {@code status} when a server is stopped or unhealthy, as for an LSB init script. */
    public static final int NOT_RUNNING = 3;

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "name a subcommand: up, down or status");
    }

    static final class DataDirOption {
        @Option(
                names = "--data-dir",
                paramLabel = "DIR",
                description = "Where the servers keep their data, logs and pid files "
                        + "(default: <home>/.tracefeatures/stack).")
        Path dataDir;

        LocalStackConfig.Builder applyTo(LocalStackConfig.Builder builder) {
            return dataDir == null ? builder : builder.dataDir(dataDir);
        }
    }

    static final class PortOptions {
        @Option(
                names = "--kafka-port",
                paramLabel = "PORT",
                defaultValue = "" + LocalStackConfig.DEFAULT_KAFKA_PORT,
                description = "Kafka listener port on 127.0.0.1 (default: ${DEFAULT-VALUE}).")
        int kafkaPort;

        @Option(
                names = "--kafka-controller-port",
                paramLabel = "PORT",
                defaultValue = "" + LocalStackConfig.DEFAULT_KAFKA_CONTROLLER_PORT,
                description = "Kafka controller port on 127.0.0.1 (default: ${DEFAULT-VALUE}).")
        int kafkaControllerPort;

        @Option(
                names = "--elasticsearch-port",
                paramLabel = "PORT",
                defaultValue = "" + LocalStackConfig.DEFAULT_ELASTICSEARCH_HTTP_PORT,
                description = "Elasticsearch HTTP port on 127.0.0.1 (default: ${DEFAULT-VALUE}).")
        int elasticsearchHttpPort;

        @Option(
                names = "--elasticsearch-transport-port",
                paramLabel = "PORT",
                defaultValue = "" + LocalStackConfig.DEFAULT_ELASTICSEARCH_TRANSPORT_PORT,
                description = "Elasticsearch transport port on 127.0.0.1 (default: ${DEFAULT-VALUE}).")
        int elasticsearchTransportPort;

        LocalStackConfig.Builder applyTo(LocalStackConfig.Builder builder) {
            return builder.kafkaPort(kafkaPort)
                    .kafkaControllerPort(kafkaControllerPort)
                    .elasticsearchHttpPort(elasticsearchHttpPort)
                    .elasticsearchTransportPort(elasticsearchTransportPort);
        }
    }

    /**
     * Turns a failure into its message and exit code 1: the messages say what to do, a stack trace would not.
     * Shared with the CLI's cluster command.
     */
    public static int reportingFailure(CommandSpec spec, Callable<Integer> action) throws Exception {
        try {
            return action.call();
        } catch (LocalStackException | IllegalArgumentException e) {
            spec.commandLine().getErr().println("error: " + e.getMessage());
            return 1;
        }
    }

    @Command(
            name = "up",
            mixinStandardHelpOptions = true,
            description = {
                "Starts the Kafka broker and the Elasticsearch node unless they run, waits until both "
                        + "answer, creates the span topic and installs the index templates.",
                "Prints where the data and the logs are. Harmless when the stack is already up."
            })
    static final class Up implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        DataDirOption dataDir;

        @Mixin
        PortOptions ports;

        @Option(
                names = "--partitions",
                paramLabel = "N",
                defaultValue = "" + LocalStackConfig.DEFAULT_PARTITIONS,
                description = "Partitions of the topic " + LocalStackConfig.DEFAULT_TOPIC
                        + " when it is created (default: ${DEFAULT-VALUE}).")
        int partitions;

        @Option(
                names = "--templates-dir",
                paramLabel = "DIR",
                description = "Directory of the index templates to install, one <name>.json each "
                        + "(default: <home>/sql/index-templates).")
        Path templatesDir;

        @Option(
                names = "--timeout",
                paramLabel = "SECONDS",
                defaultValue = "" + LocalStackConfig.DEFAULT_START_TIMEOUT_SECONDS,
                description = "How long to wait for each server to answer (default: ${DEFAULT-VALUE}).")
        int timeoutSeconds;

        LocalStackConfig config() {
            LocalStackConfig.Builder builder = ports.applyTo(dataDir.applyTo(LocalStackConfig.builder()))
                    .partitions(partitions)
                    .startTimeout(Duration.ofSeconds(timeoutSeconds));
            return (templatesDir == null ? builder : builder.templatesDir(templatesDir)).build();
        }

        @Override
        public Integer call() throws Exception {
            return reportingFailure(spec, () -> {
                new LocalStack(config(), spec.commandLine().getOut()).up();
                return 0;
            });
        }
    }

    @Command(
            name = "down",
            mixinStandardHelpOptions = true,
            description = "Stops the Kafka broker and the Elasticsearch node: gracefully, then forcibly after 30 s.")
    static final class Down implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        DataDirOption dataDir;

        @Option(names = "--wipe", description = "Also delete the data directory: topics, indices and logs.")
        boolean wipe;

        LocalStackConfig config() {
            return dataDir.applyTo(LocalStackConfig.builder()).build();
        }

        @Override
        public Integer call() throws Exception {
            return reportingFailure(spec, () -> {
                new LocalStack(config(), spec.commandLine().getOut()).down(wipe);
                return 0;
            });
        }
    }

    @Command(
            name = "status",
            mixinStandardHelpOptions = true,
            description = {
                "Shows whether each server is running and answering.",
                "Exits with 0 when both answer, with " + NOT_RUNNING + " otherwise."
            })
    static final class Status implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        DataDirOption dataDir;

        @Mixin
        PortOptions ports;

        LocalStackConfig config() {
            return ports.applyTo(dataDir.applyTo(LocalStackConfig.builder())).build();
        }

        @Override
        public Integer call() throws Exception {
            return reportingFailure(spec, () -> {
                StackStatus status = new LocalStack(config(), spec.commandLine().getOut()).status();
                for (ServerStatus server : status.servers()) {
                    spec.commandLine().getOut().println(describe(server));
                }
                return status.isHealthy() ? 0 : NOT_RUNNING;
            });
        }

        static String describe(ServerStatus server) {
            if (!server.running()) {
                return String.format("%-14s stopped", server.name());
            }
            return String.format(
                    "%-14s running  pid %-8d port %-6d %-9s log %s",
                    server.name(),
                    server.pid().orElseThrow(),
                    server.port(),
                    server.healthy() ? "healthy" : "unhealthy",
                    server.logFile());
        }
    }
}
