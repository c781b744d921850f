package org.tracefeatures.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ElasticsearchNodeTest {

    @TempDir
    Path dataDir;

    private ElasticsearchNode node() {
        return new ElasticsearchNode(LocalStackConfig.builder(Path.of("/checkout"))
                .dataDir(dataDir)
                .elasticsearchHttpPort(29200)
                .elasticsearchTransportPort(29300)
                .build());
    }

    @Test
    void listensOnLoopbackOnlyAsASingleNode() {
        assertThat(node().elasticsearchYml().lines())
                .contains("network.host: 127.0.0.1", "transport.port: 29300", "discovery.type: single-node");
    }

    @Test
    void asksTheRunnerForOneNodeServingHttpOnTheConfiguredPort() {
        assertThat(node().serverArguments())
                .containsSubsequence(
                        ElasticsearchNodeMain.class.getName(),
                        "-numOfNode",
                        "1",
                        "-basePath",
                        dataDir.resolve("elasticsearch").toString(),
                        // the runner serves node 1 on baseHttpPort + 1
                        "-baseHttpPort",
                        "29199");
    }

    @Test
    void putsItsMainClassFirstOnTheRunnersClasspath() {
        ElasticsearchNode node = node();

        assertThat(node.classpath("/m2/runner.jar" + File.pathSeparator + "/m2/elasticsearch.jar"))
                .isEqualTo(dataDir.resolve("elasticsearch/main-class") + File.pathSeparator + "/m2/runner.jar"
                        + File.pathSeparator + "/m2/elasticsearch.jar");
    }

    @Test
    void writesTheNodeConfigurationWhereTheRunnerLooksForIt() throws IOException {
        ElasticsearchNode node = node();

        node.writeConfiguration();

        Path config = dataDir.resolve("elasticsearch/node_1/config");
        assertThat(Files.readString(config.resolve("elasticsearch.yml"))).contains("transport.port: 29300");
        assertThat(Files.readString(config.resolve("log4j2.properties"))).contains("appender.console.type = Console");
        assertThat(dataDir.resolve("elasticsearch/main-class/org/tracefeatures/stack/ElasticsearchNodeMain.class"))
                .isNotEmptyFile();
    }

    @Test
    void mainClassNeedsNoOtherClassOfTheLauncher() {
        // only its own class file is copied next to the node's classpath
        assertThat(ElasticsearchNodeMain.class.getDeclaredClasses()).isEmpty();
    }
}
