package org.tracefeatures.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.parallel.ResourceAccessMode;
import org.junit.jupiter.api.parallel.ResourceLock;

/**
 * {@code flink run tracefeatures-job.jar span_count.sql} without a checkout: Flink's own CLI
 * (CliFrontend, what bin/flink runs) in a JVM that has Flink's jars but neither the connectors nor our
 * classes except those in the shaded jar, executing on a local target; the SQL comes from the jar.
 */
@ExtendWith(RealStack.class)
@ResourceLock(value = RealStack.SHARED_PROCESSES, mode = ResourceAccessMode.READ)
class PackagedJobITCase {
    /** What a Flink distribution lacks and the shaded jar must bring. */
    private static final Pattern NOT_IN_FLINK = Pattern.compile(
            ".*/(tracefeatures-[^/]*|flink-connector-kafka[^/]*|flink-connector-elasticsearch[^/]*|flink-protobuf[^/]*"
                    + "|protobuf-java[^/]*|kafka-clients[^/]*|elasticsearch[^/]*|opentelemetry-proto[^/]*)\\.jar"
                    + "|.*/(udf|job|simulator|cli|launcher)/target/(test-)?classes/?");

    @Test
    void flinkRunRunsTheShadedJarWithItsPackagedSql() throws Exception {
        Path shadedJar = RealStack.HOME.resolve("job/target/tracefeatures-job.jar");
        assertThat(shadedJar).as("built by mvn package").exists();
        RealStack.Scope scope = RealStack.newScope("packaged-job");
        scope.simulate("hotrod-original", 10, "original", 21);

        List<String> flinkOnly = Arrays.stream(
                        System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(entry -> !NOT_IN_FLINK.matcher(entry).matches())
                .collect(Collectors.toList());
        Path confDir = Files.createDirectories(RealStack.WORK_DIR.resolve("flink-conf"));
        Files.writeString(confDir.resolve("config.yaml"), "execution:\n  target: local\n");
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(Arrays.asList(Files.readString(RealStack.HOME.resolve("cli/target/classes/jvm.options"))
                .trim()
                .split("\\s+")));
        command.addAll(List.of(
                "-cp",
                String.join(File.pathSeparator, flinkOnly),
                "org.apache.flink.client.cli.CliFrontend",
                "run",
                shadedJar.toString()));
        // default parts by name, so they are read from the jar; the test environment and scope as files
        for (String init : scope.initScripts(scope.overridesPart("trace_summaries", "trace-summaries"))) {
            command.addAll(List.of("--init", init));
        }
        command.addAll(List.of("--bounded", "span_count.sql"));
        Path output = RealStack.WORK_DIR.resolve("packaged-job.log");

        ProcessBuilder flinkRun =
                new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile());
        flinkRun.environment().put("FLINK_CONF_DIR", confDir.toString());
        Process job = flinkRun.start();

        assertThat(job.waitFor()).as("exit code; output in %s", output).isZero();
        List<JsonNode> documents = scope.documents("trace-summaries");
        assertThat(documents).hasSize(10);
        for (JsonNode document : documents) {
            assertThat(document.at("/_source/spanCount").asLong()).isEqualTo(53);
            assertThat(document.at("/_source/spanCounts/route::~1GetShortestRoute")
                            .asLong())
                    .isEqualTo(10);
        }
    }
}
