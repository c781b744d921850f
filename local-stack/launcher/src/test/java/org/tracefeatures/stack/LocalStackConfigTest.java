package org.tracefeatures.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class LocalStackConfigTest {

    private static final Path HOME = Path.of("/work/checkout");

    @Test
    void defaultsLiveUnderTheProjectHome() {
        LocalStackConfig config = LocalStackConfig.builder(HOME).build();

        assertThat(config.dataDir()).isEqualTo(HOME.resolve(".tracefeatures/stack"));
        assertThat(config.templatesDir()).isEqualTo(HOME.resolve("sql/index-templates"));
        assertThat(config.kafkaClasspathFile())
                .isEqualTo(HOME.resolve("local-stack/kafka-broker/target/classpath.txt"));
        assertThat(config.elasticsearchClasspathFile())
                .isEqualTo(HOME.resolve("local-stack/elasticsearch-node/target/classpath.txt"));
        assertThat(config.kafkaPort()).isEqualTo(9092);
        assertThat(config.kafkaControllerPort()).isEqualTo(9093);
        assertThat(config.elasticsearchHttpPort()).isEqualTo(9200);
        assertThat(config.elasticsearchTransportPort()).isEqualTo(9300);
        assertThat(config.topic()).isEqualTo("jaeger-spans");
        assertThat(config.partitions()).isEqualTo(1);
        assertThat(config.startTimeout()).isEqualTo(Duration.ofSeconds(120));
        assertThat(config.kafkaBootstrapServers()).isEqualTo("127.0.0.1:9092");
        assertThat(config.elasticsearchUrl()).isEqualTo("http://127.0.0.1:9200");
    }

    @Test
    void projectHomeComesFromTheSystemPropertyElseTheCurrentDirectory() {
        String previous = System.getProperty(LocalStackConfig.HOME_PROPERTY);
        try {
            System.setProperty(LocalStackConfig.HOME_PROPERTY, "/somewhere/tracefeatures");
            assertThat(LocalStackConfig.projectHome()).isEqualTo(Path.of("/somewhere/tracefeatures"));
            assertThat(LocalStackConfig.builder().build().dataDir())
                    .isEqualTo(Path.of("/somewhere/tracefeatures/.tracefeatures/stack"));

            System.clearProperty(LocalStackConfig.HOME_PROPERTY);
            assertThat(LocalStackConfig.projectHome()).isEqualTo(Path.of("").toAbsolutePath());
        } finally {
            if (previous == null) {
                System.clearProperty(LocalStackConfig.HOME_PROPERTY);
            } else {
                System.setProperty(LocalStackConfig.HOME_PROPERTY, previous);
            }
        }
    }

    @Test
    void relativeDataDirBecomesAbsolute() {
        LocalStackConfig config = LocalStackConfig.builder(HOME)
                .dataDir(Path.of("relative/../stack"))
                .build();

        assertThat(config.dataDir()).isEqualTo(Path.of("stack").toAbsolutePath());
    }

    @Test
    void refusesPortsThatCollide() {
        assertThatThrownBy(() -> LocalStackConfig.builder(HOME)
                        .elasticsearchHttpPort(9092)
                        .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("the four ports must differ");
    }

    @Test
    void refusesPortsOutOfRange() {
        assertThatThrownBy(() -> LocalStackConfig.builder(HOME).kafkaPort(70000).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("port 70000");
    }

    @Test
    void refusesATopicWithoutPartitions() {
        assertThatThrownBy(() -> LocalStackConfig.builder(HOME).partitions(0).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least one partition");
    }
}
