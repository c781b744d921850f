package org.tracefeatures.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.ByteString;
import io.jaegertracing.api_v2.Process;
import io.jaegertracing.api_v2.Span;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.tracefeatures.runner.RunOptions;
import org.tracefeatures.runner.SqlJobRunner;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

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
                        .setProcess(Process.newBuilder().setServiceName("svc")).build().toByteArray())); // 3-byte id
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

        assertThat(CollectingMetricReporter.sum(".tracefeatures.skippedSpanRecords")).isEqualTo(6);
        assertThat(CollectingMetricReporter.sum(".tracefeatures.skippedByDefect.undecodable")).isEqualTo(3);
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
    }

    @Test
    void aTraceWithThousandsOfOperationsAndDottedNamesIsIndexedWithoutAFieldExplosion() throws Exception {
        RealStack.Scope scope = RealStack.newScope("many-operations");
        // one trace: a root and two children "GET /cart.json" in service "my.shop", and 2,000 children in
        // service inventory, each its own operation "op.<i>"
        List<byte[]> spans = new ArrayList<>();
        spans.add(span(1, 0, "my.shop", "GET /cart.json"));
        spans.add(span(2, 1, "my.shop", "GET /cart.json"));
        spans.add(span(3, 1, "my.shop", "GET /cart.json"));
        for (int i = 0; i < 2_000; i++) {
            spans.add(span(100 + i, 1, "inventory", String.format("op.%04d", i)));
        }
        scope.produce(spans);

        RunOptions options = RunOptions.parse("--bounded", "span_count.sql");
        options.initScripts.addAll(scope.initScripts(scope.overridesPart("trace_summaries", "trace-summaries")));
        SqlJobRunner.run(options);

        List<JsonNode> documents = scope.documents("trace-summaries");
        assertThat(documents).hasSize(1);
        JsonNode spanCounts = documents.get(0).at("/_source/spanCounts");
        assertThat(documents.get(0).at("/_source/spanCount").asLong()).isEqualTo(2_003);
        // 2,001 keys capped at 1,000: the largest (the cart, 3) and then, all being 1, the first 998 inventory
        // operations by name keep theirs; the other 2,000 - 998 = 1,002 are summed under _other
        assertThat(spanCounts.size()).isEqualTo(1_000);
        assertThat(spanCounts.get("_other").asLong()).isEqualTo(1_002);
        // '.' became '@': each a key of its own, not an object path
        assertThat(spanCounts.get("my@shop::GET /cart@json").asLong()).isEqualTo(3);
        assertThat(spanCounts.get("inventory::op@0000").asLong()).isEqualTo(1);
        assertThat(spanCounts.get("inventory::op@0997").asLong()).isEqualTo(1);
        assertThat(spanCounts.has("inventory::op@0998")).isFalse();
        // and Elasticsearch mapped them as flat long fields: a search on one of them finds the trace
        RealStack.elasticsearch().refresh(scope.index("trace-summaries"));
        JsonNode hits = RealStack.elasticsearch().search(scope.index("trace-summaries"),
                "{\"query\":{\"range\":{\"spanCounts.inventory::op@0000\":{\"gte\":1}}}}");
        assertThat(hits.at("/hits/total/value").asInt()).isEqualTo(1);
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
