package org.tracefeatures.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.ByteString;
import io.jaegertracing.api_v2.Process;
import io.jaegertracing.api_v2.Span;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.TracesData;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
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
 * Every way spans reach Kafka gives the same documents: the same simulated traffic (same seed, same start time)
 * written as jaeger-collector writes it (jaeger-proto, jaeger-json) and as the OpenTelemetry Collector does
 * (otlp-proto), each into its own topic, read with the matching input part by span_count.sql and trace_features.sql,
 * must produce field-for-field equal documents; the jaeger-proto ones are checked against what the configs imply, so
 * the comparison cannot pass on three empty or equally wrong results. Bad records in each encoding are counted,
 * logged with their offsets, and cost no good trace.
 */
@ExtendWith(RealStack.class)
@ResourceLock(value = RealStack.SHARED_PROCESSES, mode = ResourceAccessMode.READ)
class InputEncodingsITCase {
    static final Path TEST_LOG = RealStack.WORK_DIR.resolve("tests.log");
    static final List<String> ENCODINGS = List.of("jaeger-proto", "jaeger-json", "otlp-proto");
    static final int ORIGINAL_TRACES = 12;
    static final int REDUCED_TRACES = 8;
    static final Instant START = Instant.parse("2026-01-05T10:00:00.000123Z");
    static final byte[] SPAN_ID = {0, 0, 0, 0, 0, 0, 0, 7};

    static final Map<String, RealStack.Scope> scopes = new LinkedHashMap<>();
    /** per encoding: metric suffix -> count, read right after its span_count job */
    static final Map<String, Map<String, Long>> skipped = new LinkedHashMap<>();
    /** per encoding: the offsets of the bad records it was given */
    static final Map<String, List<Long>> badOffsets = new LinkedHashMap<>();
    /** per encoding: what its span_count job wrote to the test log (the encodings share the bad records' offsets) */
    static final Map<String, String> spanCountLogs = new LinkedHashMap<>();

    @BeforeAll
    static void runBothJobsOnEveryEncoding() throws Exception {
        for (String encoding : ENCODINGS) {
            RealStack.Scope scope = RealStack.newScope("encoding-" + encoding);
            scopes.put(encoding, scope);
            scope.simulate("hotrod-original", ORIGINAL_TRACES, "original", 31, encoding, START);
            scope.simulate("hotrod-reduced", REDUCED_TRACES, "reduced", 32, encoding, START);
            badOffsets.put(encoding, scope.produce(badRecords(encoding)));
            RunOptions spanCount = CollectingMetricReporter.boundedRun("span_count.sql");
            spanCount.initScripts.addAll(
                    scope.initScripts(encoding, scope.overridesPart("trace_summaries", "trace-summaries")));
            long logStart = Files.size(TEST_LOG);
            SqlJobRunner.run(spanCount);
            spanCountLogs.put(
                    encoding, Files.readString(TEST_LOG, StandardCharsets.UTF_8).substring((int) logStart));
            Map<String, Long> counts = new TreeMap<>();
            for (String metric :
                    List.of("skippedSpanRecords", "skippedByDefect.undecodable", "skippedByDefect.emptyTraceId")) {
                counts.put(metric, CollectingMetricReporter.sum(".tracefeatures." + metric));
            }
            skipped.put(encoding, counts);

            RunOptions traceFeatures = RunOptions.parse("--bounded", "trace_features.sql");
            traceFeatures.initScripts.addAll(scope.initScripts(
                    encoding,
                    scope.overridesPart(
                            "trace_features", "trace-features", "trace_critical_path", "trace-critical-path")));
            SqlJobRunner.run(traceFeatures);
        }
    }

