package org.tracefeatures.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.parallel.ResourceAccessMode;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.tracefeatures.runner.RunOptions;
import org.tracefeatures.runner.SqlJobRunner;

/**
 * sql/trace_features.sql end to end over simulated HotROD traffic, asserting what the simulator configs
 * imply: the trace shape (see {@link HotrodExpectations}) and the critical path adding up to the root's
 * duration in every document.
 */
@ExtendWith(RealStack.class)
@ResourceLock(value = RealStack.SHARED_PROCESSES, mode = ResourceAccessMode.READ)
class TraceFeaturesITCase {
    static final int ORIGINAL_TRACES = 20;
    static final int REDUCED_TRACES = 15;

    static RealStack.Scope scope;

    @BeforeAll
    static void runTraceFeatures() throws Exception {
        scope = RealStack.newScope("trace-features");
        scope.simulate("hotrod-original", ORIGINAL_TRACES, "original", 11);
        scope.simulate("hotrod-reduced", REDUCED_TRACES, "reduced", 12);
        RunOptions options = RunOptions.parse("--bounded", "trace_features.sql");
        options.initScripts.addAll(scope.initScripts(
                scope.overridesPart("trace_features", "trace-features", "trace_critical_path", "trace-critical-path")));
        SqlJobRunner.run(options);
    }

    @Test
    void everyTraceHasItsShapeAsTheConfigImpliesIt() {
        List<JsonNode> documents = scope.documents("trace-features");

        assertThat(documents).hasSize(ORIGINAL_TRACES + REDUCED_TRACES);
        Map<String, Integer> perTest = new TreeMap<>();
        for (JsonNode hit : documents) {
            JsonNode doc = hit.get("_source");
            boolean original = doc.get("testName").asText().equals("original");
            perTest.merge(doc.get("testName").asText(), 1, Integer::sum);

            assertThat(doc.get("spanCount").asInt()).isEqualTo(original ? 53 : 43);
            assertThat(doc.get("serviceCount").asInt()).isEqualTo(8);
            // 14 distinct service::operation pairs in both configs
            assertThat(doc.get("operationCount").asInt()).isEqualTo(14);
            // runTest > HTTP GET > / > HTTP GET > /dispatch > HTTP GET > /FindNearest > HTTP GET > /GetDriver
            assertThat(doc.get("depth").asInt()).isEqualTo(9);
            // the same chain by service: test-executor, ui, frontend, driver, redis
            assertThat(doc.get("serviceDepth").asInt()).isEqualTo(5);
            // /dispatch calls customer, driver and 10 (5) x route
            assertThat(doc.get("maxFanOut").asInt()).isEqualTo(original ? 12 : 11);
            assertThat(doc.get("errorCount").asInt()).isZero();
            assertThat(doc.get("errorServices")).isEmpty();
            assertThat(doc.get("rootService").asText()).isEqualTo("test-executor");
            assertThat(doc.get("rootOperation").asText()).isEqualTo("runTest");
            assertThat(doc.get("rootCount").asInt()).isEqualTo(1);
            assertThat(doc.get("orphanSpanCount").asInt()).isZero();
            assertThat(doc.get("warnings")).isEmpty();

            // the simulator's network hop: a server span starts 50 us after its client span
            assertThat(doc.get("networkLatencyMaxMicros").asLong()).isEqualTo(50);
            assertThat(doc.get("networkLatencyAvgMicros").asDouble()).isEqualTo(50.0);

            long rootDuration = doc.get("rootDurationMicros").asLong();
            assertThat(rootDuration).isPositive();
            assertThat(doc.get("durationMicros").asLong()).isGreaterThanOrEqualTo(rootDuration);
            assertThat(sum(doc.get("criticalPath"))).isEqualTo(rootDuration);
            assertThat(sum(doc.get("criticalPathServices"))).isEqualTo(rootDuration);
            // every call in the configs is sequential but the route calls, and the last of those ends the
            // parallel block: every service spends time on the critical path
            List<String> onCriticalPath = new java.util.ArrayList<>();
            doc.get("criticalPathServices").fieldNames().forEachRemaining(onCriticalPath::add);
            assertThat(onCriticalPath)
                    .containsExactlyInAnyOrder(
                            "test-executor", "ui", "frontend", "customer", "mysql", "driver", "redis", "route");

            Map<String, Long> spanCounts = new TreeMap<>();
            doc.get("spanCounts")
                    .fields()
                    .forEachRemaining(
                            e -> spanCounts.put(e.getKey(), e.getValue().asLong()));
            assertThat(spanCounts).isEqualTo(HotrodExpectations.spanCounts(original ? 10 : 5));
        }
        assertThat(perTest)
                .containsExactly(Map.entry("original", ORIGINAL_TRACES), Map.entry("reduced", REDUCED_TRACES));
    }

    @Test
    void theCriticalPathBySplitsIntoOneDocumentPerTraceAndService() {
        Map<String, Long> rootDurations = new HashMap<>();
        Map<String, Map<String, Long>> expectedShares = new HashMap<>();
        for (JsonNode hit : scope.documents("trace-features")) {
            JsonNode doc = hit.get("_source");
            rootDurations.put(
                    doc.get("traceId").asText(), doc.get("rootDurationMicros").asLong());
            Map<String, Long> shares = new TreeMap<>();
            doc.get("criticalPathServices")
                    .fields()
                    .forEachRemaining(e -> shares.put(e.getKey(), e.getValue().asLong()));
            expectedShares.put(doc.get("traceId").asText(), shares);
        }

        Map<String, Map<String, Long>> shares = new HashMap<>();
        for (JsonNode hit : scope.documents("trace-critical-path")) {
            JsonNode doc = hit.get("_source");
            assertThat(hit.get("_id").asText())
                    .isEqualTo(doc.get("traceId").asText() + "/"
                            + doc.get("service").asText());
            shares.computeIfAbsent(doc.get("traceId").asText(), id -> new TreeMap<>())
                    .put(doc.get("service").asText(), doc.get("micros").asLong());
        }

        assertThat(shares).isEqualTo(expectedShares);
        shares.forEach((traceId, byService) -> assertThat(
                        byService.values().stream().mapToLong(Long::longValue).sum())
                .isEqualTo(rootDurations.get(traceId)));
    }

    private static long sum(JsonNode object) {
        long total = 0;
        for (JsonNode value : object) {
            total += value.asLong();
        }
        return total;
    }
}
