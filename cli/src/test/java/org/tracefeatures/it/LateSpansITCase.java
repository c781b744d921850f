package org.tracefeatures.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.ByteString;
import io.jaegertracing.api_v2.Process;
import io.jaegertracing.api_v2.Span;
import io.jaegertracing.api_v2.SpanRef;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.parallel.ResourceAccessMode;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.tracefeatures.functions.CollectTraceFunction;
import org.tracefeatures.jaeger.JaegerProtos;
import org.tracefeatures.runner.RunOptions;
import org.tracefeatures.runner.SqlJobRunner;

/**
 * A span that reaches Kafka after its trace's session window has closed (5 s gap, init/traces.sql) must not
 * replace the trace's document with a partial trace of one span: the traces view drops the late window, counts it
 * and its spans as Flink metrics and logs the trace id. A span later than others of its trace but within the gap
 * still joins its trace.
 */
@ExtendWith(RealStack.class)
@ResourceLock(value = RealStack.SHARED_PROCESSES, mode = ResourceAccessMode.READ)
class LateSpansITCase {
    /** The Kafka record time of the first span: the event time the windows run on. */
    private static final long T = (System.currentTimeMillis() / 1000 - 60) * 1000;

    @Test
    void aSpanAfterTheGapIsCountedAndDroppedInsteadOfOverwritingItsTrace() throws Exception {
        RealStack.Scope scope = RealStack.newScope("late-spans");
        // trace a1: two children and then the root (Jaeger sends the root last), within 200 ms
        scope.produce(T, List.of(span(0xa1, 2, 1, "driver", "FindNearest")));
        scope.produce(T + 100, List.of(span(0xa1, 3, 1, "driver", "FindNearest")));
        scope.produce(T + 200, List.of(span(0xa1, 1, 0, "frontend", "HTTP GET /dispatch")));
        // trace b2: its second span 3.5 s after the first, within the 5 s gap: one window, both spans
        scope.produce(T + 1_000, List.of(span(0xb2, 2, 1, "route", "GetShortestRoute")));
        scope.produce(T + 4_500, List.of(span(0xb2, 1, 0, "frontend", "HTTP GET /route")));
        // a straggler of trace a1, 9.8 s after its last span: a1's window [T, T + 5.2 s) has closed by then
        List<Long> straggler = scope.produce(T + 10_000, List.of(span(0xa1, 4, 1, "late", "straggler")));
        // trace c3, later still
        scope.produce(T + 20_000, List.of(span(0xc3, 1, 0, "frontend", "HTTP GET /config")));
        RunOptions options = CollectingMetricReporter.boundedRun("span_count.sql");
        options.initScripts.addAll(scope.initScripts(scope.overridesPart("trace_summaries", "trace-summaries")));
        SqlJobRunner.run(options);

        Map<String, JsonNode> documents = new TreeMap<>();
        scope.documents("trace-summaries")
                .forEach(hit -> documents.put(hit.get("_id").asText(), hit.get("_source")));
        assertThat(documents).containsOnlyKeys("00000000000000a1", "00000000000000b2", "00000000000000c3");
        // a1 as its first window saw it: the straggler neither replaced its counts nor added its operation
        assertThat(documents.get("00000000000000a1").get("spanCount").asLong()).isEqualTo(3);
        assertThat(spanCounts(documents.get("00000000000000a1")))
                .isEqualTo(Map.of("driver::FindNearest", 2L, "frontend::HTTP GET /dispatch", 1L));
        assertThat(documents.get("00000000000000b2").get("spanCount").asLong()).isEqualTo(2);
        assertThat(spanCounts(documents.get("00000000000000b2")))
                .isEqualTo(Map.of("route::GetShortestRoute", 1L, "frontend::HTTP GET /route", 1L));
        assertThat(documents.get("00000000000000c3").get("spanCount").asLong()).isEqualTo(1);

        // three traces written; one late window of one span dropped
        assertThat(CollectingMetricReporter.sum(".tracefeatures.tracesEmitted")).isEqualTo(3);
        assertThat(CollectingMetricReporter.sum(".tracefeatures.lateTraceWindows"))
                .isEqualTo(1);
        assertThat(CollectingMetricReporter.sum(".tracefeatures.lateSpansDropped"))
                .isEqualTo(1);
        assertThat(straggler).hasSize(1);
        String log = Files.readString(RealStack.WORK_DIR.resolve("tests.log"), StandardCharsets.UTF_8);
        assertThat(log).contains("Dropped 1 span(s) of trace 00000000000000a1 that arrived after its session window");
    }