    @Test
    void jaegerProtoGivesTheDocumentsTheConfigsImply() {
        RealStack.Scope scope = scopes.get("jaeger-proto");
        Map<String, Integer> tracesPerTest = new TreeMap<>();
        List<JsonNode> summaries = scope.documents("trace-summaries");
        assertThat(summaries).hasSize(ORIGINAL_TRACES + REDUCED_TRACES);
        for (JsonNode hit : summaries) {
            JsonNode doc = hit.get("_source");
            int routeCalls = doc.get("testName").asText().equals("original") ? 10 : 5;
            tracesPerTest.merge(doc.get("testName").asText(), 1, Integer::sum);
            assertThat(doc.get("traceId").asText())
                    .matches("[0-9a-f]{32}")
                    .isEqualTo(hit.get("_id").asText());
            assertThat(doc.get("spanCount").asLong()).isEqualTo(HotrodExpectations.spanCount(routeCalls));
            assertThat(spanCounts(doc)).isEqualTo(HotrodExpectations.spanCounts(routeCalls));
        }
        assertThat(tracesPerTest)
                .containsExactly(Map.entry("original", ORIGINAL_TRACES), Map.entry("reduced", REDUCED_TRACES));

        List<JsonNode> features = scope.documents("trace-features");
        assertThat(features).hasSize(ORIGINAL_TRACES + REDUCED_TRACES);
        for (JsonNode hit : features) {
            JsonNode doc = hit.get("_source");
            boolean original = doc.get("testName").asText().equals("original");
            // as worked out in HotrodExpectations and TraceFeaturesITCase
            assertThat(doc.get("spanCount").asInt()).isEqualTo(original ? 53 : 43);
            assertThat(doc.get("depth").asInt()).isEqualTo(9);
            assertThat(doc.get("serviceDepth").asInt()).isEqualTo(5);
            assertThat(doc.get("maxFanOut").asInt()).isEqualTo(original ? 12 : 11);
            assertThat(doc.get("rootService").asText()).isEqualTo("test-executor");
            assertThat(doc.get("rootOperation").asText()).isEqualTo("runTest");
            assertThat(doc.get("errorCount").asInt()).isZero();
            // the simulator's network hop: a server span starts 50 us after its client span
            assertThat(doc.get("networkLatencyMaxMicros").asLong()).isEqualTo(50);
            long criticalPath = 0;
            for (JsonNode micros : doc.get("criticalPath")) {
                criticalPath += micros.asLong();
            }
            assertThat(criticalPath)
                    .isEqualTo(doc.get("rootDurationMicros").asLong())
                    .isPositive();
            // trace 0 of each run starts at START (to the millisecond, as @timestamp keeps it)
            assertThat(doc.get("@timestamp").asText()).startsWith("2026-01-05T10:00:00");
        }
        // one document per trace and service: all 8 services of both configs are on every critical path (the route
        // calls' parallel block ends the trace's work; every other call is sequential)
        assertThat(scope.documents("trace-critical-path")).hasSize(features.size() * 8);
    }

    @Test
    void jaegerJsonGivesTheSameDocumentsAsJaegerProto() {
        assertSameDocuments("jaeger-json");
    }

    @Test
    void otlpProtoGivesTheSameDocumentsAsJaegerProto() {
        assertSameDocuments("otlp-proto");
    }

    @Test
    void badRecordsInEveryEncodingAreCountedAndLoggedWithTheirOffsets() throws Exception {
        // jaeger-proto: random bytes, a tombstone (undecodable); a span without trace id
        assertThat(skipped.get("jaeger-proto"))
                .containsExactly(
                        Map.entry("skippedByDefect.emptyTraceId", 1L),
                        Map.entry("skippedByDefect.undecodable", 2L),
                        Map.entry("skippedSpanRecords", 3L));
        // jaeger-json: text that is not JSON, a tombstone, a duration that is not one (undecodable); no traceId
        assertThat(skipped.get("jaeger-json"))
                .containsExactly(
                        Map.entry("skippedByDefect.emptyTraceId", 1L),
                        Map.entry("skippedByDefect.undecodable", 3L),
                        Map.entry("skippedSpanRecords", 4L));
        // otlp-proto: random bytes, a tombstone, an empty TracesData (undecodable); a span without trace id
        assertThat(skipped.get("otlp-proto"))
                .containsExactly(
                        Map.entry("skippedByDefect.emptyTraceId", 1L),
                        Map.entry("skippedByDefect.undecodable", 3L),
                        Map.entry("skippedSpanRecords", 4L));

        badOffsets.forEach((encoding, offsets) -> {
            for (long offset : offsets) {
                assertThat(spanCountLogs.get(encoding))
                        .as("%s offset %d", encoding, offset)
                        .contains("Skipped the Kafka record at partition 0 offset " + offset + ": ");
            }
        });
        List<Long> json = badOffsets.get("jaeger-json");
        assertThat(spanCountLogs.get("jaeger-json"))
                .contains("offset " + json.get(3) + ": not a span in the"
                        + " input's encoding: duration is not protobuf's JSON form of one: soon");
        List<Long> otlp = badOffsets.get("otlp-proto");
        assertThat(spanCountLogs.get("otlp-proto"))
                .contains("offset " + otlp.get(2) + ": not a span in the"
                        + " input's encoding: IOException: a TracesData without spans (0 bytes)");
    }

