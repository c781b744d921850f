package org.tracefeatures.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KafkaBrokerTest {

    @TempDir
    Path dataDir;

    private KafkaBroker broker(int kafkaPort, int controllerPort, int partitions) {
        return new KafkaBroker(LocalStackConfig.builder(Path.of("/checkout"))
                .dataDir(dataDir)
                .kafkaPort(kafkaPort)
                .kafkaControllerPort(controllerPort)
                .partitions(partitions)
                .build());
    }

    private static Properties parse(String properties) throws IOException {
        Properties parsed = new Properties();
        parsed.load(new StringReader(properties));
        return parsed;
    }

    @Test
    void serverPropertiesDescribeACombinedBrokerAndControllerOnLoopback() throws IOException {
        Properties properties = parse(broker(29092, 29093, 3).serverProperties());

        assertThat(properties)
                .containsEntry("process.roles", "broker,controller")
                .containsEntry("node.id", "1")
                .containsEntry("controller.quorum.voters", "1@127.0.0.1:29093")
                .containsEntry("listeners", "PLAINTEXT://127.0.0.1:29092,CONTROLLER://127.0.0.1:29093")
                .containsEntry("advertised.listeners", "PLAINTEXT://127.0.0.1:29092")
                .containsEntry("controller.listener.names", "CONTROLLER")
                .containsEntry("log.dirs", dataDir.resolve("kafka/data").toString())
                .containsEntry("num.partitions", "3")
                .containsEntry("offsets.topic.replication.factor", "1")
                .containsEntry("transaction.state.log.replication.factor", "1")
                .containsEntry("transaction.state.log.min.isr", "1")
                .containsEntry("group.initial.rebalance.delay.ms", "0");
    }

    @Test
    void writesItsConfigurationUnderTheDataDir() throws IOException {
        KafkaBroker broker = broker(9092, 9093, 1);

        broker.writeConfiguration();

        assertThat(parse(Files.readString(dataDir.resolve("kafka/server.properties"))))
                .containsEntry("listeners", "PLAINTEXT://127.0.0.1:9092,CONTROLLER://127.0.0.1:9093");
        assertThat(Files.readString(dataDir.resolve("kafka/log4j2.properties"))).contains("rootLogger.level = info");
    }

    @Test
    void needsFormattingUntilTheLogDirHoldsMetaProperties() throws IOException {
        KafkaBroker broker = broker(9092, 9093, 1);
        assertThat(broker.isFormatted()).isFalse();

        Files.createDirectories(broker.logDir());
        Files.writeString(broker.logDir().resolve("meta.properties"), "cluster.id=abc\n");

        assertThat(broker.isFormatted()).isTrue();
    }

    @Test
    void formatsWithTheStorageToolAndRunsKafkaOnTheSameConfiguration() {
        KafkaBroker broker = broker(9092, 9093, 1);
        String serverProperties = dataDir.resolve("kafka/server.properties").toString();

        assertThat(broker.formatArguments("cluster-id"))
                .containsSubsequence("kafka.tools.StorageTool", "format", "-t", "cluster-id", "-c", serverProperties);
        assertThat(broker.serverArguments()).endsWith("kafka.Kafka", serverProperties);
        assertThat(broker.serverArguments())
                .contains("-Dlog4j2.configurationFile=" + dataDir.resolve("kafka/log4j2.properties"));
    }

    @Test
    void keepsItsLogAndPidFileWithTheOtherServers() {
        ServerProcess process = broker(9092, 9093, 1).process();

        assertThat(process.name()).isEqualTo("Kafka");
        assertThat(process.logFile()).isEqualTo(dataDir.resolve("logs/kafka.log"));
    }
}
