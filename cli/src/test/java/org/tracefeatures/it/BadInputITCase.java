package org.tracefeatures.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.ByteString;
import com.google.protobuf.Duration;
import com.google.protobuf.Timestamp;
import io.jaegertracing.api_v2.KeyValue;
import io.jaegertracing.api_v2.Process;
import io.jaegertracing.api_v2.Span;
import io.jaegertracing.api_v2.SpanRef;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.tracefeatures.runner.RunOptions;
import org.tracefeatures.runner.SqlJobRunner;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Records that are not usable spans are skipped, counted per defect as a Flink metric and logged with
 * their Kafka offset, and every good trace around them still gets its exact document.
 */
@ExtendWith(RealStack.class)
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
                truncatedSpan(),                                                  // undecodable
                new byte[0],                                                      // a valid, empty Span: no trace id
                Span.newBuilder().setTraceId(ByteString.copyFrom(TRACE_ID)).setSpanId(ByteString.copyFrom(SPAN_ID))
                        .setOperationName("no-process").build().toByteArray(),    // no process
                Span.newBuilder().setTraceId(ByteString.copyFrom(new byte[] {1, 2, 3}))
                        .setSpanId(ByteString.copyFrom(SPAN_ID)).setOperationName("short-id")
                        .setProcess(Process.newBuilder().setServiceName("svc")).build().toByteArray(), // 3-byte id
                invalidUtf8Span()));                                              // undecodable
        List<Long> tombstoneOffset = scope.produce(Arrays.asList((byte[]) null));         // undecodable

        CollectingMetricReporter.clear();
        RunOptions options = RunOptions.parse("--bounded", "--set",
                CollectingMetricReporter.CONFIG_KEY + "=" + CollectingMetricReporter.class.getName(), "span_count.sql");
        options.initScripts.addAll(scope.initScripts(scope.overridesPart("trace_summaries", "trace-summaries")));
        SqlJobRunner.run(options);

        List<JsonNode> documents = scope.documents("trace-summaries");
        assertThat(documents).hasSize(GOOD_TRACES);
        for (JsonNode document : documents) {
            assertThat(document.at("/_source/spanCount").asLong()).isEqualTo(53);
        }

        assertThat(CollectingMetricReporter.sum(".tracefeatures.skippedSpanRecords")).isEqualTo(7);
        // random bytes, the truncated span, the invalid UTF-8 and the tombstone
        assertThat(CollectingMetricReporter.sum(".tracefeatures.skippedByDefect.undecodable")).isEqualTo(4);
        assertThat(CollectingMetricReporter.sum(".tracefeatures.skippedByDefect.emptyTraceId")).isEqualTo(1);
        assertThat(CollectingMetricReporter.sum(".tracefeatures.skippedByDefect.missingProcess")).isEqualTo(1);
        assertThat(CollectingMetricReporter.sum(".tracefeatures.skippedByDefect.malformedTraceId")).isEqualTo(1);

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
        assertThat(log).contains("offset " + badOffsets.get(5)
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
        // 10,001 keys capped at 1,000: the largest (the cart, 3) and then, all being 1, the first 998 inventory
        // operations by name keep theirs; the other 10,000 - 998 = 9,002 are summed under _other. Uncapped, the
        // 10,001 keys would pass the index's limit of 10,000 fields and Elasticsearch would refuse the document.
        assertThat(spanCounts.size()).isEqualTo(1_000);
        assertThat(spanCounts.get("_other").asLong()).isEqualTo(9_002);
        // '.' became '@': each a key of its own, not an object path
        assertThat(spanCounts.get("my@shop::GET /cart@json").asLong()).isEqualTo(3);
        assertThat(spanCounts.get("inventory::op@00000").asLong()).isEqualTo(1);
        assertThat(spanCounts.get("inventory::op@00997").asLong()).isEqualTo(1);
        assertThat(spanCounts.has("inventory::op@00998")).isFalse();
        // and Elasticsearch mapped them as flat long fields: a search on one of them finds the trace
        RealStack.elasticsearch().refresh(scope.index("trace-summaries"));
        JsonNode hits = RealStack.elasticsearch().search(scope.index("trace-summaries"),
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
                span(0x101, 1, 0, "self", "R", START, 100_000).build().toByteArray(),
                span(0x101, 2, 1, "self", "C", START + 10_000, 20_000).build().toByteArray(),
                span(0x101, 3, 3, "self", "X", START + 20_000, 10_000).build().toByteArray(),
                // 0x102: R, and A <-> B parents of each other
                span(0x102, 1, 0, "cycle", "R", START, 100_000).build().toByteArray(),
                span(0x102, 2, 3, "cycle", "A", START + 10_000, 10_000).build().toByteArray(),
                span(0x102, 3, 2, "cycle", "B", START + 20_000, 10_000).build().toByteArray(),
                // 0x103: the root's test_name tag has v_type 9, the child's reference ref_type 7 (neither in the
                // .proto; protobuf keeps the numbers, flink-protobuf maps them to 'UNRECOGNIZED')
                span(0x103, 1, 0, "enum", "root", START, 100_000)
                        .addTags(KeyValue.newBuilder().setKey("test_name").setVTypeValue(9).setVStr("unknown-type"))
                        .build().toByteArray(),
                span(0x103, 2, 0, "enum", "child", START + 10_000, 50_000)
                        .addReferences(SpanRef.newBuilder().setTraceId(ByteString.copyFrom(traceId(0x103)))
                                .setSpanId(ByteString.copyFrom(spanId(1))).setRefTypeValue(7))
                        .build().toByteArray(),
                // 0x104: a test_name of 512 KiB on the root, an http.url of 512 KiB on the child
                span(0x104, 1, 0, "big", "root", START, 100_000)
                        .addTags(KeyValue.newBuilder().setKey("test_name").setVStr("t".repeat(bigTag)))
                        .build().toByteArray(),
                span(0x104, 2, 1, "big", "child", START + 10_000, 10_000)
                        .addTags(KeyValue.newBuilder().setKey("http.url").setVStr("u".repeat(bigTag)))
                        .build().toByteArray(),
                // 0x105: no start time at all (protobuf's default: the epoch); 0x106: 2100-01-01T00:00:00.250Z
                span(0x105, 1, 0, "epoch", "root", 0, 1_000).build().toByteArray(),
                span(0x106, 1, 0, "future", "root", 4_102_444_800_250_000L, 1_000).build().toByteArray()));
        // 0x107: a root and 60 children, one over the cap of 60 spans per trace this run sets; child i (1..60)
        // starts at START + i ms, and they are sent as Jaeger sends them, root last
        List<byte[]> overTheCap = new ArrayList<>();
        for (int i = 60; i >= 1; i--) {
            overTheCap.add(span(0x107, 1 + i, 1, "capped", "child", START + i * 1_000L, 10).build().toByteArray());
        }
        overTheCap.add(span(0x107, 1, 0, "capped", "root", START, 100_000).build().toByteArray());
        scope.produce(overTheCap);

        CollectingMetricReporter.clear();
        RunOptions options = RunOptions.parse("--bounded", "--set",
                CollectingMetricReporter.CONFIG_KEY + "=" + CollectingMetricReporter.class.getName(),
                // a cap the 53-span simulated traces stay under
                "--set", "pipeline.global-job-parameters=tracefeatures.max-spans-per-trace:60",
                "trace_features.sql");
        options.initScripts.addAll(scope.initScripts(scope.overridesPart(
                "trace_features", "trace-features", "trace_critical_path", "trace-critical-path")));
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
        assertThat(Instant.parse(future.get("@timestamp").asText())).isEqualTo(Instant.parse("2100-01-01T00:00:00.250Z"));
        assertThat(future.get("durationMicros").asLong()).isEqualTo(1_000);
        // and Elasticsearch indexed both as dates
        String index = scope.index("trace-features");
        assertThat(RealStack.elasticsearch().search(index,
                        "{\"query\":{\"range\":{\"@timestamp\":{\"lt\":\"1971-01-01T00:00:00Z\"}}}}")
                .at("/hits/hits/0/_source/traceId").asText()).isEqualTo("0000000000000105");
        assertThat(RealStack.elasticsearch().search(index,
                        "{\"query\":{\"range\":{\"@timestamp\":{\"gte\":\"2099-01-01T00:00:00Z\"}}}}")
                .at("/hits/hits/0/_source/traceId").asText()).isEqualTo("0000000000000106");

        // over the cap: the root and children 1..59 kept, child 60 (the latest start) dropped
        JsonNode capped = byTrace.get("0000000000000107");
        assertThat(capped.get("spanCount").asInt()).isEqualTo(60);
        assertThat(capped.get("droppedSpanCount").asLong()).isEqualTo(1);
        assertThat(capped.get("maxFanOut").asInt()).isEqualTo(59);
        assertThat(capped.get("rootOperation").asText()).isEqualTo("root");
        assertThat(capped.at("/spanCounts/capped::child").asLong()).isEqualTo(59);
        assertThat(texts(capped.get("warnings"))).containsExactly("truncated");

        // none of them was skipped; the one span over the cap was counted
        assertThat(CollectingMetricReporter.sum(".tracefeatures.skippedSpanRecords")).isZero();
        assertThat(CollectingMetricReporter.sum(".tracefeatures.droppedSpans")).isEqualTo(1);
    }

    /**
     * A runaway trace of 200,000 spans, sent as Jaeger sends them (latest first, root last), with the test JVM's
     * normal heap: COLLECT_TRACE keeps its 50,000 earliest-starting spans and counts the other 150,000.
     */
    @Test
    void aTraceOf200000SpansIsTruncatedToItsFirst50000AndSaysSo() throws Exception {
        RealStack.Scope scope = RealStack.newScope("huge-trace");
        scope.simulate("hotrod-original", GOOD_TRACES, "original", 7);
        // root R starts at START; child i (1..199,999) starts at START + i us, operation "odd" or "even" by i
        List<byte[]> spans = new ArrayList<>(200_000);
        for (int i = 199_999; i >= 1; i--) {
            spans.add(span(0x200, 1 + i, 1, "loop", i % 2 == 1 ? "odd" : "even", START + i, 1).build().toByteArray());
        }
        spans.add(span(0x200, 1, 0, "loop", "root", START, 1_000_000).build().toByteArray());
        scope.produce(spans);
        spans.clear();

        CollectingMetricReporter.clear();
        RunOptions options = RunOptions.parse("--bounded", "--set",
                CollectingMetricReporter.CONFIG_KEY + "=" + CollectingMetricReporter.class.getName(), "span_count.sql");
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
            document.get("spanCounts").fields().forEachRemaining(e -> counts.put(e.getKey(), e.getValue().asLong()));
            assertThat(counts).isEqualTo(HotrodExpectations.spanCounts(10));
        }
        assertThat(CollectingMetricReporter.sum(".tracefeatures.droppedSpans")).isEqualTo(150_000);
        assertThat(CollectingMetricReporter.sum(".tracefeatures.skippedSpanRecords")).isZero();
    }

    private static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(element -> texts.add(element.asText()));
        return texts;
    }

    private static byte[] traceId(long low) {
        return java.nio.ByteBuffer.allocate(16).putLong(8, low).array();
    }

    private static byte[] spanId(long id) {
        return java.nio.ByteBuffer.allocate(8).putLong(id).array();
    }

    /** A span of trace {@code low} (the id's low 64 bits) with a CHILD_OF reference to {@code parentId} unless 0. */
    private static Span.Builder span(long low, long spanId, long parentId, String service, String operation,
            long startMicros, long durationMicros) {
        Span.Builder span = Span.newBuilder()
                .setTraceId(ByteString.copyFrom(traceId(low)))
                .setSpanId(ByteString.copyFrom(spanId(spanId)))
                .setOperationName(operation)
                .setStartTime(Timestamp.newBuilder()
                        .setSeconds(Math.floorDiv(startMicros, 1_000_000L))
                        .setNanos((int) Math.floorMod(startMicros, 1_000_000L) * 1000))
                .setDuration(Duration.newBuilder()
                        .setSeconds(durationMicros / 1_000_000L).setNanos((int) (durationMicros % 1_000_000L) * 1000))
                .setProcess(Process.newBuilder().setServiceName(service));
        if (parentId != 0) {
            span.addReferences(SpanRef.newBuilder()
                    .setTraceId(ByteString.copyFrom(traceId(low)))
                    .setSpanId(ByteString.copyFrom(spanId(parentId))));
        }
        return span;
    }

    private static byte[] span(long spanId, long parentId, String service, String operation) {
        Span.Builder span = Span.newBuilder()
                .setTraceId(ByteString.copyFrom(TRACE_ID))
                .setSpanId(ByteString.copyFrom(java.nio.ByteBuffer.allocate(8).putLong(spanId).array()))
                .setOperationName(operation)
                .setStartTime(com.google.protobuf.Timestamp.newBuilder().setSeconds(1_795_000_000L + spanId))
                .setProcess(Process.newBuilder().setServiceName(service));
        if (parentId != 0) {
            span.addReferences(io.jaegertracing.api_v2.SpanRef.newBuilder()
                    .setTraceId(ByteString.copyFrom(TRACE_ID))
                    .setSpanId(ByteString.copyFrom(java.nio.ByteBuffer.allocate(8).putLong(parentId).array())));
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