    private static void assertSameDocuments(String encoding) {
        for (String index : List.of("trace-summaries", "trace-features", "trace-critical-path")) {
            Map<String, JsonNode> expected = byId(scopes.get("jaeger-proto").documents(index));
            Map<String, JsonNode> actual = byId(scopes.get(encoding).documents(index));
            assertThat(expected).as(index).isNotEmpty();
            assertThat(actual.keySet()).as(index).isEqualTo(expected.keySet());
            expected.forEach((id, document) -> assertThat(actual.get(id))
                    .as("%s %s document %s", encoding, index, id)
                    .isEqualTo(document));
        }
    }

    private static Map<String, JsonNode> byId(List<JsonNode> hits) {
        Map<String, JsonNode> documents = new TreeMap<>();
        hits.forEach(hit -> documents.put(hit.get("_id").asText(), hit.get("_source")));
        return documents;
    }

    private static Map<String, Long> spanCounts(JsonNode doc) {
        Map<String, Long> counts = new TreeMap<>();
        doc.get("spanCounts")
                .fields()
                .forEachRemaining(e -> counts.put(e.getKey(), e.getValue().asLong()));
        return counts;
    }

    /** Records that are no usable span, in the encoding's own form where they decode. */
    private static List<byte[]> badRecords(String encoding) {
        byte[] garbage = {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff};
        switch (encoding) {
            case "jaeger-proto":
                return Arrays.asList(
                        garbage,
                        null,
                        Span.newBuilder()
                                .setSpanId(ByteString.copyFrom(SPAN_ID))
                                .setOperationName("no-trace-id")
                                .setProcess(Process.newBuilder().setServiceName("svc"))
                                .build()
                                .toByteArray());
            case "jaeger-json":
                return Arrays.asList(
                        utf8("this is not JSON"),
                        null,
                        utf8("{\"spanId\":\"AAAAAAAAAAc=\",\"operationName\":\"no-trace-id\","
                                + "\"startTime\":\"2026-01-05T10:00:00Z\",\"process\":{\"serviceName\":\"svc\"}}"),
                        utf8("{\"traceId\":\"AAAAAAAAAAAAAAAAAAAAKg==\",\"spanId\":\"AAAAAAAAAAc=\","
                                + "\"operationName\":\"bad-duration\",\"startTime\":\"2026-01-05T10:00:00Z\","
                                + "\"duration\":\"soon\",\"process\":{\"serviceName\":\"svc\"}}"));
            default:
                TracesData noTraceId = TracesData.newBuilder()
                        .addResourceSpans(ResourceSpans.newBuilder()
                                .setResource(Resource.newBuilder()
                                        .addAttributes(KeyValue.newBuilder()
                                                .setKey("service.name")
                                                .setValue(AnyValue.newBuilder().setStringValue("svc"))))
                                .addScopeSpans(ScopeSpans.newBuilder()
                                        .addSpans(io.opentelemetry.proto.trace.v1.Span.newBuilder()
                                                .setSpanId(ByteString.copyFrom(SPAN_ID))
                                                .setName("no-trace-id"))))
                        .build();
                return Arrays.asList(garbage, null, new byte[0], noTraceId.toByteArray());
        }
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
