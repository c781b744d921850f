package org.tracefeatures.simulator;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.jaegertracing.api_v2.KeyValue;
import io.jaegertracing.api_v2.Span;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.Status;
import io.opentelemetry.proto.trace.v1.TracesData;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.tracefeatures.otlp.OtlpToJaeger;

class OtlpProtoSpanEncoderTest {

    private static final GeneratedTrace TRACE = new TraceGenerator(SimulatorConfig.load("hotrod-original"), "t")
            .generate(0, new SplittableRandom(1), Instant.parse("2024-05-01T12:00:00Z"));

    private static TracesData batch() throws InvalidProtocolBufferException {
        List<EncodedRecord> records = new OtlpProtoSpanEncoder().encode(TRACE);
        assertThat(records).hasSize(1);
        return TracesData.parseFrom(records.get(0).value());
    }

    @Test
    void oneRecordPerTraceKeyedByThe32HexDigitTraceId() {
        List<EncodedRecord> records = new OtlpProtoSpanEncoder().encode(TRACE);

        assertThat(records).hasSize(1);
        assertThat(records.get(0).spans()).isEqualTo(53);
        // the simulator's trace ids are 128-bit: Jaeger's text and OpenTelemetry's (always 32 digits) agree
        assertThat(new String(records.get(0).key(), UTF_8))
                .matches("[0-9a-f]{32}")
                .isEqualTo(TRACE.traceIdString());
    }

    @Test
    void spansAreGroupedByResourceOncePerProcess() throws InvalidProtocolBufferException {
        TracesData batch = batch();

        // hotrod-original: every span's process is its service and instance; count the distinct ones by hand from
        // the generated spans and compare with the resources
        Map<String, Integer> spansPerProcess = new HashMap<>();
        for (Span span : TRACE.spans()) {
            spansPerProcess.merge(span.getProcess().toString(), 1, Integer::sum);
        }
        assertThat(batch.getResourceSpansCount()).isEqualTo(spansPerProcess.size());
        int spans = 0;
        for (ResourceSpans resource : batch.getResourceSpansList()) {
            assertThat(resource.getResource().getAttributes(0).getKey()).isEqualTo("service.name");
            assertThat(resource.getScopeSpansCount()).isEqualTo(1);
            assertThat(resource.getScopeSpans(0).getScope().getName()).isEqualTo("tracefeatures-simulator");
            spans += resource.getScopeSpans(0).getSpansCount();
        }
        assertThat(spans).isEqualTo(53);
        // the first resource is the process of the first span sent (a leaf), the root's comes last of its service
        assertThat(batch.getResourceSpans(0)
                        .getResource()
                        .getAttributes(0)
                        .getValue()
                        .getStringValue())
                .isEqualTo(TRACE.spans().get(0).getProcess().getServiceName());
    }

    @Test
    void kindAndErrorAreOtlpFieldsNotAttributes() throws InvalidProtocolBufferException {
        for (ResourceSpans resource : batch().getResourceSpansList()) {
            for (io.opentelemetry.proto.trace.v1.Span span :
                    resource.getScopeSpans(0).getSpansList()) {
                assertThat(span.getAttributesList()).noneMatch(a -> a.getKey().equals("span.kind"));
                boolean root = span.getName().equals(TraceGenerator.ROOT_OPERATION);
                assertThat(span.getParentSpanId().isEmpty()).isEqualTo(root);
                assertThat(span.getKind())
                        .isEqualTo(
                                root
                                        ? io.opentelemetry.proto.trace.v1.Span.SpanKind.SPAN_KIND_UNSPECIFIED
                                        : span.getName().equals(TraceGenerator.CLIENT_OPERATION)
                                                ? io.opentelemetry.proto.trace.v1.Span.SpanKind.SPAN_KIND_CLIENT
                                                : io.opentelemetry.proto.trace.v1.Span.SpanKind.SPAN_KIND_SERVER);
                assertThat(span.getStatus().getCode()).isEqualTo(Status.StatusCode.STATUS_CODE_UNSET);
            }
        }
    }

    @Test
    void readBackAsJaegerTranslatesOtlpEverySpanKeepsWhatTheJobsRead() throws InvalidProtocolBufferException {
        Map<ByteString, Span> original = new HashMap<>();
        TRACE.spans().forEach(span -> original.put(span.getSpanId(), span));

        List<Span> readBack = OtlpToJaeger.spans(batch());

        assertThat(readBack).hasSize(53);
        for (Span span : readBack) {
            Span sent = original.get(span.getSpanId());
            assertThat(span.getTraceId()).isEqualTo(sent.getTraceId());
            assertThat(span.getOperationName()).isEqualTo(sent.getOperationName());
            assertThat(span.getReferencesList()).isEqualTo(sent.getReferencesList());
            assertThat(span.getStartTime()).isEqualTo(sent.getStartTime());
            assertThat(span.getDuration()).isEqualTo(sent.getDuration());
            assertThat(span.getProcess()).isEqualTo(sent.getProcess());
            assertThat(tags(span)).containsAllEntriesOf(tags(sent));
        }
    }

    @Test
    void aFailedSpanHasStatusError() {
        Span failed = TRACE.spans().get(0).toBuilder()
                .addTags(KeyValue.newBuilder()
                        .setKey("error")
                        .setVType(io.jaegertracing.api_v2.ValueType.BOOL)
                        .setVBool(true))
                .build();

        io.opentelemetry.proto.trace.v1.Span span = OtlpProtoSpanEncoder.span(failed);

        assertThat(span.getStatus().getCode()).isEqualTo(Status.StatusCode.STATUS_CODE_ERROR);
        assertThat(span.getAttributesList()).noneMatch(a -> a.getKey().equals("error"));
    }

    private static Map<String, String> tags(Span span) {
        Map<String, String> tags = new HashMap<>();
        span.getTagsList()
                .forEach(tag -> tags.put(tag.getKey(), tag.getVType() + ":" + tag.getVStr() + tag.getVBool()));
        return tags;
    }
}
