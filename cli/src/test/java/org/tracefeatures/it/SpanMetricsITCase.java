package org.tracefeatures.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import io.jaegertracing.api_v2.KeyValue;
import io.jaegertracing.api_v2.Process;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
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
import org.tracefeatures.runner.RunOptions;
import org.tracefeatures.runner.SqlJobRunner;
import org.tracefeatures.simulator.GeneratedTrace;
import org.tracefeatures.simulator.SimulatorConfig;
import org.tracefeatures.simulator.TraceGenerator;
import org.tracefeatures.simulator.TraceSimulator;

/**
 * sql/span_metrics.sql end to end: call counts and latency percentiles over simulated HotROD traffic,
 * compared with what the simulator configs imply, and the top-N fold over a config built for it.
 */
@ExtendWith(RealStack.class)
@ResourceLock(value = RealStack.SHARED_PROCESSES, mode = ResourceAccessMode.READ)
class SpanMetricsITCase {
    static final int ORIGINAL_TRACES = 40;
    static final int REDUCED_TRACES = 20;
    /** Traces of the fold config, all sent within one minute. */
    static final int FOLD_TRACES = 20;

    static RealStack.Scope scope;
    static List<JsonNode> firstRun;
    static List<JsonNode> secondRun;

    static RealStack.Scope foldScope;
    static List<JsonNode> foldRun;
    static Path foldConfig;

    @BeforeAll
    static void runTheJobs() throws Exception {
        scope = RealStack.newScope("span-metrics");
        scope.simulate("hotrod-original", ORIGINAL_TRACES, "original", 41);
        scope.simulate("hotrod-reduced", REDUCED_TRACES, "reduced", 42);
        String job = RealStack.HOME.resolve("sql/span_metrics.sql").toString();
        firstRun = run(scope, job);
        // so that the second run must rewrite each document to pass (an unchanged document would also look
        // like a replaced one)
        for (JsonNode hit : firstRun) {
            RealStack.updateDocument(hit.get("_index").asText(), hit.get("_id").asText(), "{\"calls\":0}");
        }
        secondRun = run(scope, job);

        foldScope = RealStack.newScope("span-metrics-fold");
        foldConfig = foldScope.part("fold.json", FOLD_CONFIG);
        // the fold test's expectations are per minute: its spans must all fall in one; 20 traces take < 1 s
        RealStack.startWithSecondsLeftInTheMinute(20);
        foldScope.simulate(foldConfig.toString(), FOLD_TRACES, "fold", 43);
        String sql = Files.readString(RealStack.HOME.resolve("sql/span_metrics.sql"));
        String topOne = sql.replace("calls_rank <= 100", "calls_rank <= 1");
        assertThat(topOne)
                .as("span_metrics.sql no longer says calls_rank <= 100")
                .isNotEqualTo(sql);
        foldRun = run(foldScope, foldScope.part("span_metrics_top1.sql", topOne).toString());
    }

    private static List<JsonNode> run(RealStack.Scope target, String job) throws Exception {
        Path index = target.part(
                "span-metrics-index.sql",
                "ALTER TABLE span_metrics SET ('index' = '" + target.index("span-metrics")
                        + "-{@timestamp|yyyy-MM-dd}');\n");
        RunOptions options = RunOptions.parse("--bounded", job);
        options.initScripts.addAll(target.initScripts(target.overridesPart()));
        options.initScripts.add(index.toString());
        SqlJobRunner.run(options);

        String indexes = target.index("span-metrics") + "-*";
        RealStack.elasticsearch().refresh(indexes);
        List<JsonNode> hits = new ArrayList<>();
        RealStack.elasticsearch()
                .search(indexes, "{\"size\":10000,\"query\":{\"match_all\":{}}}")
                .at("/hits/hits")
                .forEach(hits::add);
        return hits;
    }

