package org.tracefeatures.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FlinkClusterTest {

    @TempDir
    Path dataDir;

    private FlinkCluster cluster() {
        FlinkClusterConfig config = FlinkClusterConfig.defaults(Path.of("/checkout"), dataDir, List.of("--add-opens=x"))
                .withPorts(28081, 26123);
        return new FlinkCluster(config, new PrintWriter(new StringWriter()));
    }

    /** config.yaml in flat keys, one "key: value" a line. */
    private static Map<String, String> parse(String configuration) {
        Map<String, String> entries = new LinkedHashMap<>();
        configuration
                .lines()
                .filter(line -> !line.startsWith("#") && !line.isBlank())
                .forEach(line -> {
                    int colon = line.indexOf(": ");
                    entries.put(line.substring(0, colon), line.substring(colon + 2));
                });
        return entries;
    }

    @Test
    void everyServerListensOnLoopbackOnTheConfiguredPorts() {
        Map<String, String> configuration = parse(cluster().configuration());

        assertThat(configuration)
                .containsEntry("jobmanager.rpc.address", "127.0.0.1")
                .containsEntry("jobmanager.rpc.port", "26123")
                .containsEntry("jobmanager.bind-host", "127.0.0.1")
                .containsEntry("taskmanager.host", "127.0.0.1")
                .containsEntry("taskmanager.bind-host", "127.0.0.1")
                .containsEntry("rest.address", "127.0.0.1")
                .containsEntry("rest.bind-address", "127.0.0.1")
                .containsEntry("rest.port", "28081");
    }

    @Test
    void eachTaskManagerHasTheConfiguredSlotsTwoByDefault() {
        FlinkClusterConfig defaults = FlinkClusterConfig.defaults(Path.of("/checkout"), dataDir, List.of());

        assertThat(parse(new FlinkCluster(defaults, new PrintWriter(new StringWriter())).configuration()))
                .containsEntry("taskmanager.numberOfTaskSlots", "2");
        assertThat(parse(new FlinkCluster(defaults.withTaskSlots(3), new PrintWriter(new StringWriter()))
                        .configuration()))
                .containsEntry("taskmanager.numberOfTaskSlots", "3");
        assertThatThrownBy(() -> defaults.withTaskSlots(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least one slot");
    }

    @Test
    void checkpointsAndTemporaryFilesStayUnderTheDataDirectory() {
        Map<String, String> configuration = parse(cluster().configuration());

        assertThat(configuration)
                .containsEntry(
                        "execution.checkpointing.dir",
                        dataDir.resolve("flink/checkpoints").toUri().toString())
                .containsEntry("io.tmp.dirs", dataDir.resolve("flink/tmp").toString());
        assertThat(cluster().confDir()).isEqualTo(dataDir.resolve("flink/conf"));
    }

    @Test
    void resourceParamsAreTheTwoMarkedLinesAmongTheLogging() {
        String output = String.join(
                "\n",
                "INFO  [] - Loading configuration property: taskmanager.memory.process.size, 1536m",
                "BASH_JAVA_UTILS_EXEC_RESULT:-Xmx436207608 -Xms436207608 -XX:MaxDirectMemorySize=248302798",
                "INFO  [] - The derived from fraction jvm overhead memory (153.600mb) is less than its min value",
                "BASH_JAVA_UTILS_EXEC_RESULT:-D taskmanager.cpu.cores=2.0 -D taskmanager.numberOfTaskSlots=2",
                "");

        FlinkCluster.ResourceParams params = FlinkCluster.ResourceParams.parse("GET_TM_RESOURCE_PARAMS", output);

        assertThat(params.jvmOptions())
                .containsExactly("-Xmx436207608", "-Xms436207608", "-XX:MaxDirectMemorySize=248302798");
        assertThat(params.dynamicConfiguration())
                .containsExactly("-D", "taskmanager.cpu.cores=2.0", "-D", "taskmanager.numberOfTaskSlots=2");
    }

    @Test
    void resourceParamsWithoutTheTwoResultLinesFailWithTheOutput() {
        assertThatThrownBy(() -> FlinkCluster.ResourceParams.parse(
                        "GET_TM_RESOURCE_PARAMS",
                        "ERROR [] - Invalid configuration value for taskmanager.memory.process.size\n"))
                .isInstanceOf(LocalStackException.class)
                .hasMessageContaining("0 result lines instead of 2")
                .hasMessageContaining("Invalid configuration value");
    }

    @Test
    void theClusterNeedsATaskManagerAndTwoPorts() {
        FlinkClusterConfig config = FlinkClusterConfig.defaults(Path.of("/checkout"), dataDir, List.of());

        assertThatThrownBy(() -> config.withTaskManagers(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least one TaskManager");
        assertThatThrownBy(() -> config.withPorts(8081, 8081))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must differ");
        assertThat(config.classpathFile())
                .isEqualTo(Path.of("/checkout/local-stack/flink-cluster/target/classpath.txt"));
    }
}
