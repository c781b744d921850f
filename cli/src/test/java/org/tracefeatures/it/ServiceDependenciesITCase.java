package org.tracefeatures.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import io.jaegertracing.api_v2.Span;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
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
 * sql/service_dependencies.sql end to end over simulated hotrod-original traffic, its documents read back as
 * Jaeger Query's Elasticsearch dependency reader reads them (internal/storage/v2/elasticsearch/depstore in
 * jaegertracing/jaeger): the indexes of the look-back's UTC days, a range query on "timestamp", and
 * json.Unmarshal into {timestamp time.Time, dependencies [{parent, child, callCount uint64}]}.
 */
@ExtendWith(RealStack.class)
@ResourceLock(value = RealStack.SHARED_PROCESSES, mode = ResourceAccessMode.READ)
class ServiceDependenciesITCase {
    static final int TRACES = 25;
    /** RFC 3339 date-time, what Go's time.Time accepts in JSON (seconds required, fraction optional). */
    static final Pattern RFC_3339 =
            Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?(Z|[+-]\\d{2}:\\d{2})");

    static RealStack.Scope scope;
    /** What Jaeger's --es.index-prefix would be: its dependency indexes are PREFIX-jaeger-dependencies-DAY. */
    static String jaegerIndexPrefix;

    static List<JsonNode> firstRun;
    static List<JsonNode> firstServiceGraph;
    static List<JsonNode> secondRun;
    static List<JsonNode> secondServiceGraph;

    @BeforeAll
    static void runTheJobTwiceOverTheSameSpans() throws Exception {
        scope = RealStack.newScope("service-dependencies");
        scope.simulate("hotrod-original", TRACES, "original", 31);
        jaegerIndexPrefix = scope.index("tracefeatures");
        Path index = scope.part(
                "dependencies-index.sql",
                "ALTER TABLE jaeger_dependencies SET ('index' = '" + jaegerIndexPrefix
                        + "-jaeger-dependencies-{timestamp|yyyy-MM-dd}');\n");

        firstRun = runAndReadAsJaeger(scope, jaegerIndexPrefix, index);
        firstServiceGraph = scope.documents("service-graph");
        // so that the second run must rewrite each document to pass (an unchanged document would also look
        // like a replaced one)
        for (JsonNode hit : firstRun) {
            RealStack.updateDocument(hit.get("_index").asText(), hit.get("_id").asText(), "{\"dependencies\":[]}");
        }
        for (JsonNode hit : firstServiceGraph) {
            RealStack.updateDocument(hit.get("_index").asText(), hit.get("_id").asText(), "{\"calls\":0}");
        }
        secondRun = runAndReadAsJaeger(scope, jaegerIndexPrefix, index);
        secondServiceGraph = scope.documents("service-graph");
    }

    private static List<JsonNode> runAndReadAsJaeger(RealStack.Scope scope, String jaegerIndexPrefix, Path index)
            throws Exception {
        return runAndReadAsJaeger(scope, jaegerIndexPrefix, index, "service_dependencies.sql");
    }

    private static List<JsonNode> runAndReadAsJaeger(
            RealStack.Scope scope, String jaegerIndexPrefix, Path index, String job) throws Exception {
        RunOptions options = RunOptions.parse("--bounded", job);
        options.initScripts.addAll(scope.initScripts(scope.overridesPart("service_graph", "service-graph")));
        options.initScripts.add(index.toString());
        SqlJobRunner.run(options);
        // Jaeger's UI asks for endTs = now; a minute later here, as the last trace's bucket is the one of its
        // window end (last span + 5 s), which may still be ahead of the clock when a quick run has finished
        return readAsJaeger(jaegerIndexPrefix, Instant.now().plus(Duration.ofMinutes(1)), Duration.ofHours(3));
    }