    @Test
    void callCountsPerOperationAreTheSimulatedOnes() {
        // HotrodExpectations: spans per service::operation in one trace; HTTP GET spans are the clients, the
        // endpoints the servers, runTest has no span.kind. The spans may fall into two minutes: summed.
        Map<String, Long> expected = new TreeMap<>();
        HotrodExpectations.spanCounts(10)
                .forEach((key, n) -> expected.merge(withKind(key), ORIGINAL_TRACES * n, Long::sum));
        HotrodExpectations.spanCounts(5)
                .forEach((key, n) -> expected.merge(withKind(key), REDUCED_TRACES * n, Long::sum));

        Map<String, Long> calls = new TreeMap<>();
        for (JsonNode hit : firstRun) {
            JsonNode doc = hit.get("_source");
            calls.merge(
                    doc.get("service").asText() + "::" + doc.get("operation").asText() + " "
                            + doc.get("spanKind").asText(),
                    doc.get("calls").asLong(),
                    Long::sum);
            // the configs' failure probabilities are 0
            assertThat(doc.get("error").asBoolean()).isFalse();
            assertThat(doc.get("errors").asLong()).isZero();
        }
        assertThat(calls).isEqualTo(expected);
    }

    private static String withKind(String serviceOperation) {
        String operation = serviceOperation.substring(serviceOperation.indexOf("::") + 2);
        return serviceOperation + " "
                + (operation.equals("HTTP GET") ? "client" : operation.equals("runTest") ? "null" : "server");
    }

    @Test
    void everyDocumentIsOneMinuteOfOneGroupInItsUtcDaysIndex() {
        assertThat(firstRun).isNotEmpty();
        Set<String> groups = new HashSet<>();
        for (JsonNode hit : firstRun) {
            JsonNode doc = hit.get("_source");
            assertThat(hit.get("_id").asText()).isEqualTo(doc.get("docId").asText());
            Instant minute = Instant.parse(doc.get("@timestamp").asText());
            assertThat(minute.truncatedTo(ChronoUnit.MINUTES)).isEqualTo(minute);
            assertThat(hit.get("_index").asText())
                    .isEqualTo(scope.index("span-metrics") + "-"
                            + minute.atZone(ZoneOffset.UTC).toLocalDate());
            assertThat(groups.add(minute + " " + doc.get("service") + " " + doc.get("operation") + " "
                            + doc.get("spanKind") + " " + doc.get("error")))
                    .isTrue();

            long calls = doc.get("calls").asLong();
            JsonNode histogram = doc.get("durationHistogram");
            assertThat(histogram.get("leInf").asLong()).isEqualTo(calls);
            long previous = 0;
            for (JsonNode count : histogram) {
                assertThat(count.asLong()).as("cumulative counts").isGreaterThanOrEqualTo(previous);
                previous = count.asLong();
            }
            long p50 = doc.get("p50Micros").asLong();
            long p95 = doc.get("p95Micros").asLong();
            long p99 = doc.get("p99Micros").asLong();
            assertThat(p50).isPositive().isLessThanOrEqualTo(p95);
            assertThat(p95).isLessThanOrEqualTo(p99);
            assertThat(p99).isLessThanOrEqualTo(doc.get("maxMicros").asLong());
        }
    }

    @Test
    void percentilesOfLeafEndpointsFitTheirConfiguredLatency() {
        // Leaves do only their own work, Normal(Mean, StdDev) from hotrod-original.json (the same in the reduced
        // config): their server spans' durations are draws from it
        assertLeafLatency("mysql", "/sql_select", 5.0, 1.0);
        assertLeafLatency("redis", "/GetDriver", 2.0, 0.5);
        assertLeafLatency("redis", "/FindDriverIDs", 3.0, 0.5);
        assertLeafLatency("route", "/GetShortestRoute", 4.0, 1.0);
    }

    private static void assertLeafLatency(String service, String operation, double meanMillis, double sdMillis) {
        int checked = 0;
        for (JsonNode hit : firstRun) {
            JsonNode doc = hit.get("_source");
            long n = doc.get("calls").asLong();
            if (!doc.get("service").asText().equals(service)
                    || !doc.get("operation").asText().equals(operation)
                    || n < 30) {
                continue; // a minute with a handful of the spans says little about their distribution
            }
            checked++;
            assertThat(doc.get("spanKind").asText()).isEqualTo("server");
            assertQuantile(doc.get("p50Micros").asLong(), meanMillis, sdMillis, 0.5, 0.0, n);
            assertQuantile(doc.get("p95Micros").asLong(), meanMillis, sdMillis, 0.95, 1.6449, n);
            assertQuantile(doc.get("p99Micros").asLong(), meanMillis, sdMillis, 0.99, 2.3263, n);
            // all of them are far below 10 ms: mean + 5 sd at most
            assertThat(doc.get("durationHistogram").get("le10ms").asLong()).isEqualTo(n);
            assertThat(doc.get("maxMicros").asLong()).isLessThan(10_000);
        }
        assertThat(checked)
                .as("documents of %s %s with 30 calls or more", service, operation)
                .isPositive();
    }

