package org.tracefeatures.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.ByteString;
import io.jaegertracing.api_v2.Process;
import io.jaegertracing.api_v2.Span;
import io.jaegertracing.api_v2.SpanRef;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.tracefeatures.jaeger.JaegerProtos;
import org.tracefeatures.runner.RunOptions;
import org.tracefeatures.runner.SqlJobRunner;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A span that reaches Kafka after its trace's session window has closed (5 s gap, init/traces.sql) must not
 * replace the trace's document with a partial trace of one span: the traces view drops the late window, counts it
 * and its spans as Flink metrics and logs the trace id. A span later than others of its trace but within the gap
 * still joins its trace.
 */
@ExtendWith(RealStack.class)
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

        CollectingMetricReporter.clear();
        RunOptions options = RunOptions.parse("--bounded", "--set",
                CollectingMetricReporter.CONFIG_KEY + "=" + CollectingMetricReporter.class.getName(), "span_count.sql");
        options.initScripts.addAll(scope.initScripts(scope.overridesPart("trace_summaries", "trace-summaries")));
        SqlJobRunner.run(options);

        Map<String, JsonNode> documents = new TreeMap<>();
        scope.documents("trace-summaries").forEach(hit -> documents.put(hit.get("_id").asText(), hit.get("_source")));
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
        assertThat(CollectingMetricReporter.sum(".tracefeatures.lateTraceWindows")).isEqualTo(1);
        assertThat(CollectingMetricReporter.sum(".tracefeatures.lateSpansDropped")).isEqualTo(1);
        assertThat(straggler).hasSize(1);
        String log = Files.readString(RealStack.WORK_DIR.resolve("tests.log"), StandardCharsets.UTF_8);
        assertThat(log).contains("Dropped 1 span(s) of trace 00000000000000a1 that arrived after its session window");
    }

    private static Map<String, Long> spanCounts(JsonNode document) {
        Map<String, Long> counts = new TreeMap<>();
        document.get("spanCounts").fields().forEachRemaining(e -> counts.put(e.getKey(), e.getValue().asLong()));
        return counts;
    }

    /** A span of trace {@code trace} (a 64-bit id), with a parent unless {@code parentId} is 0. */
    private static byte[] span(long trace, long spanId, long parentId, String service, String operation) {
        ByteString traceId = ByteString.copyFrom(ByteBuffer.allocate(16).putLong(8, trace).array());
        Span.Builder span = Span.newBuilder()
                .setTraceId(traceId)
                .setSpanId(ByteString.copyFrom(ByteBuffer.allocate(8).putLong(spanId).array()))
                .setOperationName(operation)
                .setStartTime(JaegerProtos.timestamp(T * 1_000_000L + spanId * 1_000))
                .setDuration(JaegerProtos.duration(1_000_000))
                .setProcess(Process.newBuilder().setServiceName(service));
        if (parentId != 0) {
            span.addReferences(SpanRef.newBuilder().setTraceId(traceId)
                    .setSpanId(ByteString.copyFrom(ByteBuffer.allocate(8).putLong(parentId).array())));
        }
        return span.build().toByteArray();
    }
}