    /** Jaeger's GetDependencies(endTs, lookback): the look-back's daily indexes, a range query on timestamp. */
    private static List<JsonNode> readAsJaeger(String jaegerIndexPrefix, Instant endTs, Duration lookback) {
        List<String> indexes = new ArrayList<>();
        LocalDate first = endTs.minus(lookback).atZone(ZoneOffset.UTC).toLocalDate();
        for (LocalDate day = endTs.atZone(ZoneOffset.UTC).toLocalDate(); !day.isBefore(first); day = day.minusDays(1)) {
            indexes.add(jaegerIndexPrefix + "-jaeger-dependencies-" + day);
        }
        String readIndexes = String.join(",", indexes);
        RealStack.elasticsearch().refresh(readIndexes);
        String query = "{\"query\":{\"range\":{\"timestamp\":{\"gte\":\"" + endTs.minus(lookback) + "\",\"lte\":\""
                + endTs + "\"}}},\"size\":10000}";
        List<JsonNode> hits = new ArrayList<>();
        RealStack.elasticsearch().search(readIndexes, query).at("/hits/hits").forEach(hits::add);
        return hits;
    }

    @Test
    void everyCallBetweenServicesIsCountedOncePerRequest() {
        // Worked out from hotrod-original.json: each request is a client span in the caller whose server span is
        // in the callee, one call per cross-service parent->child pair. Per trace: the test executor calls ui /,
        // which calls frontend /dispatch, which calls customer /customer (-> mysql /sql_select), driver
        // /FindNearest (-> redis /FindDriverIDs, then 10 x redis /GetDriver) and 10 x route /GetShortestRoute.
        Map<String, Long> expected = new TreeMap<>();
        expected.put("test-executor -> ui", (long) TRACES);
        expected.put("ui -> frontend", (long) TRACES);
        expected.put("frontend -> customer", (long) TRACES);
        expected.put("customer -> mysql", (long) TRACES);
        expected.put("frontend -> driver", (long) TRACES);
        expected.put("driver -> redis", 11L * TRACES);
        expected.put("frontend -> route", 10L * TRACES);

        // summed over the documents, as Jaeger does: the traffic may fall on both sides of a bucket boundary
        assertThat(callCounts(firstRun)).isEqualTo(expected);
        // the service graph's requests between services are the same calls, summed over its minutes, all direct
        // (client span -> server span); nothing is unpaired, and the root (runTest) is no server span: no user edge
        Map<String, Long> graphCalls = new TreeMap<>();
        for (JsonNode hit : firstServiceGraph) {
            JsonNode doc = hit.get("_source");
            assertThat(doc.get("connectionType").asText()).isEqualTo("direct");
            assertThat(doc.get("unpairedClientSpans").asLong()
                            + doc.get("unpairedServerSpans").asLong())
                    .isZero();
            graphCalls.merge(doc.get("edge").asText(), doc.get("calls").asLong(), Long::sum);
        }
        assertThat(graphCalls).isEqualTo(expected);
        assertThat(firstRun).hasSizeBetween(1, 2);
        for (JsonNode hit : firstRun) {
            for (JsonNode link : hit.at("/_source/dependencies")) {
                assertThat(link.get("errorCount").asLong())
                        .as("the config's failure probabilities are 0")
                        .isZero();
                assertThat(link.get("source").asText()).isEqualTo("tracefeatures");
            }
        }
    }