    /**
     * Every span a job reads is in its documents or in exactly one counted kind of loss: records read = spans in
     * documents + bad records + repeats + spans over the cap + spans after their trace's window + spans behind the
     * watermark. The topic uses CreateTime, so that a test can write spans behind the watermark, and the source emits
     * a watermark after every record ('scan.watermark.emit.strategy' = 'on-event'), so that which spans are behind
     * it depends only on the order written. The expected figures are counted by hand from the records below.
     */
    @Test
    void everySpanReadIsInADocumentOrCountedOnceAsOneKindOfLoss() throws Exception {
        RealStack.Scope scope = RealStack.newScope("span-totals");
        // minute-aligned, so that spans T .. T + 20 s share one minute of span_metrics
        long t = (System.currentTimeMillis() / 60_000 - 3) * 60_000;
        // trace a1: three spans, and a repeat of one
        scope.produce(t, List.of(span(0xa1, 2, 1, "driver", "FindNearest", t))); // offset 0
        scope.produce(t + 100, List.of(span(0xa1, 3, 1, "driver", "FindNearest", t))); // 1
        scope.produce(t + 200, List.of(span(0xa1, 1, 0, "frontend", "HTTP GET /dispatch", t))); // 2
        scope.produce(t + 300, List.of(span(0xa1, 2, 1, "driver", "FindNearest", t))); // 3: repeat
        // trace b2: five spans over a cap of three: the two that start last are dropped
        for (int i = 1; i <= 5; i++) {
            scope.produce(t + 1_000 + i, List.of(span(0xb2, i, i == 1 ? 0 : 1, "route", "GetShortestRoute", t)));
        } // 4 .. 8
        scope.produce(t + 1_500, Arrays.asList((byte[]) null)); // 9: bad record
        // a straggler of a1, after its session: a later window of a1, dropped
        scope.produce(t + 10_000, List.of(span(0xa1, 4, 1, "late", "straggler", t))); // 10
        // trace c3 moves the watermark to t + 19 s
        scope.produce(t + 20_000, List.of(span(0xc3, 1, 0, "frontend", "HTTP GET /config", t))); // 11
        // behind the watermark for trace assembly: sessions ending at t + 17 s and t + 6 s, and at t - 55 s, which is
        // also in a minute the watermark has passed
        scope.produce(t + 12_000, List.of(span(0xd4, 1, 0, "frontend", "HTTP GET /late", t))); // 12
        scope.produce(t + 1_000, List.of(span(0xa1, 5, 1, "driver", "FindNearest", t))); // 13
        scope.produce(t - 60_000, List.of(span(0xe5, 1, 0, "frontend", "HTTP GET /older", t))); // 14
        Path onEvent = scope.part(
                "on-event.sql", "ALTER TABLE span_source SET ('scan.watermark.emit.strategy' = 'on-event');\n");
        RunOptions spanCount = CollectingMetricReporter.boundedRun(
                "--set",
                "pipeline.global-job-parameters=" + CollectTraceFunction.MAX_SPANS_PARAMETER + ":3",
                "span_count.sql");
        spanCount.initScripts.addAll(scope.initScripts(scope.overridesPart("trace_summaries", "trace-summaries")));
        spanCount.initScripts.add(onEvent.toString());
        SqlJobRunner.run(spanCount);

        Map<String, JsonNode> documents = new TreeMap<>();
        scope.documents("trace-summaries")
                .forEach(hit -> documents.put(hit.get("_id").asText(), hit.get("_source")));
        assertThat(documents).containsOnlyKeys("00000000000000a1", "00000000000000b2", "00000000000000c3");
        assertThat(documents.get("00000000000000a1").get("spanCount").asLong()).isEqualTo(3);
        assertThat(documents.get("00000000000000b2").get("spanCount").asLong()).isEqualTo(3);
        assertThat(documents.get("00000000000000b2").get("droppedSpanCount").asLong())
                .isEqualTo(2);
        assertThat(documents.get("00000000000000c3").get("spanCount").asLong()).isEqualTo(1);
        Map<String, Long> accounts = new TreeMap<>();
        for (String metric : List.of(
                "spansRead",
                "skippedSpanRecords",
                "repeatedSpans",
                "droppedSpans",
                "lateSpansDropped",
                "spansBehindWatermark",
                "spansInTraces")) {
            accounts.put(metric, CollectingMetricReporter.sum(".tracefeatures." + metric));
        }
        // 15 records: 7 spans in the documents (3 + 3 + 1), the tombstone, the repeat, 2 over the cap, the straggler
        // and the 3 behind the watermark
        assertThat(accounts)
                .isEqualTo(Map.of(
                        "spansRead",
                        15L,
                        "skippedSpanRecords",
                        1L,
                        "repeatedSpans",
                        1L,
                        "droppedSpans",
                        2L,
                        "lateSpansDropped",
                        1L,
                        "spansBehindWatermark",
                        3L,
                        "spansInTraces",
                        7L));
        String log = Files.readString(RealStack.WORK_DIR.resolve("tests.log"), StandardCharsets.UTF_8);
        assertThat(log)
                .contains("Dropped a span of trace 00000000000000d4 at Kafka partition 0 offset 12")
                .contains("Dropped a span of trace 00000000000000a1 at Kafka partition 0 offset 13")
                .contains("Trace 00000000000000b2 has 2 span(s) over the cap")
                .contains("Trace 00000000000000a1: 1 repeated deliveries");

        // span_metrics counts every span of its minute, repeats and spans over the cap included: only the bad record
        // and the span of the minute before, which the watermark has passed, are left out
        Path index = scope.part(
                "span-metrics-index.sql",
                "ALTER TABLE span_metrics SET ('index' = '" + scope.index("span-metrics") + "');\n");
        RunOptions spanMetrics = CollectingMetricReporter.boundedRun("span_metrics.sql");
        spanMetrics.initScripts.addAll(scope.initScripts(scope.overridesPart()));
        spanMetrics.initScripts.add(index.toString());
        spanMetrics.initScripts.add(onEvent.toString());
        SqlJobRunner.run(spanMetrics);

        long calls = scope.documents("span-metrics").stream()
                .mapToLong(hit -> hit.at("/_source/calls").asLong())
                .sum();
        assertThat(calls).isEqualTo(13);
        assertThat(CollectingMetricReporter.sum(".tracefeatures.spansRead")).isEqualTo(15);
        assertThat(CollectingMetricReporter.sum(".tracefeatures.skippedSpanRecords"))
                .isEqualTo(1);
        assertThat(CollectingMetricReporter.sum(".tracefeatures.spansBehindWatermark"))
                .isEqualTo(1);
        // e5's minute ends at t
        assertThat(Files.readString(RealStack.WORK_DIR.resolve("tests.log"), StandardCharsets.UTF_8))
                .contains("Dropped a span of trace 00000000000000e5 at Kafka partition 0 offset 14: its window ends at "
                        + Instant.ofEpochMilli(t));
    }

