package org.tracefeatures.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.tracefeatures.stack.FlinkCluster;
import org.tracefeatures.stack.FlinkClusterConfig;
import org.tracefeatures.stack.FlinkClusterStatus;
import org.tracefeatures.stack.LocalStackConfig;
import org.tracefeatures.stack.ServerStatus;
import org.tracefeatures.stack.StackCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code cluster up|down|status|stop-job}: a Flink standalone session cluster on this machine. */
@Command(
        name = "cluster",
        mixinStandardHelpOptions = true,
        description =
                "Runs a Flink standalone session cluster (a JobManager and TaskManagers) as background processes.",
        subcommands = {
            ClusterCommand.Up.class,
            ClusterCommand.Down.class,
            ClusterCommand.Status.class,
            ClusterCommand.StopJob.class
        })
class ClusterCommand implements Runnable {
    /** Exit code of {@code status} when the cluster is stopped or unhealthy, as for `stack status`. */
    static final int NOT_RUNNING = 3;

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "name a subcommand: up, down, status or stop-job");
    }

    static class ClusterOptions {
        @Option(
                names = "--data-dir",
                paramLabel = "DIR",
                description =
                        "The stack's data directory; the cluster keeps its files in DIR/flink, its logs in DIR/logs"
                                + " (default: <home>/.tracefeatures/stack).")
        Path dataDir;

        @Option(
                names = "--rest-port",
                paramLabel = "PORT",
                defaultValue = "" + FlinkClusterConfig.DEFAULT_REST_PORT,
                description = "REST API and web UI port on 127.0.0.1 (default: ${DEFAULT-VALUE}).")
        int restPort;

        @Option(
                names = "--rpc-port",
                paramLabel = "PORT",
                defaultValue = "" + FlinkClusterConfig.DEFAULT_RPC_PORT,
                description = "JobManager RPC port on 127.0.0.1 (default: ${DEFAULT-VALUE}).")
        int rpcPort;

        FlinkClusterConfig config() {
            Path home = LocalStackConfig.projectHome();
            return FlinkClusterConfig.defaults(
                            home, dataDir != null ? dataDir : LocalStackConfig.defaultDataDir(home), JvmOptions.flink())
                    .withPorts(restPort, rpcPort);
        }
    }

    @Command(
            name = "up",
            mixinStandardHelpOptions = true,
            description = {
                "Starts the JobManager and the TaskManagers unless they run and waits until all have registered.",
                "Submit jobs with `run --target cluster`. Harmless when the cluster is already up."
            })
    static class Up implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        ClusterOptions cluster;

        @Option(
                names = "--taskmanagers",
                paramLabel = "N",
                defaultValue = "" + FlinkClusterConfig.DEFAULT_TASK_MANAGERS,
                description = "How many TaskManagers to run, 2 slots each (default: ${DEFAULT-VALUE}).")
        int taskManagers;

        @Option(
                names = "--timeout",
                paramLabel = "SECONDS",
                defaultValue = "" + LocalStackConfig.DEFAULT_START_TIMEOUT_SECONDS,
                description = "How long to wait for the JobManager and the TaskManagers (default: ${DEFAULT-VALUE}).")
        int timeoutSeconds;

        @Override
        public Integer call() throws Exception {
            return StackCommand.reportingFailure(spec, () -> {
                FlinkClusterConfig config = cluster.config()
                        .withTaskManagers(taskManagers)
                        .withStartTimeout(Duration.ofSeconds(timeoutSeconds));
                new FlinkCluster(config, spec.commandLine().getOut()).up();
                return 0;
            });
        }
    }

    @Command(
            name = "down",
            mixinStandardHelpOptions = true,
            description = "Stops the TaskManagers and the JobManager: gracefully, then forcibly after 30 s."
                    + " Running jobs end with them; retained checkpoints stay in <data dir>/flink/checkpoints.")
    static class Down implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        ClusterOptions cluster;

        @Override
        public Integer call() throws Exception {
            return StackCommand.reportingFailure(spec, () -> {
                new FlinkCluster(cluster.config(), spec.commandLine().getOut()).down();
                return 0;
            });
        }
    }

    @Command(
            name = "stop-job",
            mixinStandardHelpOptions = true,
            description = {
                "Stops a job with a savepoint (its open trace windows and Kafka offsets) and prints the savepoint's"
                        + " path. Resume the job from it, with its SQL changed or not, with"
                        + " `run --target cluster --savepoint PATH JOB.sql` (docs/operations.md: Changing a running job's SQL)."
            })
    static class StopJob implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        ClusterOptions cluster;

        @Parameters(paramLabel = "JOB_ID", description = "The job's id, as `run --target cluster` printed it.")
        String jobId;

        @Override
        public Integer call() throws Exception {
            return StackCommand.reportingFailure(spec, () -> {
                String savepoint = new FlinkCluster(
                                cluster.config(), spec.commandLine().getOut())
                        .stopWithSavepoint(jobId, Duration.ofMinutes(5));
                spec.commandLine().getOut().println(savepoint);
                spec.commandLine()
                        .getErr()
                        .println("Stopped job " + jobId + ". Resume it, changed or not, with:"
                                + " bin/tracefeatures run --target cluster --savepoint " + savepoint + " JOB.sql");
                return 0;
            });
        }
    }

    @Command(
            name = "status",
            mixinStandardHelpOptions = true,
            description = {
                "Shows the JobManager and each TaskManager, and what the REST API reports (/overview, /taskmanagers).",
                "Exits with 0 when the JobManager answers and every running TaskManager has registered, with "
                        + NOT_RUNNING + " otherwise."
            })
    static class Status implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        ClusterOptions cluster;

        @Override
        public Integer call() throws Exception {
            return StackCommand.reportingFailure(spec, () -> {
                FlinkClusterStatus status =
                        new FlinkCluster(cluster.config(), spec.commandLine().getOut()).status();
                var out = spec.commandLine().getOut();
                out.println(describe(status.jobManager(), "healthy", "not answering"));
                if (status.taskManagers().isEmpty()) {
                    out.println(String.format("%-20s none", "Flink TaskManagers"));
                }
                for (ServerStatus taskManager : status.taskManagers()) {
                    out.println(describe(taskManager, "registered", "not registered"));
                }
                if (status.jobManager().healthy()) {
                    out.printf(
                            "%d TaskManagers registered, %d of %d slots free, %d jobs running; web UI %s%n",
                            status.registeredTaskManagers(),
                            status.slotsAvailable(),
                            status.slotsTotal(),
                            status.jobsRunning(),
                            status.webUi());
                }
                out.flush();
                return status.isHealthy() ? 0 : NOT_RUNNING;
            });
        }

        static String describe(ServerStatus server, String healthy, String unhealthy) {
            if (!server.running()) {
                return String.format("%-20s stopped", server.name());
            }
            return String.format(
                    "%-20s running  pid %-8d %-14s log %s",
                    server.name(),
                    server.pid().orElseThrow(),
                    server.healthy() ? healthy : unhealthy,
                    server.logFile());
        }
    }
}