    @Test
    void peersThatReportNoSpansAreNodesOfTheirOwn() throws Exception {
        RealStack.Scope peers = RealStack.newScope("peers");
        String prefix = peers.index("tracefeatures");
        // the service graph's expectations are per minute: all traces must fall in one (a trace's minute is the one of
        // its last span's arrival + the 5 s gap; 25 traces take < 1 s to send)
        RealStack.startWithSecondsLeftInTheMinute(35);
        peers.simulate(RealStack.resourcePath("/simulator/peers.json"), TRACES, "peers", PEERS_SEED);
        Path index = peers.part(
                "dependencies-index.sql",
                "ALTER TABLE jaeger_dependencies SET ('index' = '" + prefix
                        + "-jaeger-dependencies-{timestamp|yyyy-MM-dd}');\n");

        List<JsonNode> hits = runAndReadAsJaeger(peers, prefix, index);

        // Worked out from src/test/resources/simulator/peers.json: per trace the test executor calls api /order,
        // which selects twice from mysql (reports no spans: peer.service names it), calls billing (reports spans;
        // its client span's peer.service does not count it twice) and sends to kafka (reports no spans: a producer
        // span whose first peer tag is messaging.destination.name "orders")
        Map<String, Long> expected = new TreeMap<>();
        expected.put("test-executor -> api", (long) TRACES);
        expected.put("api -> mysql", 2L * TRACES);
        expected.put("api -> billing", (long) TRACES);
        expected.put("api -> orders", (long) TRACES);
        assertThat(callCounts(hits)).isEqualTo(expected);

        // The service graph: the same calls, one document per edge of the one minute, with the connection type by
        // the client span's tags (db.system: database; a producer: messaging_system), no failed calls (the config's
        // failure probabilities are 0) and nothing unpaired (every client span has a server span or a peer). The
        // latencies are those of the spans the simulator wrote (generated again here with the same seed).
        Map<String, JsonNode> graph = new TreeMap<>();
        for (JsonNode hit : peers.documents("service-graph")) {
            JsonNode doc = hit.get("_source");
            graph.put(doc.get("edge").asText() + " " + doc.get("connectionType").asText(), doc);
        }
        assertThat(graph)
                .containsOnlyKeys(
                        "test-executor -> api direct",
                        "api -> mysql database",
                        "api -> billing direct",
                        "api -> orders messaging_system");
        assertThat(graph.values().stream()
                        .map(doc -> doc.get("@timestamp").asText())
                        .distinct())
                .as("one minute")
                .hasSize(1);
        Map<String, List<Long>> clientMicros = new TreeMap<>();
        Map<String, List<Long>> serverMicros = new TreeMap<>();
        simulatedRequests(clientMicros, serverMicros);
        graph.forEach((key, doc) -> {
            String edge = doc.get("edge").asText();
            assertThat(doc.get("client").asText() + " -> " + doc.get("server").asText())
                    .isEqualTo(edge);
            assertThat(doc.get("calls").asLong()).as(key).isEqualTo(expected.get(edge));
            assertThat(doc.get("failedCalls").asLong()).as(key).isZero();
            assertThat(doc.get("unpairedClientSpans").asLong()).as(key).isZero();
            assertThat(doc.get("unpairedServerSpans").asLong()).as(key).isZero();
            assertThat(doc.get("foldedEdges").asLong()).as(key).isZero();
            assertLatencies(key + " client", doc, "client", clientMicros.get(edge));
            assertLatencies(key + " server", doc, "server", serverMicros.getOrDefault(edge, List.of()));
        });
        // the server side of the calls to mysql and kafka reports no spans; the client side saw every call
        assertThat(serverMicros).containsOnlyKeys("test-executor -> api", "api -> billing");
        clientMicros.forEach(
                (edge, micros) -> assertThat((long) micros.size()).as(edge).isEqualTo(expected.get(edge)));

        // The cardinality guard, with the top 1 edge per client and minute instead of 100: api calls mysql (database)
        // 50 times, billing (direct) and orders (messaging_system) 25 times each, so mysql keeps its name and the other
        // two are added up under 'other', one document per connection type; test-executor calls api alone.
        String sql = Files.readString(RealStack.HOME.resolve("sql/service_dependencies.sql"));
        String topOne = sql.replace("calls_rank > 100", "calls_rank > 1");
        assertThat(topOne)
                .as("service_dependencies.sql no longer says calls_rank > 100")
                .isNotEqualTo(sql);
        String topOneIndex = peers.index("service-graph-top1");
        Path topOneIndexes = peers.part(
                "top1-index.sql",
                Files.readString(index) + "ALTER TABLE service_graph SET ('index' = '" + topOneIndex + "');\n");
        runAndReadAsJaeger(
                peers,
                prefix,
                topOneIndexes,
                peers.part("service_dependencies_top1.sql", topOne).toString());
        Map<String, String> folded = new TreeMap<>();
        for (JsonNode hit : peers.documents("service-graph-top1")) {
            JsonNode doc = hit.get("_source");
            folded.put(
                    doc.get("edge").asText() + " " + doc.get("connectionType").asText(),
                    "calls " + doc.get("calls").asLong() + ", folded "
                            + doc.get("foldedEdges").asLong());
        }
        assertThat(folded)
                .containsExactlyEntriesOf(new TreeMap<>(Map.of(
                        "test-executor -> api direct", "calls 25, folded 0",
                        "api -> mysql database", "calls 50, folded 0",
                        "api -> other direct", "calls 25, folded 1",
                        "api -> other messaging_system", "calls 25, folded 1")));
    }

