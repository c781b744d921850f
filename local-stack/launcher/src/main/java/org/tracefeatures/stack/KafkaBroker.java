package org.tracefeatures.stack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The local Kafka broker: one JVM in KRaft combined mode (broker and controller), listening on 127.0.0.1 only, with its
 * configuration, data and log under {@code <data dir>/kafka}.
 */
final class KafkaBroker {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaBroker.class);

    static final String MAIN_CLASS = "kafka.Kafka";
    static final String STORAGE_TOOL_CLASS = "kafka.tools.StorageTool";

    private static final List<String> JVM_OPTIONS =
            List.of("-Xms256m", "-Xmx768m", "-XX:+UseG1GC", "-Djava.awt.headless=true");
    private static final Duration FORMAT_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(30);

    private final LocalStackConfig config;
    private final ServerProcess process;

    KafkaBroker(LocalStackConfig config) {
        this.config = config;
        this.process = new ServerProcess(
                "Kafka",
                MAIN_CLASS,
                config.dataDir().resolve("run").resolve("kafka.pid"),
                config.dataDir().resolve("logs").resolve("kafka.log"));
    }

    ServerProcess process() {
        return process;
    }

    Path home() {
        return config.dataDir().resolve("kafka");
    }

    Path logDir() {
        return home().resolve("data");
    }

    Path serverPropertiesFile() {
        return home().resolve("server.properties");
    }

    Path loggingConfigFile() {
        return home().resolve("log4j2.properties");
    }

    String serverProperties() {
        return String.join(
                System.lineSeparator(),
                "# Written by `tracefeatures stack up` at every start: edits are lost.",
                "process.roles=broker,controller",
                "node.id=1",
                "controller.quorum.voters=1@127.0.0.1:" + config.kafkaControllerPort(),
                "listeners=PLAINTEXT://127.0.0.1:" + config.kafkaPort() + ",CONTROLLER://127.0.0.1:"
                        + config.kafkaControllerPort(),
                "advertised.listeners=PLAINTEXT://127.0.0.1:" + config.kafkaPort(),
                "controller.listener.names=CONTROLLER",
                "inter.broker.listener.name=PLAINTEXT",
                "listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT",
                "log.dirs=" + logDir(),
                "num.partitions=" + config.partitions(),
                // one broker: the internal topics cannot have more replicas
                "offsets.topic.replication.factor=1",
                "transaction.state.log.replication.factor=1",
                "transaction.state.log.min.isr=1",
                // the default 50 partitions would make the first consumer group wait for 50 log directories
                "offsets.topic.num.partitions=1",
                // no other group members will join: do not wait for them
                "group.initial.rebalance.delay.ms=0",
                "");
    }

    String loggingConfig() {
        return ConsoleLogging.properties("tracefeatures stack up", "warn", "[%d] %p %m (%c)%n");
    }

    void writeConfiguration() {
        try {
            Files.createDirectories(home());
            Files.writeString(serverPropertiesFile(), serverProperties());
            Files.writeString(loggingConfigFile(), loggingConfig());
        } catch (IOException e) {
            throw new LocalStackException(
                    "could not write the Kafka configuration under " + home() + ": " + e.getMessage(), e);
        }
    }

    /** Kafka refuses to start on log directories that StorageTool has not formatted. */
    boolean isFormatted() {
        return Files.exists(logDir().resolve("meta.properties"));
    }

    List<String> formatArguments(String clusterId) {
        List<String> arguments = javaArguments(STORAGE_TOOL_CLASS);
        arguments.addAll(
                List.of("format", "-t", clusterId, "-c", serverPropertiesFile().toString()));
        return arguments;
    }

    List<String> serverArguments() {
        List<String> arguments = javaArguments(MAIN_CLASS);
        arguments.add(serverPropertiesFile().toString());
        return arguments;
    }

    private List<String> javaArguments(String mainClass) {
        List<String> arguments = new ArrayList<>(JVM_OPTIONS);
        arguments.add("-Dlog4j2.configurationFile=" + loggingConfigFile());
        arguments.add(mainClass);
        return arguments;
    }

    /** Writes the configuration, formats the storage on the first start, and starts the broker. */
    ProcessHandle start(String classpath) {
        writeConfiguration();
        if (!isFormatted()) {
            process.runToCompletion(
                    "formatting the Kafka storage in " + logDir(),
                    classpath,
                    formatArguments(Uuid.randomUuid().toString()),
                    FORMAT_TIMEOUT);
        }
        return process.start(classpath, serverArguments());
    }

    /** Whether the broker answers a metadata request within {@code timeout}. */
    boolean answers(Duration timeout) {
        try (Admin admin = admin(timeout)) {
            return !admin.describeCluster(new DescribeClusterOptions().timeoutMs((int) timeout.toMillis()))
                    .nodes()
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS)
                    .isEmpty();
        } catch (ExecutionException | TimeoutException e) {
            LOG.debug("Kafka at {} does not answer: {}", config.kafkaBootstrapServers(), e.toString());
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * Creates the span topic unless it exists, with {@link LocalStackConfig#SPAN_TOPIC_CONFIG}; an existing one gets
     * that configuration.
     *
     * @return what was done, for the user
     */
    String ensureTopic() {
        String topic = config.topic();
        try (Admin admin = admin(ADMIN_TIMEOUT)) {
            try {
                admin.createTopics(List.of(new NewTopic(topic, config.partitions(), (short) 1)
                                .configs(LocalStackConfig.SPAN_TOPIC_CONFIG)))
                        .all()
                        .get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                return "created topic " + topic + " with " + partitions(config.partitions())
                        + ", record timestamps by the broker (LogAppendTime)";
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw e;
                }
            }
            ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
            List<AlterConfigOp> ops = LocalStackConfig.SPAN_TOPIC_CONFIG.entrySet().stream()
                    .map(entry -> new AlterConfigOp(
                            new ConfigEntry(entry.getKey(), entry.getValue()), AlterConfigOp.OpType.SET))
                    .toList();
            admin.incrementalAlterConfigs(Map.of(resource, ops))
                    .all()
                    .get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            Map<String, TopicDescription> existing = admin.describeTopics(List.of(topic))
                    .allTopicNames()
                    .get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            int partitions = existing.get(topic).partitions().size();
            if (partitions == config.partitions()) {
                return "topic " + topic + " exists with " + partitions(partitions);
            }
            return "topic " + topic + " exists with " + partitions(partitions) + " (not the " + config.partitions()
                    + " asked for; `stack down --wipe` and `stack up` recreate it)";
        } catch (ExecutionException | TimeoutException e) {
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            throw new LocalStackException(
                    "could not create the Kafka topic " + topic + ": " + cause + "; see " + process.logFile(), cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LocalStackException("interrupted while creating the Kafka topic " + topic, e);
        }
    }

    private static String partitions(int count) {
        return count == 1 ? "1 partition" : count + " partitions";
    }

    private Admin admin(Duration timeout) {
        Properties properties = new Properties();
        properties.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, config.kafkaBootstrapServers());
        properties.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
        properties.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
        // a broker that is still starting refuses connections: retry soon rather than after the default back-off
        properties.put(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 500);
        return Admin.create(properties);
    }
}