    /**
     * The sample quantile q of n draws from Normal(mean, sd) lies within 4 standard errors of the true quantile
     * mean + z * sd (standard error sqrt(q (1 - q) / n) / density there), give or take the sketch's 1/128.
     */
    private static void assertQuantile(long micros, double meanMillis, double sdMillis, double q, double z, long n) {
        double expected = (meanMillis + z * sdMillis) * 1000;
        double density = Math.exp(-z * z / 2) / Math.sqrt(2 * Math.PI) / (sdMillis * 1000);
        double standardError = Math.sqrt(q * (1 - q) / n) / density;
        assertThat((double) micros)
                .as("p%s of %s draws", q * 100, n)
                .isCloseTo(expected, within(4 * standardError + expected / 128));
    }

    @Test
    void aSecondRunWritesTheSameDocumentsUnderTheSameIds() {
        Map<String, JsonNode> first = byId(firstRun);
        Map<String, JsonNode> second = byId(secondRun);

        assertThat(second.keySet()).isEqualTo(first.keySet());
        second.forEach((id, source) -> assertThat(source).isEqualTo(first.get(id)));
    }

    private static Map<String, JsonNode> byId(List<JsonNode> hits) {
        Map<String, JsonNode> byId = new TreeMap<>();
        hits.forEach(hit ->
                byId.put(hit.get("_index").asText() + "/" + hit.get("_id").asText(), hit.get("_source")));
        return byId;
    }

    /**
     * shop /checkout calls store /a 3 times, /b twice, /c once and /d once, in sequence; /d always fails (so
     * does /checkout then, and the root). Work is exact (StdDev 0): /a 1 ms, /b 10 ms, /c 100 ms, /d 1 ms.
     */
    static final String FOLD_CONFIG = """
            {
              "Services": [
                {"Name": "shop", "Endpoints": [{"Name": "/checkout",
                  "Perf": {"Latency": {"Mean": 1000000, "StdDev": 0}},
                  "Depends": {"Seq": [
                    {"Service": {"Name": "store", "Endpoint": "/a"}},
                    {"Service": {"Name": "store", "Endpoint": "/a"}},
                    {"Service": {"Name": "store", "Endpoint": "/a"}},
                    {"Service": {"Name": "store", "Endpoint": "/b"}},
                    {"Service": {"Name": "store", "Endpoint": "/b"}},
                    {"Service": {"Name": "store", "Endpoint": "/c"}},
                    {"Service": {"Name": "store", "Endpoint": "/d"}}
                  ]}}]},
                {"Name": "store", "Endpoints": [
                  {"Name": "/a", "Perf": {"Latency": {"Mean": 1000000, "StdDev": 0}}},
                  {"Name": "/b", "Perf": {"Latency": {"Mean": 10000000, "StdDev": 0}}},
                  {"Name": "/c", "Perf": {"Latency": {"Mean": 100000000, "StdDev": 0}}},
                  {"Name": "/d", "Perf": {"Latency": {"Mean": 1000000, "StdDev": 0},
                                          "Failure": {"Probability": 1, "Messages": ["out of stock"]}}}
                ]}
              ]
            }
            """;