    static final long PEERS_SEED = 32;
    /** The bounds of the duration histograms, in ms (the OpenTelemetry spanmetrics connector's default buckets). */
    static final long[] HISTOGRAM_BOUNDS_MS = {
        2, 4, 6, 8, 10, 50, 100, 200, 400, 800, 1000, 1400, 2000, 5000, 10000, 15000
    };

    /**
     * The requests of the traces the simulator wrote for peers.json, generated again with the seed (a trace's spans
     * depend only on the seed and its index; its start time moves them all alike): per edge, the durations of the
     * client (or producer) spans and of the server spans below them, in microseconds as the spans view reads them.
     * The edge is the one the config says: test-executor's client span calls api; api's client spans name their
     * callee in peer.service, its producer span in messaging.destination.name.
     */
    private static void simulatedRequests(Map<String, List<Long>> clientMicros, Map<String, List<Long>> serverMicros) {
        TraceGenerator generator =
                new TraceGenerator(SimulatorConfig.load(RealStack.resourcePath("/simulator/peers.json")), "peers");
        for (int i = 0; i < TRACES; i++) {
            GeneratedTrace trace = generator.generate(i, TraceSimulator.randomForTrace(PEERS_SEED, i), Instant.EPOCH);
            for (Span client : trace.spans()) {
                Map<String, String> tags = new TreeMap<>();
                client.getTagsList().forEach(tag -> tags.put(tag.getKey(), tag.getVStr()));
                String kind = tags.get("span.kind");
                if (!"client".equals(kind) && !"producer".equals(kind)) {
                    continue;
                }
                String service = client.getProcess().getServiceName();
                String edge = service.equals("test-executor")
                        ? "test-executor -> api"
                        : service + " -> " + tags.getOrDefault("peer.service", tags.get("messaging.destination.name"));
                clientMicros.computeIfAbsent(edge, e -> new ArrayList<>()).add(micros(client));
                for (Span server : trace.spans()) {
                    if (server.getReferencesCount() > 0
                            && server.getReferences(0).getSpanId().equals(client.getSpanId())) {
                        serverMicros
                                .computeIfAbsent(edge, e -> new ArrayList<>())
                                .add(micros(server));
                    }
                }
            }
        }
    }

    private static long micros(Span span) {
        return span.getDuration().getSeconds() * 1_000_000 + span.getDuration().getNanos() / 1000;
    }

    /**
     * The document's percentiles of one side are the nearest-rank ones of the durations within the sketch's stated
     * error (1/128 of the value), its maximum and histogram exact; a side without spans has no percentiles.
     */
    private static void assertLatencies(String what, JsonNode doc, String side, List<Long> durations) {
        List<Long> sorted = durations.stream().sorted().toList();
        for (double q : new double[] {0.5, 0.95, 0.99}) {
            JsonNode value = doc.get(side + "P" + Math.round(q * 100) + "Micros");
            if (sorted.isEmpty()) {
                assertThat(value == null || value.isNull()).as(what + " p" + q).isTrue();
                continue;
            }
            long expected = sorted.get((int) Math.ceil(q * sorted.size()) - 1);
            assertThat(value.asLong()).as(what + " p" + q).isCloseTo(expected, within(expected / 128 + 1));
        }
        if (!sorted.isEmpty()) {
            assertThat(doc.get(side + "MaxMicros").asLong()).as(what + " max").isEqualTo(sorted.get(sorted.size() - 1));
        }
        JsonNode histogram = doc.get(side + "DurationHistogram");
        for (long bound : HISTOGRAM_BOUNDS_MS) {
            assertThat(histogram.get("le" + bound + "ms").asLong())
                    .as(what + " <= " + bound + " ms")
                    .isEqualTo(sorted.stream()
                            .filter(micros -> micros <= bound * 1000)
                            .count());
        }
        assertThat(histogram.get("leInf").asLong()).as(what + " in all").isEqualTo(sorted.size());
    }

