package org.tracefeatures.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the stack does before it starts a process, or when there is none. */
class LocalStackTest {

    @TempDir
    Path tempDir;

    private Path dataDir;
    private Path classpathFile;
    private final StringWriter output = new StringWriter();

    @BeforeEach
    void classpathFileNamingAnExistingEntry() throws IOException {
        dataDir = tempDir.resolve("stack");
        classpathFile = tempDir.resolve("classpath.txt");
        Files.writeString(classpathFile, tempDir + System.lineSeparator());
    }

    private LocalStackConfig.Builder config() {
        return LocalStackConfig.builder(tempDir)
                .dataDir(dataDir)
                .templatesDir(tempDir.resolve("templates"))
                .kafkaClasspathFile(classpathFile)
                .elasticsearchClasspathFile(classpathFile);
    }

    private LocalStack stack(LocalStackConfig config) {
        return new LocalStack(config, new PrintWriter(output, true));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    @Test
    void upNamesATakenPortAndTheOptionToChangeItBeforeStartingAnything() throws IOException {
        try (ServerSocket squatter = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            int taken = squatter.getLocalPort();
            LocalStack stack = stack(config().kafkaPort(taken)
                    .kafkaControllerPort(freePort())
                    .elasticsearchHttpPort(freePort())
                    .elasticsearchTransportPort(freePort())
                    .build());

            assertThatThrownBy(stack::up)
                    .isInstanceOf(LocalStackException.class)
                    .hasMessage("port " + taken + " (for Kafka) is in use by another process; stop it or pass "
                            + "--kafka-port with a free port");
        }
        assertThat(dataDir).doesNotExist();
    }

    @Test
    void upNamesEveryTakenPort() throws IOException {
        try (ServerSocket http = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
                ServerSocket transport = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            LocalStack stack = stack(config().kafkaPort(freePort())
                    .kafkaControllerPort(freePort())
                    .elasticsearchHttpPort(http.getLocalPort())
                    .elasticsearchTransportPort(transport.getLocalPort())
                    .build());

            assertThatThrownBy(stack::up)
                    .hasMessageContaining("port " + http.getLocalPort() + " (for Elasticsearch)")
                    .hasMessageContaining("--elasticsearch-port")
                    .hasMessageContaining("port " + transport.getLocalPort() + " (for the Elasticsearch transport)")
                    .hasMessageContaining("--elasticsearch-transport-port");
        }
    }

    @Test
    void upTellsHowToBuildAMissingClasspathFile() {
        Path missing = tempDir.resolve("kafka-broker/target/classpath.txt");
        LocalStack stack = stack(config().kafkaClasspathFile(missing).build());

        assertThatThrownBy(stack::up)
                .isInstanceOf(LocalStackException.class)
                .hasMessage("the server classpath file " + missing + " is missing; build it with "
                        + "`mvn -pl local-stack/kafka-broker -am package` in the checkout");
    }

    @Test
    void upTellsHowToRebuildAClasspathFileNamingJarsThatAreGone() throws IOException {
        Path gone = tempDir.resolve("gone.jar");
        Files.writeString(classpathFile, gone.toString());
        LocalStack stack = stack(config().build());

        assertThatThrownBy(stack::up)
                .hasMessageContaining("names " + gone + ", which does not exist")
                .hasMessageContaining("`mvn -pl local-stack/kafka-broker -am package`");
    }

    @Test
    void statusOfAStackThatNeverRanIsStopped() {
        StackStatus status = stack(config().build()).status();

        assertThat(status.servers()).extracting(ServerStatus::name).containsExactly("Kafka", "Elasticsearch");
        assertThat(status.servers()).noneMatch(ServerStatus::running).noneMatch(ServerStatus::healthy);
        assertThat(status.kafka().pid()).isEmpty();
        assertThat(status.kafka().logFile()).isEqualTo(dataDir.resolve("logs/kafka.log"));
        assertThat(status.elasticsearch().logFile()).isEqualTo(dataDir.resolve("logs/elasticsearch.log"));
        assertThat(status.isHealthy()).isFalse();
    }

    @Test
    void downWithNothingRunningSaysSo() {
        stack(config().build()).down(false);

        assertThat(output.toString()).contains("Kafka: was not running", "Elasticsearch: was not running");
    }

    @Test
    void stoppingOneServerLeavesTheOtherRunningAndTheDataInPlace() throws IOException {
        LocalStackConfig config = config().build();
        Files.createDirectories(dataDir.resolve("kafka/data"));
        Files.writeString(dataDir.resolve("kafka/data/meta.properties"), "node.id=1");
        ProcessHandle kafka = startStandIn(KafkaBroker.MAIN_CLASS, "run/kafka.pid", "logs/kafka.log");
        ProcessHandle elasticsearch =
                startStandIn(ElasticsearchNodeMain.class.getName(), "run/elasticsearch.pid", "logs/elasticsearch.log");
        LocalStack stack = stack(config);
        try {
            stack.stop(LocalStack.Server.KAFKA);

            assertThat(kafka.isAlive()).isFalse();
            assertThat(elasticsearch.isAlive()).isTrue();
            assertThat(stack.status().kafka().running()).isFalse();
            assertThat(stack.status().elasticsearch().pid()).hasValue(elasticsearch.pid());
            assertThat(dataDir.resolve("kafka/data/meta.properties")).hasContent("node.id=1");
            assertThat(output.toString())
                    .contains("Kafka: stopped (pid " + kafka.pid() + ")")
                    .doesNotContain("Elasticsearch: stopped");
        } finally {
            stack.down(false);
        }
        assertThat(elasticsearch.isAlive()).isFalse();
    }

    /** A JVM that sleeps, with the server's main class on its command line, which is all a pid file check sees. */
    private ProcessHandle startStandIn(String serverMainClass, String pidFile, String logFile) {
        ServerProcess standIn =
                new ServerProcess("stand-in", serverMainClass, dataDir.resolve(pidFile), dataDir.resolve(logFile));
        return standIn.start(
                System.getProperty("java.class.path"), List.of(SleepingMain.class.getName(), serverMainClass));
    }

    /** Sleeps for a minute at most, so that a stand-in that a failed test leaves behind goes away by itself. */
    public static final class SleepingMain {
        public static void main(String[] args) throws InterruptedException {
            Thread.sleep(60_000);
        }
    }

    @Test
    void downWipesTheDataDir() throws IOException {
        Files.createDirectories(dataDir.resolve("kafka/data"));
        Files.createDirectories(dataDir.resolve("logs"));
        Files.writeString(dataDir.resolve("logs/kafka.log"), "old run");

        stack(config().build()).down(true);

        assertThat(dataDir).doesNotExist();
        assertThat(output.toString()).contains("wiped " + dataDir);
    }

    @Test
    void downRefusesToWipeADirectoryHoldingForeignFiles() throws IOException {
        Files.createDirectories(dataDir.resolve("kafka"));
        Files.writeString(dataDir.resolve("thesis.tex"), "precious");

        assertThatThrownBy(() -> stack(config().build()).down(true))
                .isInstanceOf(LocalStackException.class)
                .hasMessageContaining("not wiping " + dataDir + ": it holds thesis.tex");
        assertThat(dataDir.resolve("thesis.tex")).exists();
    }
}
