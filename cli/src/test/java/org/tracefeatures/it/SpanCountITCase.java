package org.tracefeatures.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.parallel.ResourceAccessMode;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.tracefeatures.cli.SqlClientCommand;
import org.tracefeatures.runner.RunOptions;
import org.tracefeatures.runner.SqlJobRunner;
import picocli.CommandLine;

/**
 * sql/span_count.sql end to end: simulated HotROD traffic in a real Kafka broker, the job on a real
 * Flink runtime (the packaged-job runner, and Flink's own SQL client), documents in a real
 * Elasticsearch node, compared with what the simulator configs imply.
 */
@ExtendWith(RealStack.class)
@ResourceLock(value = RealStack.SHARED_PROCESSES, mode = ResourceAccessMode.READ)
class SpanCountITCase {
    static final int ORIGINAL_TRACES = 30;
    static final int REDUCED_TRACES = 20;

    static RealStack.Scope scope;

    @BeforeAll
    static void simulateTraffic() {
        scope = RealStack.newScope("span-count");
        scope.simulate("hotrod-original", ORIGINAL_TRACES, "original", 1);
        scope.simulate("hotrod-reduced", REDUCED_TRACES, "reduced", 2);
    }

    @Test
    void thePackagedJobWritesOneExactDocumentPerTrace() throws Exception {
        Path overrides = scope.overridesPart("trace_summaries", "trace-summaries-runner");
        RunOptions options = RunOptions.parse("--bounded", "span_count.sql");
        options.initScripts.addAll(scope.initScripts(overrides));

        SqlJobRunner.run(options);

        assertExactSummaries(scope.documents("trace-summaries-runner"));
    }

    @Test
    void flinksSqlClientRunsTheSameScriptToTheSameDocuments() throws Exception {
        Path overrides = scope.overridesPart("trace_summaries", "trace-summaries-sql-client");
        Path workDir = Files.createDirectories(RealStack.WORK_DIR.resolve("sql-client-span-count"));
        Path output = workDir.resolve("output.txt");

        SqlClientCommand sqlClient = new SqlClientCommand();
        new CommandLine(sqlClient)
                .parseArgs(
                        "--env",
                        scope.environmentPart().toString(),
                        "--bounded",
                        "-i",
                        overrides.toString(),
                        "-f",
                        RealStack.HOME.resolve("sql/span_count.sql").toString());

        int exit = sqlClient.start(workDir, ProcessBuilder.Redirect.to(output.toFile()));

        assertThat(exit).as("SQL client exit code; its output is in %s", output).isZero();
        assertExactSummaries(scope.documents("trace-summaries-sql-client"));
    }

    private static void assertExactSummaries(List<JsonNode> hits) {
        assertThat(hits).hasSize(ORIGINAL_TRACES + REDUCED_TRACES);
        Map<String, Integer> tracesPerTest = new TreeMap<>();
        Set<String> traceIds = new HashSet<>();
        for (JsonNode hit : hits) {
            JsonNode doc = hit.get("_source");
            String testName = doc.get("testName").asText();
            int routeCalls = testName.equals("original") ? 10 : 5;
            tracesPerTest.merge(testName, 1, Integer::sum);
            traceIds.add(doc.get("traceId").asText());

            assertThat(hit.get("_id").asText()).isEqualTo(doc.get("traceId").asText());
            // the simulator's ids are random 128-bit: 32 hex digits
            assertThat(doc.get("traceId").asText()).matches("[0-9a-f]{32}");
            assertThat(doc.get("@timestamp").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?Z");
            assertThat(doc.get("spanCount").asLong()).isEqualTo(testName.equals("original") ? 53 : 43);
            Map<String, Long> spanCounts = new TreeMap<>();
            doc.get("spanCounts")
                    .fields()
                    .forEachRemaining(
                            e -> spanCounts.put(e.getKey(), e.getValue().asLong()));
            assertThat(spanCounts).isEqualTo(HotrodExpectations.spanCounts(routeCalls));
        }
        assertThat(tracesPerTest)
                .containsExactly(Map.entry("original", ORIGINAL_TRACES), Map.entry("reduced", REDUCED_TRACES));
        assertThat(traceIds).hasSize(ORIGINAL_TRACES + REDUCED_TRACES);
    }
}
