package org.tracefeatures.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.ByteString;
import io.jaegertracing.api_v2.KeyValue;
import io.jaegertracing.api_v2.Process;
import io.jaegertracing.api_v2.Span;
import io.jaegertracing.api_v2.SpanRef;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.parallel.ResourceAccessMode;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.tracefeatures.runner.RunOptions;
import org.tracefeatures.runner.SqlJobRunner;

/**
 * Records that are not usable spans are skipped, counted per defect as a Flink metric and logged with
 * their Kafka offset, and every good trace around them still gets its exact document.
 */
@ExtendWith(RealStack.class)
@ResourceLock(value = RealStack.SHARED_PROCESSES, mode = ResourceAccessMode.READ)
class BadInputITCase {
    private static final int GOOD_TRACES = 5;
    private static final byte[] TRACE_ID = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 42};
    private static final byte[] SPAN_ID = {0, 0, 0, 0, 0, 0, 0, 7};
    /** 2026-11-18T11:06:40Z, in microseconds. */
    private static final long START = 1_795_000_000_000_000L;

    @Test
    void badRecordsAreSkippedCountedAndLoggedWithTheirOffsets() throws Exception {
        RealStack.Scope scope = RealStack.newScope("bad-input");
        scope.simulate("hotrod-original", GOOD_TRACES, "original", 3);
        List<Long> badOffsets = scope.produce(List.of(
                new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff}, // random bytes: undecodable
                truncatedSpan(), // undecodable
                new byte[0], // a valid, empty Span: no trace id
                Span.newBuilder()
                        .setTraceId(ByteString.copyFrom(TRACE_ID))
                        .setSpanId(ByteString.copyFrom(SPAN_ID))
                        .setOperationName("no-process")
                        .build()
                        .toByteArray(), // no process
                Span.newBuilder()
                        .setTraceId(ByteString.copyFrom(new byte[] {1, 2, 3}))
                        .setSpanId(ByteString.copyFrom(SPAN_ID))
                        .setOperationName("short-id")
                        .setProcess(Process.newBuilder().setServiceName("svc"))
                        .build()
                        .toByteArray(), // 3-byte id
                invalidUtf8Span())); // undecodable
        List<Long> tombstoneOffset = scope.produce(Arrays.asList((byte[]) null)); // undecodable
        RunOptions options = CollectingMetricReporter.boundedRun("span_count.sql");
        options.initScripts.addAll(scope.initScripts(scope.overridesPart("trace_summaries", "trace-summaries")));
        SqlJobRunner.run(options);

        List<JsonNode> documents = scope.documents("trace-summaries");
        assertThat(documents).hasSize(GOOD_TRACES);
        for (JsonNode document : documents) {
            assertThat(document.at("/_source/spanCount").asLong()).isEqualTo(53);
        }

        assertThat(CollectingMetricReporter.sum(".tracefeatures.skippedSpanRecords"))
                .isEqualTo(7);
        // random bytes, the truncated span, the invalid UTF-8 and the tombstone
        assertThat(CollectingMetricReporter.sum(".tracefeatures.skippedByDefect.undecodable"))
                .isEqualTo(4);
        assertThat(CollectingMetricReporter.sum(".tracefeatures.skippedByDefect.emptyTraceId"))
                .isEqualTo(1);
        assertThat(CollectingMetricReporter.sum(".tracefeatures.skippedByDefect.missingProcess"))
                .isEqualTo(1);
        assertThat(CollectingMetricReporter.sum(".tracefeatures.skippedByDefect.malformedTraceId"))
                .isEqualTo(1);

        String log = Files.readString(RealStack.WORK_DIR.resolve("tests.log"), StandardCharsets.UTF_8);
        List<Long> allBad = new ArrayList<>(badOffsets);
        allBad.addAll(tombstoneOffset);
        for (long offset : allBad) {
            assertThat(log).contains("Skipped the Kafka record at partition 0 offset " + offset + ": ");
        }
        assertThat(log).contains("offset " + badOffsets.get(0) + ": not a span in the input's encoding: ");
        assertThat(log).contains("offset " + badOffsets.get(2) + ": empty or all-zero trace id");
        assertThat(log).contains("offset " + badOffsets.get(3) + ": span has no process");
        assertThat(log).contains("offset " + badOffsets.get(4) + ": trace id is not 8 or 16 bytes");
        assertThat(log)
                .contains(
                        "offset " + badOffsets.get(5)
                                + ": not a span in the input's encoding: InvalidProtocolBufferException: Protocol message had invalid UTF-8.");
    }

    @Test
    void aTraceWithTenThousandOperationsAndDottedNamesIsIndexedWithoutAFieldExplosion() throws Exception {
        RealStack.Scope scope = RealStack.newScope("many-operations");
        // one trace: a root and two children "GET /cart.json" in service "my.shop", and 10,000 children in
        // service inventory, each its own operation "op.<i>"
        List<byte[]> spans = new ArrayList<>();
        spans.add(span(1, 0, "my.shop", "GET /cart.json"));
        spans.add(span(2, 1, "my.shop", "GET /cart.json"));
        spans.add(span(3, 1, "my.shop", "GET /cart.json"));
        for (int i = 0; i < 10_000; i++) {
            spans.add(span(100 + i, 1, "inventory", String.format("op.%05d", i)));
        }
        scope.produce(spans);

        RunOptions options = RunOptions.parse("--bounded", "span_count.sql");
        options.initScripts.addAll(scope.initScripts(scope.overridesPart("trace_summaries", "trace-summaries")));
        SqlJobRunner.run(options);

        List<JsonNode> documents = scope.documents("trace-summaries");
        assertThat(documents).hasSize(1);
        JsonNode spanCounts = documents.get(0).at("/_source/spanCounts");
        assertThat(documents.get(0).at("/_source/spanCount").asLong()).isEqualTo(10_003);
        assertThat(documents.get(0).at("/_source/droppedSpanCount").asLong()).isZero();
        // 10,001 keys: the cart (3) and, all being 1, the inventory operations by name are offered in that order;
        // the day's budget (span_count.sql: 100 keys of one service) admits the cart and the first 100 inventory
        // operations, op@00000 to op@00099; the other 9,900 are summed under _other. Uncapped, the 10,001 keys would
        // pass the index's limit of 10,000 fields and Elasticsearch would refuse the document.
        assertThat(spanCounts.size()).isEqualTo(102);
        assertThat(spanCounts.get("_other").asLong()).isEqualTo(9_900);
        // '.' became '@': each a key of its own, not an object path
        assertThat(spanCounts.get("my@shop::GET /cart@json").asLong()).isEqualTo(3);
        assertThat(spanCounts.get("inventory::op@00000").asLong()).isEqualTo(1);
        assertThat(spanCounts.get("inventory::op@00099").asLong()).isEqualTo(1);
        assertThat(spanCounts.has("inventory::op@00100")).isFalse();
        // and Elasticsearch mapped them as flat long fields: a search on one of them finds the trace
        RealStack.elasticsearch().refresh(scope.index("trace-summaries"));
        JsonNode hits = RealStack.elasticsearch()
                .search(
                        scope.index("trace-summaries"),
                        "{\"query\":{\"range\":{\"spanCounts.inventory::op@00000\":{\"gte\":1}}}}");
        assertThat(hits.at("/hits/total/value").asInt()).isEqualTo(1);
    }

    /**
     * Spans that decode but are odd: reference cycles, enum numbers the .proto does not know, a tag of 512 KiB,
     * start times in 1970 and 2100, and a trace over a (lowered) cap of spans per trace. Each is a usable span
     * whose trace gets a document with the values below, worked out by hand, and the simulated traces around
     * them are exact.
     */
    @Test
    void oddButDecodableSpansGiveExactDocumentsAndLeaveTheOtherTracesAlone() throws Exception {
        RealStack.Scope scope = RealStack.newScope("odd-spans");
        scope.simulate("hotrod-original", GOOD_TRACES, "original", 5);
        int bigTag = 512 * 1024;
        scope.produce(List.of(
                // 0x101: R <- C, and X its own parent
                JaegerSpans.span(0x101, 1, 0, "self", "R", START, 100_000)
                        .build()
                        .toByteArray(),
                JaegerSpans.span(0x101, 2, 1, "self", "C", START + 10_000, 20_000)
                        .build()
                        .toByteArray(),
                JaegerSpans.span(0x101, 3, 3, "self", "X", START + 20_000, 10_000)
                        .build()
                        .toByteArray(),
                // 0x102: R, and A <-> B parents of each other
                JaegerSpans.span(0x102, 1, 0, "cycle", "R", START, 100_000)
                        .build()
                        .toByteArray(),
                JaegerSpans.span(0x102, 2, 3, "cycle", "A", START + 10_000, 10_000)
                        .build()
                        .toByteArray(),
                JaegerSpans.span(0x102, 3, 2, "cycle", "B", START + 20_000, 10_000)
                        .build()
                        .toByteArray(),
                // 0x103: the root's test_name tag has v_type 9, the child's reference ref_type 7 (neither in the
                // .proto; protobuf keeps the numbers, flink-protobuf maps them to 'UNRECOGNIZED')
                JaegerSpans.span(0x103, 1, 0, "enum", "root", START, 100_000)
                        .addTags(KeyValue.newBuilder()
                                .setKey("test_name")
                                .setVTypeValue(9)
                                .setVStr("unknown-type"))
                        .build()
                        .toByteArray(),
                JaegerSpans.span(0x103, 2, 0, "enum", "child", START + 10_000, 50_000)
                        .addReferences(SpanRef.newBuilder()
                                .setTraceId(ByteString.copyFrom(JaegerSpans.traceId(0x103)))
                                .setSpanId(ByteString.copyFrom(JaegerSpans.spanId(1)))
                                .setRefTypeValue(7))
                        .build()
                        .toByteArray(),
                // 0x104: a test_name of 512 KiB on the root, an http.url of 512 KiB on the child
                JaegerSpans.span(0x104, 1, 0, "big", "root", START, 100_000)
                        .addTags(KeyValue.newBuilder().setKey("test_name").setVStr("t".repeat(bigTag)))
                        .build()
                        .toByteArray(),
                JaegerSpans.span(0x104, 2, 1, "big", "child", START + 10_000, 10_000)
                        .addTags(KeyValue.newBuilder().setKey("http.url").setVStr("u".repeat(bigTag)))
                        .build()
                        .toByteArray(),
                // 0x105: no start time at all (protobuf's default: the epoch); 0x106: 2100-01-01T00:00:00.250Z
                JaegerSpans.span(0x105, 1, 0, "epoch", "root", 0, 1_000).build().toByteArray(),
                JaegerSpans.span(0x106, 1, 0, "future", "root", 4_102_444_800_250_000L, 1_000)
                        .build()
                        .toByteArray()));
        // 0x107: a root and 60 children, one over the cap of 60 spans per trace this run sets; child i (1..60)
        // starts at START + i ms, and they are sent as Jaeger sends them, root last
        List<byte[]> overTheCap = new ArrayList<>();
        for (int i = 60; i >= 1; i--) {
            overTheCap.add(JaegerSpans.span(0x107, 1 + i, 1, "capped", "child", START + i * 1_000L, 10)
                    .build()
                    .toByteArray());
        }
        overTheCap.add(JaegerSpans.span(0x107, 1, 0, "capped", "root", START, 100_000)
                .build()
                .toByteArray());
        scope.produce(overTheCap);
        RunOptions options = CollectingMetricReporter.boundedRun(
                // a cap the 53-span simulated traces stay under
                "--set", "pipeline.global-job-parameters=tracefeatures.max-spans-per-trace:60", "trace_features.sql");
        options.initScripts.addAll(scope.initScripts(
                scope.overridesPart("trace_features", "trace-features", "trace_critical_path", "trace-critical-path")));
        SqlJobRunner.run(options);

        Map<String, JsonNode> byTrace = new TreeMap<>();
        for (JsonNode document : scope.documents("trace-features")) {
            byTrace.put(document.at("/_source/traceId").asText(), document.get("_source"));
        }
        assertThat(byTrace).hasSize(GOOD_TRACES + 7);
        int simulated = 0;
        for (JsonNode document : byTrace.values()) {
            if (document.path("testName").asText().equals("original")) {
                simulated++;
                assertThat(document.get("spanCount").asInt()).isEqualTo(53);
                assertThat(document.get("rootCount").asInt()).isEqualTo(1);
                assertThat(document.get("orphanSpanCount").asInt()).isZero();
                assertThat(document.get("warnings")).isEmpty();
                assertThat(document.get("droppedSpanCount").asLong()).isZero();
            }
        }
        assertThat(simulated).isEqualTo(GOOD_TRACES);

        // X is its own parent: cycle-bound, so an orphan; R and C are a proper tree (depth 2). A self-reference
        // is no child, so the largest fan-out is R's 1.
        JsonNode self = byTrace.get("0000000000000101");
        assertThat(self.get("spanCount").asInt()).isEqualTo(3);
        assertThat(self.get("rootCount").asInt()).isEqualTo(1);
        assertThat(self.get("orphanSpanCount").asInt()).isEqualTo(1);
        assertThat(self.get("depth").asInt()).isEqualTo(2);
        assertThat(self.get("maxFanOut").asInt()).isEqualTo(1);
        assertThat(texts(self.get("warnings"))).containsExactly("cycle");
        // A and B reach no root: both orphans; R alone has depth 1
        JsonNode cycle = byTrace.get("0000000000000102");
        assertThat(cycle.get("spanCount").asInt()).isEqualTo(3);
        assertThat(cycle.get("rootCount").asInt()).isEqualTo(1);
        assertThat(cycle.get("orphanSpanCount").asInt()).isEqualTo(2);
        assertThat(cycle.get("depth").asInt()).isEqualTo(1);
        assertThat(texts(cycle.get("warnings"))).containsExactly("cycle");

        // an unknown v_type: the value is read as text (v_str); an unknown ref_type: still the parent, taken as
        // CHILD_OF, so the child is on the critical path: root 0-10 ms and 60-100 ms = 50 ms, child 50 ms
        JsonNode unknownEnum = byTrace.get("0000000000000103");
        assertThat(unknownEnum.get("testName").asText()).isEqualTo("unknown-type");
        assertThat(unknownEnum.get("rootCount").asInt()).isEqualTo(1);
        assertThat(unknownEnum.get("orphanSpanCount").asInt()).isZero();
        assertThat(unknownEnum.get("depth").asInt()).isEqualTo(2);
        assertThat(unknownEnum.at("/criticalPath/enum::root").asLong()).isEqualTo(50_000);
        assertThat(unknownEnum.at("/criticalPath/enum::child").asLong()).isEqualTo(50_000);

        // kept whole in the document; the index does not index a testName that long (ignore_above), so
        // Elasticsearch took the document instead of refusing the term
        JsonNode big = byTrace.get("0000000000000104");
        assertThat(big.get("testName").asText()).hasSize(bigTag).isEqualTo("t".repeat(bigTag));
        assertThat(big.get("spanCount").asInt()).isEqualTo(2);
        assertThat(big.get("depth").asInt()).isEqualTo(2);

        JsonNode epoch = byTrace.get("0000000000000105");
        assertThat(Instant.parse(epoch.get("@timestamp").asText())).isEqualTo(Instant.EPOCH);
        assertThat(epoch.get("durationMicros").asLong()).isEqualTo(1_000);
        JsonNode future = byTrace.get("0000000000000106");
        assertThat(Instant.parse(future.get("@timestamp").asText()))
                .isEqualTo(Instant.parse("2100-01-01T00:00:00.250Z"));
        assertThat(future.get("durationMicros").asLong()).isEqualTo(1_000);
        // and Elasticsearch indexed both as dates
        String index = scope.index("trace-features");
        assertThat(RealStack.elasticsearch()
                        .search(index, "{\"query\":{\"range\":{\"@timestamp\":{\"lt\":\"1971-01-01T00:00:00Z\"}}}}")
                        .at("/hits/hits/0/_source/traceId")
                        .asText())
                .isEqualTo("0000000000000105");
        assertThat(RealStack.elasticsearch()
                        .search(index, "{\"query\":{\"range\":{\"@timestamp\":{\"gte\":\"2099-01-01T00:00:00Z\"}}}}")
                        .at("/hits/hits/0/_source/traceId")
                        .asText())
                .isEqualTo("0000000000000106");

        // over the cap: the root and children 1..59 kept, child 60 (the latest start) dropped
        JsonNode capped = byTrace.get("0000000000000107");
        assertThat(capped.get("spanCount").asInt()).isEqualTo(60);
        assertThat(capped.get("droppedSpanCount").asLong()).isEqualTo(1);
        assertThat(capped.get("maxFanOut").asInt()).isEqualTo(59);
        assertThat(capped.get("rootOperation").asText()).isEqualTo("root");
        assertThat(capped.at("/spanCounts/capped::child").asLong()).isEqualTo(59);
        assertThat(texts(capped.get("warnings"))).containsExactly("truncated");

        // none of them was skipped; the one span over the cap was counted
        assertThat(CollectingMetricReporter.sum(".tracefeatures.skippedSpanRecords"))
                .isZero();
        assertThat(CollectingMetricReporter.sum(".tracefeatures.droppedSpans")).isEqualTo(1);
    }

    /**
     * A runaway trace of 200,000 spans, sent as Jaeger sends them (latest first, root last), with the test JVM's
     * normal heap: COLLECT_TRACE keeps its 50,000 earliest-starting spans and counts the other 150,000. The same on
     * either state backend: on RocksDB each span is one append to the trace's list state.
     */
    @ParameterizedTest(name = "state.backend.type={0}")
    @ValueSource(strings = {"hashmap", "rocksdb"})
    void aTraceOf200000SpansIsTruncatedToItsFirst50000AndSaysSo(String stateBackend) throws Exception {
        RealStack.Scope scope = RealStack.newScope("huge-trace-" + stateBackend);
        scope.simulate("hotrod-original", GOOD_TRACES, "original", 7);
        // root R starts at START; child i (1..199,999) starts at START + i us, operation "odd" or "even" by i
        List<byte[]> spans = new ArrayList<>(200_000);
        for (int i = 199_999; i >= 1; i--) {
            spans.add(JaegerSpans.span(0x200, 1 + i, 1, "loop", i % 2 == 1 ? "odd" : "even", START + i, 1)
                    .build()
                    .toByteArray());
        }
        spans.add(JaegerSpans.span(0x200, 1, 0, "loop", "root", START, 1_000_000)
                .build()
                .toByteArray());
        scope.produce(spans);
        spans.clear();
        RunOptions options =
                CollectingMetricReporter.boundedRun("span_count.sql", "--set", "state.backend.type=" + stateBackend);
        options.initScripts.addAll(scope.initScripts(scope.overridesPart("trace_summaries", "trace-summaries")));
        SqlJobRunner.run(options);

        Map<String, JsonNode> byTrace = new TreeMap<>();
        for (JsonNode document : scope.documents("trace-summaries")) {
            byTrace.put(document.at("/_source/traceId").asText(), document.get("_source"));
        }
        assertThat(byTrace).hasSize(GOOD_TRACES + 1);
        // kept: R and children 1..49,999, of which 25,000 odd and 24,999 even; dropped: 200,000 - 50,000
        JsonNode huge = byTrace.remove("0000000000000200");
        assertThat(huge.get("spanCount").asLong()).isEqualTo(50_000);
        assertThat(huge.get("droppedSpanCount").asLong()).isEqualTo(150_000);
        assertThat(huge.at("/spanCounts/loop::root").asLong()).isEqualTo(1);
        assertThat(huge.at("/spanCounts/loop::odd").asLong()).isEqualTo(25_000);
        assertThat(huge.at("/spanCounts/loop::even").asLong()).isEqualTo(24_999);
        assertThat(huge.get("spanCounts").size()).isEqualTo(3);
        for (JsonNode document : byTrace.values()) {
            assertThat(document.get("spanCount").asLong()).isEqualTo(53);
            assertThat(document.get("droppedSpanCount").asLong()).isZero();
            Map<String, Long> counts = new TreeMap<>();
            document.get("spanCounts")
                    .fields()
                    .forEachRemaining(e -> counts.put(e.getKey(), e.getValue().asLong()));
            assertThat(counts).isEqualTo(HotrodExpectations.spanCounts(10));
        }
        assertThat(CollectingMetricReporter.sum(".tracefeatures.droppedSpans")).isEqualTo(150_000);
        assertThat(CollectingMetricReporter.sum(".tracefeatures.skippedSpanRecords"))
                .isZero();
    }

    /**
     * A root span whose service and operation names are 40,000 characters each (a logged SQL statement as the name)
     * does not make Elasticsearch refuse a document: the names stay whole in _source but are not indexed
     * (ignore_above), are no field names (FIELD_SAFE_MAP sums keys over 256 characters under _other), and the
     * trace-critical-path id that holds the service name is hashed. trace_features.sql and span_metrics.sql write
     * every document, refuse none, and a normal trace beside it is exact.
     */
    @Test
    void namesOf40000CharactersAreKeptInTheDocumentsAndRefuseNone() throws Exception {
        RealStack.Scope scope = RealStack.newScope("long-names");
        String service = "s".repeat(40_000);
        String operation = "SELECT " + "o".repeat(39_993);
        // trace 0x201: the long-named root 0-1000 us, a frontend child 100-600 us; trace 0x202: two short names
        scope.produce(List.of(
                JaegerSpans.span(0x201, 2, 1, "frontend", "/dispatch", START + 100, 500)
                        .build()
                        .toByteArray(),
                JaegerSpans.span(0x201, 1, 0, service, operation, START, 1_000)
                        .build()
                        .toByteArray(),
                JaegerSpans.span(0x202, 2, 1, "route", "/GetShortestRoute", START + 200, 300)
                        .build()
                        .toByteArray(),
                JaegerSpans.span(0x202, 1, 0, "frontend", "/dispatch", START, 800)
                        .build()
                        .toByteArray()));
        RunOptions features = CollectingMetricReporter.boundedRun("trace_features.sql");
        features.initScripts.addAll(scope.initScripts(
                scope.overridesPart("trace_features", "trace-features", "trace_critical_path", "trace-critical-path")));
        SqlJobRunner.run(features);
        assertThat(CollectingMetricReporter.sum(".tracefeatures.documentsRefused"))
                .isZero();
        assertThat(CollectingMetricReporter.sum(".tracefeatures.documentsReduced"))
                .isZero();
        // the long service::operation and the long service, one key each of the three maps of trace 0x201
        assertThat(CollectingMetricReporter.sum(".tracefeatures.foldedKeys")).isEqualTo(3);

        Map<String, JsonNode> byTrace = new TreeMap<>();
        for (JsonNode document : scope.documents("trace-features")) {
            byTrace.put(document.at("/_source/traceId").asText(), document.get("_source"));
        }
        assertThat(byTrace).containsOnlyKeys("0000000000000201", "0000000000000202");
        JsonNode longNames = byTrace.get("0000000000000201");
        assertThat(longNames.get("rootService").asText()).isEqualTo(service);
        assertThat(longNames.get("rootOperation").asText()).isEqualTo(operation);
        assertThat(longNames.get("rootDurationMicros").asLong()).isEqualTo(1_000);
        // the root's own time: 1000 us less its child's 500 us; spanCounts sum to spanCount 2, the path to 1000 us
        assertThat(longNames.get("spanCounts")).isEqualTo(json("{\"frontend::/dispatch\":1,\"_other\":1}"));
        assertThat(longNames.get("criticalPath")).isEqualTo(json("{\"frontend::/dispatch\":500,\"_other\":500}"));
        assertThat(longNames.get("criticalPathServices")).isEqualTo(json("{\"frontend\":500,\"_other\":500}"));
        JsonNode shortNames = byTrace.get("0000000000000202");
        assertThat(shortNames.get("spanCounts"))
                .isEqualTo(json("{\"frontend::/dispatch\":1,\"route::/GetShortestRoute\":1}"));
        assertThat(shortNames.get("criticalPath"))
                .isEqualTo(json("{\"frontend::/dispatch\":500,\"route::/GetShortestRoute\":300}"));

        // one critical-path document per trace and service; the one of the long service under the SHA-256 of its id
        Map<String, JsonNode> criticalPath = new TreeMap<>();
        for (JsonNode document : scope.documents("trace-critical-path")) {
            criticalPath.put(document.get("_id").asText(), document.get("_source"));
        }
        String longId = java.util.HexFormat.of()
                .formatHex(java.security.MessageDigest.getInstance("SHA-256")
                        .digest(("0000000000000201/" + service).getBytes(StandardCharsets.UTF_8)));
        assertThat(criticalPath)
                .containsOnlyKeys(
                        longId, "0000000000000201/frontend", "0000000000000202/frontend", "0000000000000202/route");
        assertThat(criticalPath.get(longId).get("service").asText()).isEqualTo(service);
        assertThat(criticalPath.get(longId).get("micros").asLong()).isEqualTo(500);
        RunOptions metrics = CollectingMetricReporter.boundedRun("span_metrics.sql");
        metrics.initScripts.addAll(scope.initScripts(scope.overridesPart("span_metrics", "span-metrics")));
        SqlJobRunner.run(metrics);
        assertThat(CollectingMetricReporter.sum(".tracefeatures.documentsRefused"))
                .isZero();
        Map<String, Long> calls = new TreeMap<>();
        for (JsonNode document : scope.documents("span-metrics")) {
            JsonNode source = document.get("_source");
            calls.merge(
                    source.get("service").asText().length() + ":"
                            + source.get("operation").asText().length(),
                    source.get("calls").asLong(),
                    Long::sum);
        }
        // by the lengths of service and operation: the long-named span, frontend's two /dispatch, route's one
        assertThat(calls).containsOnly(Map.entry("40000:40000", 1L), Map.entry("8:9", 2L), Map.entry("5:17", 1L));
    }

    /**
     * Documents that Elasticsearch refuses do not stop the job. An index whose testName is mapped as an integer
     * refuses the documents of test "original" (mapper_parsing_exception): they are skipped, counted and logged,
     * and those of test "42" are written. An index with a field limit of 15 refuses every HotROD document, whose 14
     * spanCounts keys would add 14 fields to the template's 8: each is written again with spanCounts folded into
     * _other (53 = spanCount) and "reduced" saying why.
     */
    @Test
    void documentsElasticsearchRefusesAreSkippedOrReducedCountedAndLogged() throws Exception {
        RealStack.Scope scope = RealStack.newScope("refused");
        scope.simulate("hotrod-original", 3, "original", 21);
        scope.simulate("hotrod-original", 2, "42", 22);
        String conflicting = scope.index("trace-summaries-conflict");
        createIndex(conflicting, "{\"mappings\":{\"properties\":{\"testName\":{\"type\":\"integer\"}}}}");

        runSpanCountInto(scope, conflicting);

        assertThat(CollectingMetricReporter.sum(".tracefeatures.documentsRefused"))
                .isEqualTo(3);
        assertThat(CollectingMetricReporter.sum(".tracefeatures.documentsReduced"))
                .isZero();
        List<JsonNode> written = scope.documents("trace-summaries-conflict");
        assertThat(written).hasSize(2).allSatisfy(hit -> {
            assertThat(hit.at("/_source/testName").asText()).isEqualTo("42");
            assertThat(hit.at("/_source/spanCount").asLong()).isEqualTo(53);
        });
        String log = Files.readString(RealStack.WORK_DIR.resolve("tests.log"), StandardCharsets.UTF_8);
        assertThat(log).contains("of index " + conflicting + " (HTTP 400): ").contains("mapper_parsing_exception");

        String small = scope.index("trace-summaries-small");
        createIndex(small, "{\"settings\":{\"index.mapping.total_fields.limit\":15}}");
        runSpanCountInto(scope, small);

        assertThat(CollectingMetricReporter.sum(".tracefeatures.documentsReduced"))
                .isEqualTo(5);
        assertThat(CollectingMetricReporter.sum(".tracefeatures.documentsRefused"))
                .isZero();
        List<JsonNode> reduced = scope.documents("trace-summaries-small");
        assertThat(reduced).hasSize(5).allSatisfy(hit -> {
            JsonNode doc = hit.get("_source");
            assertThat(doc.get("spanCount").asLong()).isEqualTo(53);
            assertThat(doc.get("spanCounts")).isEqualTo(json("{\"_other\":53}"));
            assertThat(doc.get("reduced").asText()).contains("Limit of total fields [15]");
        });
    }

    /** Runs span_count.sql bounded over the scope's topic into {@code index}, its metrics collected afresh. */
    private static void runSpanCountInto(RealStack.Scope scope, String index) throws Exception {
        RunOptions options = CollectingMetricReporter.boundedRun("span_count.sql");
        options.initScripts.addAll(scope.initScripts(scope.part(
                index + ".sql",
                "ALTER TABLE span_source SET " + "('topic' = '" + scope.topic
                        + "');\nALTER TABLE trace_summaries SET ('index' = '" + index + "');\n")));
        SqlJobRunner.run(options);
    }

    private static void createIndex(String index, String body) throws Exception {
        java.net.http.HttpResponse<String> response = java.net.http.HttpClient.newHttpClient()
                .send(
                        java.net.http.HttpRequest.newBuilder(java.net.URI.create(
                                        "http://127.0.0.1:" + RealStack.ELASTICSEARCH_PORT + "/" + index))
                                .header("Content-Type", "application/json")
                                .PUT(java.net.http.HttpRequest.BodyPublishers.ofString(body))
                                .build(),
                        java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode())
                .as("create %s: %s", index, response.body())
                .isEqualTo(200);
    }

    private static JsonNode json(String text) throws java.io.IOException {
        return new com.fasterxml.jackson.databind.ObjectMapper().readTree(text);
    }

    private static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(element -> texts.add(element.asText()));
        return texts;
    }

    private static byte[] span(long spanId, long parentId, String service, String operation) {
        Span.Builder span = Span.newBuilder()
                .setTraceId(ByteString.copyFrom(TRACE_ID))
                .setSpanId(ByteString.copyFrom(
                        java.nio.ByteBuffer.allocate(8).putLong(spanId).array()))
                .setOperationName(operation)
                .setStartTime(com.google.protobuf.Timestamp.newBuilder().setSeconds(1_795_000_000L + spanId))
                .setProcess(Process.newBuilder().setServiceName(service));
        if (parentId != 0) {
            span.addReferences(io.jaegertracing.api_v2.SpanRef.newBuilder()
                    .setTraceId(ByteString.copyFrom(TRACE_ID))
                    .setSpanId(ByteString.copyFrom(
                            java.nio.ByteBuffer.allocate(8).putLong(parentId).array())));
        }
        return span.build().toByteArray();
    }

    /** A span whose operation name holds the byte 0xff, never valid in UTF-8. */
    private static byte[] invalidUtf8Span() {
        byte[] span = Span.newBuilder()
                .setTraceId(ByteString.copyFrom(TRACE_ID))
                .setSpanId(ByteString.copyFrom(SPAN_ID))
                .setOperationName("caf~")
                .setProcess(Process.newBuilder().setServiceName("svc"))
                .build()
                .toByteArray();
        for (int i = 0; i < span.length; i++) {
            if (span[i] == '~') {
                span[i] = (byte) 0xff;
            }
        }
        return span;
    }

    /** A span cut inside its last field, the process. */
    private static byte[] truncatedSpan() {
        byte[] whole = Span.newBuilder()
                .setTraceId(ByteString.copyFrom(TRACE_ID))
                .setSpanId(ByteString.copyFrom(SPAN_ID))
                .setOperationName("cut")
                .setProcess(Process.newBuilder().setServiceName("a-service-name-long-enough-to-cut"))
                .build()
                .toByteArray();
        return Arrays.copyOf(whole, whole.length - 5);
    }
}