    private static Map<String, Long> spanCounts(JsonNode document) {
        Map<String, Long> counts = new TreeMap<>();
        document.get("spanCounts")
                .fields()
                .forEachRemaining(e -> counts.put(e.getKey(), e.getValue().asLong()));
        return counts;
    }

    /** A span of trace {@code trace} (a 64-bit id), with a parent unless {@code parentId} is 0. */
    private static byte[] span(long trace, long spanId, long parentId, String service, String operation) {
        return span(trace, spanId, parentId, service, operation, T);
    }

    /** The same starting {@code spanId} ms after {@code start}. */
    private static byte[] span(long trace, long spanId, long parentId, String service, String operation, long start) {
        ByteString traceId =
                ByteString.copyFrom(ByteBuffer.allocate(16).putLong(8, trace).array());
        Span.Builder span = Span.newBuilder()
                .setTraceId(traceId)
                .setSpanId(ByteString.copyFrom(
                        ByteBuffer.allocate(8).putLong(spanId).array()))
                .setOperationName(operation)
                .setStartTime(JaegerProtos.timestamp(start * 1_000_000L + spanId * 1_000))
                .setDuration(JaegerProtos.duration(1_000_000))
                .setProcess(Process.newBuilder().setServiceName(service));
        if (parentId != 0) {
            span.addReferences(SpanRef.newBuilder()
                    .setTraceId(traceId)
                    .setSpanId(ByteString.copyFrom(
                            ByteBuffer.allocate(8).putLong(parentId).array())));
        }
        return span.build().toByteArray();
    }
}
