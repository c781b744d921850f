package org.tracefeatures.stack;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.common.config.TopicConfig;

/**
 * Where the local stack keeps its files and which ports it listens on. {@link #builder()} starts from the defaults,
 * which are relative to the project home (the system property {@value #HOME_PROPERTY}, else the current directory).
 */
public record LocalStackConfig(
        Path dataDir,
        int kafkaPort,
        int kafkaControllerPort,
        int elasticsearchHttpPort,
        int elasticsearchTransportPort,
        String topic,
        int partitions,
        Path templatesDir,
        Path kafkaClasspathFile,
        Path elasticsearchClasspathFile,
        Duration startTimeout) {
    /**
     * The configuration of the span topic the stack creates: the broker stamps every record with its own clock when
     * it appends it (LogAppendTime), so that the jobs' event time, the Kafka record timestamp, never comes from a
     * producer's clock: one collector whose clock runs an hour fast would otherwise move every watermark an hour
     * ahead and make every correctly timed span after it late.
     */
    public static final Map<String, String> SPAN_TOPIC_CONFIG =
            Map.of(TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG, "LogAppendTime");

    /** Set by bin/tracefeatures to the root of the checkout. */
    public static final String HOME_PROPERTY = "tracefeatures.home";

    public static final int DEFAULT_KAFKA_PORT = 9092;
    public static final int DEFAULT_KAFKA_CONTROLLER_PORT = 9093;
    public static final int DEFAULT_ELASTICSEARCH_HTTP_PORT = 9200;
    public static final int DEFAULT_ELASTICSEARCH_TRANSPORT_PORT = 9300;
    public static final String DEFAULT_TOPIC = "jaeger-spans";
    public static final int DEFAULT_PARTITIONS = 1;
    public static final int DEFAULT_START_TIMEOUT_SECONDS = 120;

    public LocalStackConfig {
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(templatesDir, "templatesDir");
        Objects.requireNonNull(kafkaClasspathFile, "kafkaClasspathFile");
        Objects.requireNonNull(elasticsearchClasspathFile, "elasticsearchClasspathFile");
        Objects.requireNonNull(startTimeout, "startTimeout");
        List<Integer> ports =
                List.of(kafkaPort, kafkaControllerPort, elasticsearchHttpPort, elasticsearchTransportPort);
        for (int port : ports) {
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("port " + port + " is not between 1 and 65535");
            }
        }
        if (new HashSet<>(ports).size() != ports.size()) {
            throw new IllegalArgumentException(
                    "the four ports must differ, got Kafka " + kafkaPort + ", Kafka controller "
                            + kafkaControllerPort + ", Elasticsearch HTTP " + elasticsearchHttpPort
                            + ", Elasticsearch transport " + elasticsearchTransportPort);
        }
        if (partitions < 1) {
            throw new IllegalArgumentException("the topic needs at least one partition, got " + partitions);
        }
        if (startTimeout.isNegative() || startTimeout.isZero()) {
            throw new IllegalArgumentException("the start timeout must be positive, got " + startTimeout);
        }
        dataDir = dataDir.toAbsolutePath().normalize();
    }

    /** The checkout root: the system property {@value #HOME_PROPERTY}, else the current directory. */
    public static Path projectHome() {
        String home = System.getProperty(HOME_PROPERTY, "");
        return Path.of(home.isBlank() ? "" : home).toAbsolutePath().normalize();
    }

    /** The defaults for the checkout at {@link #projectHome()}. */
    public static Builder builder() {
        return builder(projectHome());
    }

    /** The defaults for the checkout at {@code home}. */
    public static Builder builder(Path home) {
        return new Builder(home.toAbsolutePath().normalize());
    }

    public static Path defaultTemplatesDir(Path home) {
        return home.resolve("sql").resolve("index-templates");
    }

    public static Path defaultDataDir(Path home) {
        return home.resolve(".tracefeatures").resolve("stack");
    }

    public String kafkaBootstrapServers() {
        return "127.0.0.1:" + kafkaPort;
    }

    public String elasticsearchUrl() {
        return "http://127.0.0.1:" + elasticsearchHttpPort;
    }

    public static final class Builder {
        private Path dataDir;
        private int kafkaPort = DEFAULT_KAFKA_PORT;
        private int kafkaControllerPort = DEFAULT_KAFKA_CONTROLLER_PORT;
        private int elasticsearchHttpPort = DEFAULT_ELASTICSEARCH_HTTP_PORT;
        private int elasticsearchTransportPort = DEFAULT_ELASTICSEARCH_TRANSPORT_PORT;
        private String topic = DEFAULT_TOPIC;
        private int partitions = DEFAULT_PARTITIONS;
        private Path templatesDir;
        private Path kafkaClasspathFile;
        private Path elasticsearchClasspathFile;
        private Duration startTimeout = Duration.ofSeconds(DEFAULT_START_TIMEOUT_SECONDS);

        private Builder(Path home) {
            Path localStack = home.resolve("local-stack");
            dataDir = defaultDataDir(home);
            templatesDir = defaultTemplatesDir(home);
            kafkaClasspathFile =
                    localStack.resolve("kafka-broker").resolve("target").resolve("classpath.txt");
            elasticsearchClasspathFile =
                    localStack.resolve("elasticsearch-node").resolve("target").resolve("classpath.txt");
        }

        public Builder dataDir(Path dataDir) {
            this.dataDir = dataDir;
            return this;
        }

        public Builder kafkaPort(int kafkaPort) {
            this.kafkaPort = kafkaPort;
            return this;
        }

        public Builder kafkaControllerPort(int kafkaControllerPort) {
            this.kafkaControllerPort = kafkaControllerPort;
            return this;
        }

        public Builder elasticsearchHttpPort(int elasticsearchHttpPort) {
            this.elasticsearchHttpPort = elasticsearchHttpPort;
            return this;
        }

        public Builder elasticsearchTransportPort(int elasticsearchTransportPort) {
            this.elasticsearchTransportPort = elasticsearchTransportPort;
            return this;
        }

        public Builder topic(String topic) {
            this.topic = topic;
            return this;
        }

        public Builder partitions(int partitions) {
            this.partitions = partitions;
            return this;
        }

        public Builder templatesDir(Path templatesDir) {
            this.templatesDir = templatesDir;
            return this;
        }

        public Builder kafkaClasspathFile(Path kafkaClasspathFile) {
            this.kafkaClasspathFile = kafkaClasspathFile;
            return this;
        }

        public Builder elasticsearchClasspathFile(Path elasticsearchClasspathFile) {
            this.elasticsearchClasspathFile = elasticsearchClasspathFile;
            return this;
        }

        public Builder startTimeout(Duration startTimeout) {
            this.startTimeout = startTimeout;
            return this;
        }

        public LocalStackConfig build() {
            return new LocalStackConfig(
                    dataDir,
                    kafkaPort,
                    kafkaControllerPort,
                    elasticsearchHttpPort,
                    elasticsearchTransportPort,
                    topic,
                    partitions,
                    templatesDir,
                    kafkaClasspathFile,
                    elasticsearchClasspathFile,
                    startTimeout);
        }
    }
}