    @Test
    void withTopOneOperationPerServiceTheOthersFoldIntoOther() {
        Set<String> minutes = new HashSet<>();
        Map<String, JsonNode> docs = new TreeMap<>();
        for (JsonNode hit : foldRun) {
            JsonNode doc = hit.get("_source");
            minutes.add(doc.get("@timestamp").asText());
            docs.put(
                    doc.get("service").asText() + " " + doc.get("operation").asText() + " "
                            + doc.get("spanKind").asText() + " "
                            + (doc.get("error").asBoolean() ? "error" : "ok"),
                    doc);
        }
        assertThat(minutes).as("the fold traffic was sent within one minute").hasSize(1);

        // Calls per trace by hand, ranked per service (ties go to the name that sorts first):
        // test-executor: HTTP GET 1, runTest 1 -> HTTP GET ('H' < 'r') keeps its name, runTest is other; both
        //   failed, as /d's error travels up to the root.
        // shop: HTTP GET 7 (6 ok, the one to /d failed), /checkout 1 (failed) -> /checkout is other.
        // store: /a 3, /b 2, /c 1, /d 1 (failed) -> /a keeps its name; /b and /c add up to one document,
        //   /d is other with error.
        int t = FOLD_TRACES;
        Map<String, Long> expectedCalls = new TreeMap<>();
        expectedCalls.put("test-executor HTTP GET client error", (long) t);
        expectedCalls.put("test-executor other null error", (long) t);
        expectedCalls.put("shop HTTP GET client ok", 6L * t);
        expectedCalls.put("shop HTTP GET client error", (long) t);
        expectedCalls.put("shop other server error", (long) t);
        expectedCalls.put("store /a server ok", 3L * t);
        expectedCalls.put("store other server ok", 3L * t);
        expectedCalls.put("store other server error", (long) t);
        Map<String, Long> calls = new TreeMap<>();
        Map<String, Long> errors = new TreeMap<>();
        docs.forEach((key, doc) -> calls.put(key, doc.get("calls").asLong()));
        docs.forEach((key, doc) -> errors.put(key, doc.get("errors").asLong()));
        assertThat(calls).isEqualTo(expectedCalls);
        expectedCalls.forEach((key, n) -> assertThat(errors.get(key)).as(key).isEqualTo(key.endsWith("error") ? n : 0));

        // /b and /c folded: 40 durations of 10000 us and 20 of 100000 us. Nearest rank of 60:
        // p50 = rank 30 = 10000, read as the midpoint of its bucket [9984, 10111] (width 128): 10047;
        // p95 = rank 57 = 100000, in [99328, 100351] (width 1024): 99839; p99 = rank 60, the exact maximum
        JsonNode folded = docs.get("store other server ok");
        assertThat(folded.get("p50Micros").asLong()).isEqualTo(10_047);
        assertThat(folded.get("p95Micros").asLong()).isEqualTo(99_839);
        assertThat(folded.get("p99Micros").asLong()).isEqualTo(100_000);
        assertThat(folded.get("maxMicros").asLong()).isEqualTo(100_000);
        JsonNode histogram = folded.get("durationHistogram");
        assertThat(histogram.get("le8ms").asLong()).isZero();
        assertThat(histogram.get("le10ms").asLong()).isEqualTo(40); // 10 ms is at or below the 10 ms bound
        assertThat(histogram.get("le50ms").asLong()).isEqualTo(40);
        assertThat(histogram.get("le100ms").asLong()).isEqualTo(60);
        assertThat(histogram.get("leInf").asLong()).isEqualTo(60);

        // exemplars: every trace has the same durations, so each bucket's slowest span is in every trace and the
        // exemplar is the trace id that sorts first of the 20 the simulator wrote (seed 43, as Jaeger prints
        // 128-bit ids: 32 hex digits); /b's 10,000 us fall in le10ms, /c's 100,000 us in le100ms, nothing else
        String firstTrace = null;
        for (int i = 0; i < FOLD_TRACES; i++) {
            GeneratedTrace trace = new TraceGenerator(SimulatorConfig.load(foldConfig.toString()), "fold")
                    .generate(i, TraceSimulator.randomForTrace(43, i), Instant.EPOCH);
            assertThat(trace.traceIdHigh()).as("a 128-bit id").isNotZero();
            String id = String.format("%016x%016x", trace.traceIdHigh(), trace.traceIdLow());
            firstTrace = firstTrace == null || id.compareTo(firstTrace) < 0 ? id : firstTrace;
        }
        JsonNode exemplars = folded.get("durationExemplars");
        assertThat(exemplars.at("/le10ms/traceId").asText()).isEqualTo(firstTrace);
        assertThat(exemplars.at("/le10ms/micros").asLong()).isEqualTo(10_000);
        assertThat(exemplars.at("/le100ms/traceId").asText()).isEqualTo(firstTrace);
        assertThat(exemplars.at("/le100ms/micros").asLong()).isEqualTo(100_000);
        List<String> bucketsWithExemplars = new ArrayList<>();
        exemplars.fields().forEachRemaining(e -> {
            if (!e.getValue().isNull()) {
                bucketsWithExemplars.add(e.getKey());
            }
        });
        assertThat(bucketsWithExemplars).containsExactly("le10ms", "le100ms");

        // /a: 60 x 1000 us; the bucket's midpoint 1003 is clamped to the maximum 1000
        JsonNode kept = docs.get("store /a server ok");
        assertThat(kept.get("p50Micros").asLong()).isEqualTo(1_000);
        assertThat(kept.get("p99Micros").asLong()).isEqualTo(1_000);
        assertThat(kept.get("durationHistogram").get("le2ms").asLong()).isEqualTo(60);
    }