    @Test
    void theDocumentsAreJaegersOneDocumentPerHourBucketInItsUtcDaysIndex() {
        List<Instant> buckets = new ArrayList<>();
        for (JsonNode hit : firstRun) {
            JsonNode doc = hit.get("_source");
            List<String> fields = new ArrayList<>();
            doc.fieldNames().forEachRemaining(fields::add);
            assertThat(fields).containsExactlyInAnyOrder("timestamp", "dependencies");

            // Go's time.Time reads RFC 3339 only; the bucket starts on the hour, in UTC
            String timestamp = doc.get("timestamp").asText();
            assertThat(doc.get("timestamp").isTextual()).isTrue();
            assertThat(timestamp).matches(RFC_3339);
            Instant bucket = OffsetDateTime.parse(timestamp).toInstant();
            assertThat(bucket.truncatedTo(ChronoUnit.HOURS)).isEqualTo(bucket);
            buckets.add(bucket);
            assertThat(hit.get("_index").asText())
                    .isEqualTo(jaegerIndexPrefix + "-jaeger-dependencies-"
                            + bucket.atZone(ZoneOffset.UTC).toLocalDate());

            assertThat(doc.get("dependencies").isArray()).isTrue();
            for (JsonNode link : doc.get("dependencies")) {
                List<String> linkFields = new ArrayList<>();
                link.fieldNames().forEachRemaining(linkFields::add);
                // Jaeger reads parent, child and callCount (a uint64); it ignores the others
                assertThat(linkFields)
                        .containsExactlyInAnyOrder("parent", "child", "callCount", "errorCount", "source");
                assertThat(link.get("parent").isTextual()).isTrue();
                assertThat(link.get("child").isTextual()).isTrue();
                assertThat(link.get("callCount").isIntegralNumber()).isTrue();
                assertThat(link.get("callCount").asLong()).isPositive();
            }
        }
        assertThat(buckets).doesNotHaveDuplicates();

        // the reader's range query really filters on timestamp: nothing in the hours before the first bucket
        Instant earliest = buckets.stream().min(Instant::compareTo).orElseThrow();
        assertThat(readAsJaeger(jaegerIndexPrefix, earliest.minusMillis(1), Duration.ofHours(2)))
                .isEmpty();
    }

    @Test
    void aSecondRunOverTheSameSpansReplacesTheDocumentsInsteadOfAddingToThem() {
        assertThat(ids(secondRun)).isEqualTo(ids(firstRun));
        assertThat(callCounts(secondRun)).isEqualTo(callCounts(firstRun));
        Map<String, JsonNode> first = byId(firstRun);
        byId(secondRun).forEach((id, source) -> assertThat(source).isEqualTo(first.get(id)));
        // the service graph's documents too (the first run's were set to 0 calls in between)
        assertThat(firstServiceGraph).isNotEmpty();
        assertThat(ids(secondServiceGraph)).isEqualTo(ids(firstServiceGraph));
        Map<String, JsonNode> firstGraph = byId(firstServiceGraph);
        byId(secondServiceGraph).forEach((id, source) -> assertThat(source).isEqualTo(firstGraph.get(id)));
    }

    private static Map<String, Long> callCounts(List<JsonNode> hits) {
        Map<String, Long> counts = new TreeMap<>();
        for (JsonNode hit : hits) {
            for (JsonNode link : hit.at("/_source/dependencies")) {
                counts.merge(
                        link.get("parent").asText() + " -> " + link.get("child").asText(),
                        link.get("callCount").asLong(),
                        Long::sum);
            }
        }
        return counts;
    }

    private static List<String> ids(List<JsonNode> hits) {
        return hits.stream()
                .map(hit -> hit.get("_index").asText() + "/" + hit.get("_id").asText())
                .sorted()
                .toList();
    }

    private static Map<String, JsonNode> byId(List<JsonNode> hits) {
        Map<String, JsonNode> byId = new TreeMap<>();
        hits.forEach(hit ->
                byId.put(hit.get("_index").asText() + "/" + hit.get("_id").asText(), hit.get("_source")));
        return byId;
    }
}