    /**
     * A dimension of 10,000 values in one minute: http.route /hot on 5 spans, /r0000 ... /r9998 on one span each, every
     * span of service api, operation GET, process tag service.version 1.4. Per service and minute the top 100
     * (operation, dimensions) by calls keep their dimensions: /hot (5 calls), then the 99 of one call whose dimensions
     * sort first (/r0000 ... /r0098); the other 9,900 are added up in one document, operation 'other' without
     * dimensions, foldedGroups 9,900: 101 documents, 10,004 calls.
     */
    @Test
    void aDimensionOf10000ValuesIsGuardedAndCounted() throws Exception {
        RealStack.Scope dims = RealStack.newScope("span-metrics-dims");
        // the expectations are per minute: the spans must all fall in one
        RealStack.startWithSecondsLeftInTheMinute(20);
        long start = System.currentTimeMillis() * 1000;
        List<byte[]> spans = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            spans.add(routeSpan(1 + i, "/hot", start));
        }
        for (int i = 0; i < 9_999; i++) {
            spans.add(routeSpan(100 + i, String.format("/r%04d", i), start));
        }
        dims.produce(spans);
        List<JsonNode> hits =
                run(dims, RealStack.HOME.resolve("sql/span_metrics.sql").toString());

        Map<String, JsonNode> byRoute = new TreeMap<>();
        for (JsonNode hit : hits) {
            JsonNode doc = hit.get("_source");
            assertThat(doc.get("service").asText()).isEqualTo("api");
            String route = doc.at("/dimensions/http.route").asText("none");
            assertThat(byRoute.put(route, doc)).as("one document for " + route).isNull();
        }
        assertThat(byRoute).hasSize(101);
        JsonNode hot = byRoute.get("/hot");
        assertThat(hot.get("operation").asText()).isEqualTo("GET");
        assertThat(hot.get("calls").asLong()).isEqualTo(5);
        assertThat(hot.get("foldedGroups").asLong()).isZero();
        assertThat(hot.at("/dimensions/service.version").asText()).isEqualTo("1.4");
        for (int i = 0; i < 99; i++) {
            JsonNode kept = byRoute.get(String.format("/r%04d", i));
            assertThat(kept).as("/r%04d keeps its dimensions", i).isNotNull();
            assertThat(kept.get("calls").asLong()).isEqualTo(1);
            assertThat(kept.get("foldedGroups").asLong()).isZero();
        }
        JsonNode other = byRoute.get("none");
        assertThat(other.get("operation").asText()).isEqualTo("other");
        assertThat(other.get("dimensions").size()).isZero();
        assertThat(other.get("calls").asLong()).isEqualTo(9_900);
        assertThat(other.get("foldedGroups").asLong()).isEqualTo(9_900);
    }

    /** A root span of its own trace, lasting 1 ms, with the route as a span tag and service.version 1.4. */
    private static byte[] routeSpan(long trace, String route, long startMicros) {
        return JaegerSpans.span(trace, 1, 0, "api", "GET", startMicros, 1_000)
                .addTags(KeyValue.newBuilder().setKey("http.route").setVStr(route))
                .setProcess(Process.newBuilder()
                        .setServiceName("api")
                        .addTags(KeyValue.newBuilder().setKey("service.version").setVStr("1.4")))
                .build()
                .toByteArray();
    }
}
