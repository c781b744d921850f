package org.tracefeatures.otlp;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.jaegertracing.api_v2.KeyValue;
import io.jaegertracing.api_v2.Span;
import io.jaegertracing.api_v2.SpanRef;
import io.jaegertracing.api_v2.SpanRefType;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValueList;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Status;
import io.opentelemetry.proto.trace.v1.TracesData;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.tracefeatures.jaeger.JaegerIds;
import org.tracefeatures.jaeger.SpanReference;
import org.tracefeatures.jaeger.TagValues;

class OtlpToJaegerTest {
    // a 64-bit trace id as OTLP carries it: 16 bytes, the high half zero
    private static final ByteString TRACE_64 = bytes(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01, 0xff);
    private static final ByteString TRACE_128 = bytes(0x12, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x2a);
    private static final ByteString ROOT = bytes(0, 0, 0, 0, 0, 0, 0, 1);
    private static final ByteString CHILD = bytes(0, 0, 0, 0, 0, 0, 0, 2);

    private static ByteString bytes(int... values) {
        byte[] out = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (byte) values[i];
        }
        return ByteString.copyFrom(out);
    }

    private static io.opentelemetry.proto.common.v1.KeyValue attribute(String key, AnyValue value) {
        return io.opentelemetry.proto.common.v1.KeyValue.newBuilder()
                .setKey(key)
                .setValue(value)
                .build();
    }

    private static AnyValue string(String value) {
        return AnyValue.newBuilder().setStringValue(value).build();
    }

    private static TracesData batch(Resource resource, io.opentelemetry.proto.trace.v1.Span... spans) {
        return TracesData.newBuilder()
                .addResourceSpans(ResourceSpans.newBuilder()
                        .setResource(resource)
                        .addScopeSpans(ScopeSpans.newBuilder().addAllSpans(List.of(spans))))
                .build();
    }

    private static Resource service(String name) {
        return Resource.newBuilder()
                .addAttributes(attribute("service.name", string(name)))
                .build();
    }

    /** The tags as TAGS_MAP makes them text (first value of a key wins). */
    private static Map<String, String> text(List<KeyValue> tags) {
        Map<String, String> map = new LinkedHashMap<>();
        for (KeyValue tag : tags) {
            map.putIfAbsent(
                    tag.getKey(),
                    TagValues.asText(
                            tag.getVType().name(),
                            tag.getVStr(),
                            tag.getVBool(),
                            tag.getVInt64(),
                            tag.getVFloat64(),
                            tag.getVBinary().toByteArray()));
        }
        return map;
    }

    private static SpanReference parent(Span span) {
        List<SpanReference> references = new ArrayList<>();
        for (SpanRef reference : span.getReferencesList()) {
            references.add(new SpanReference(
                    reference.getTraceId().toByteArray(),
                    reference.getSpanId().toByteArray(),
                    reference.getRefType().name()));
        }
        return SpanReference.parentOf(span.getTraceId().toByteArray(), references);
    }

    @Test
    void aRootSpanWithEmptyParentSpanIdHasNoParentAndAChildHasItsParent() {
        io.opentelemetry.proto.trace.v1.Span root = io.opentelemetry.proto.trace.v1.Span.newBuilder()
                .setTraceId(TRACE_64)
                .setSpanId(ROOT)
                .setName("GET /")
                .build();
        io.opentelemetry.proto.trace.v1.Span child = io.opentelemetry.proto.trace.v1.Span.newBuilder()
                .setTraceId(TRACE_64)
                .setSpanId(CHILD)
                .setParentSpanId(ROOT)
                .setName("SELECT")
                .build();

        List<Span> spans = OtlpToJaeger.spans(batch(service("api"), root, child));

        assertThat(spans.get(0).getReferencesList()).isEmpty();
        assertThat(parent(spans.get(0))).isNull();
        assertThat(JaegerIds.spanId(parent(spans.get(1)).spanId)).isEqualTo("0000000000000001");
        assertThat(parent(spans.get(1)).type).isEqualTo("CHILD_OF");
        // the trace id as Jaeger prints a 64-bit one: 16 hex digits
        assertThat(JaegerIds.traceId(spans.get(1).getTraceId().toByteArray())).isEqualTo("00000000000001ff");
    }

    @Test
    void linksAreFollowsFromReferencesAfterTheParent() {
        io.opentelemetry.proto.trace.v1.Span span = io.opentelemetry.proto.trace.v1.Span.newBuilder()
                .setTraceId(TRACE_128)
                .setSpanId(CHILD)
                .setParentSpanId(ROOT)
                .addLinks(io.opentelemetry.proto.trace.v1.Span.Link.newBuilder()
                        .setTraceId(TRACE_64)
                        .setSpanId(ROOT))
                .build();

        Span jaeger = OtlpToJaeger.spans(batch(service("api"), span)).get(0);

        assertThat(jaeger.getReferencesList())
                .extracting(SpanRef::getRefType)
                .containsExactly(SpanRefType.CHILD_OF, SpanRefType.FOLLOWS_FROM);
        assertThat(jaeger.getReferences(1).getTraceId()).isEqualTo(TRACE_64);
        assertThat(JaegerIds.traceId(jaeger.getTraceId().toByteArray())).isEqualTo("1200000000000000000000000000002a");
    }

    @Test
    void aLinkAloneIsAFollowsFromParentOnlyWithinTheTrace() {
        io.opentelemetry.proto.trace.v1.Span linkedInTrace = io.opentelemetry.proto.trace.v1.Span.newBuilder()
                .setTraceId(TRACE_128)
                .setSpanId(CHILD)
                .addLinks(io.opentelemetry.proto.trace.v1.Span.Link.newBuilder()
                        .setTraceId(TRACE_128)
                        .setSpanId(ROOT))
                .build();
        io.opentelemetry.proto.trace.v1.Span linkedElsewhere = linkedInTrace.toBuilder()
                .setLinks(
                        0,
                        io.opentelemetry.proto.trace.v1.Span.Link.newBuilder()
                                .setTraceId(TRACE_64)
                                .setSpanId(ROOT))
                .build();

        List<Span> spans = OtlpToJaeger.spans(batch(service("api"), linkedInTrace, linkedElsewhere));

        assertThat(parent(spans.get(0)).type).isEqualTo("FOLLOWS_FROM");
        assertThat(parent(spans.get(1))).isNull();
    }

    @Test
    void attributesOfEveryAnyValueTypeKeepTheirType() {
        io.opentelemetry.proto.trace.v1.Span span = io.opentelemetry.proto.trace.v1.Span.newBuilder()
                .setTraceId(TRACE_128)
                .setSpanId(ROOT)
                .addAttributes(attribute("http.method", string("GET")))
                .addAttributes(attribute("empty.string", string("")))
                // the values flink-protobuf could not tell from an unset member: false, 0, 0.0
                .addAttributes(attribute(
                        "cache.hit", AnyValue.newBuilder().setBoolValue(false).build()))
                .addAttributes(
                        attribute("retry", AnyValue.newBuilder().setIntValue(0).build()))
                .addAttributes(attribute(
                        "http.status_code",
                        AnyValue.newBuilder().setIntValue(503).build()))
                .addAttributes(attribute(
                        "ratio", AnyValue.newBuilder().setDoubleValue(0.0).build()))
                .addAttributes(attribute(
                        "load", AnyValue.newBuilder().setDoubleValue(0.25).build()))
                .addAttributes(attribute(
                        "blob",
                        AnyValue.newBuilder().setBytesValue(bytes(0xfb, 0xff)).build()))
                .addAttributes(attribute(
                        "hosts",
                        AnyValue.newBuilder()
                                .setArrayValue(ArrayValue.newBuilder()
                                        .addValues(string("a\"b"))
                                        .addValues(AnyValue.newBuilder().setIntValue(7))
                                        .addValues(AnyValue.newBuilder().setBoolValue(true)))
                                .build()))
                .addAttributes(attribute(
                        "labels",
                        AnyValue.newBuilder()
                                .setKvlistValue(KeyValueList.newBuilder()
                                        .addValues(attribute("zone", string("eu")))
                                        .addValues(attribute(
                                                "rack",
                                                AnyValue.newBuilder()
                                                        .setDoubleValue(1.5)
                                                        .build())))
                                .build()))
                .addAttributes(attribute("nothing", AnyValue.getDefaultInstance()))
                .build();

        Span jaeger = OtlpToJaeger.spans(batch(service("api"), span)).get(0);

        assertThat(jaeger.getTagsList())
                .extracting(tag -> tag.getVType().name())
                .containsExactly(
                        "STRING", "STRING", "BOOL", "INT64", "INT64", "FLOAT64", "FLOAT64", "BINARY", "STRING",
                        "STRING", "STRING");
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("http.method", "GET");
        expected.put("empty.string", "");
        expected.put("cache.hit", "false");
        expected.put("retry", "0");
        expected.put("http.status_code", "503");
        expected.put("ratio", "0.0");
        expected.put("load", "0.25");
        expected.put("blob", "+/8=");
        expected.put("hosts", "[\"a\\\"b\",7,true]"); // JSON, as Jaeger's translator writes arrays
        expected.put("labels", "{\"rack\":1.5,\"zone\":\"eu\"}"); // and maps, keys sorted
        expected.put("nothing", "");
        assertThat(text(jaeger.getTagsList())).containsExactlyEntriesOf(expected);
    }

    @Test
    void aResourceWithoutServiceNameIsUnknownServiceAndOtherResourceAttributesAreProcessTags() {
        Resource withoutName = Resource.newBuilder()
                .addAttributes(attribute("host.name", string("node-1")))
                .build();
        Resource emptyName = Resource.newBuilder()
                .addAttributes(attribute("service.name", string("")))
                .build();
        io.opentelemetry.proto.trace.v1.Span span = io.opentelemetry.proto.trace.v1.Span.newBuilder()
                .setTraceId(TRACE_128)
                .setSpanId(ROOT)
                .build();

        Span jaeger = OtlpToJaeger.spans(batch(withoutName, span)).get(0);

        assertThat(jaeger.getProcess().getServiceName()).isEqualTo("unknown_service");
        assertThat(text(jaeger.getProcess().getTagsList())).containsExactly(Map.entry("host.name", "node-1"));
        assertThat(OtlpToJaeger.spans(batch(emptyName, span))
                        .get(0)
                        .getProcess()
                        .getServiceName())
                .isEqualTo("unknown_service");
        assertThat(OtlpToJaeger.spans(batch(service("api"), span))
                        .get(0)
                        .getProcess()
                        .getTagsList())
                .isEmpty();
    }

    @Test
    void kindStatusScopeAndTraceStateBecomeJaegersTags() {
        io.opentelemetry.proto.trace.v1.Span failed = io.opentelemetry.proto.trace.v1.Span.newBuilder()
                .setTraceId(TRACE_128)
                .setSpanId(ROOT)
                .setKind(io.opentelemetry.proto.trace.v1.Span.SpanKind.SPAN_KIND_CLIENT)
                .setStatus(Status.newBuilder()
                        .setCode(Status.StatusCode.STATUS_CODE_ERROR)
                        .setMessage("timeout"))
                .setTraceState("vendor=x,ot=th:8")
                .build();
        TracesData batch = TracesData.newBuilder()
                .addResourceSpans(ResourceSpans.newBuilder()
                        .setResource(service("api"))
                        .addScopeSpans(ScopeSpans.newBuilder()
                                .setScope(InstrumentationScope.newBuilder()
                                        .setName("io.opentelemetry.okhttp")
                                        .setVersion("2.1"))
                                .addSpans(failed)
                                .addSpans(failed.toBuilder()
                                        .clearTraceState()
                                        .setKind(io.opentelemetry.proto.trace.v1.Span.SpanKind.SPAN_KIND_UNSPECIFIED)
                                        .setStatus(Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_OK)))))
                .build();

        List<Span> spans = OtlpToJaeger.spans(batch);

        assertThat(text(spans.get(0).getTagsList()))
                .containsExactly(
                        Map.entry("span.kind", "client"),
                        Map.entry("otel.status_code", "ERROR"),
                        Map.entry("error", "true"),
                        Map.entry("otel.status_description", "timeout"),
                        Map.entry("otel.scope.name", "io.opentelemetry.okhttp"),
                        Map.entry("otel.scope.version", "2.1"),
                        // the W3C trace state, where OpenTelemetry writes its sampling threshold
                        Map.entry("w3c.tracestate", "vendor=x,ot=th:8"));
        assertThat(text(spans.get(1).getTagsList()))
                .containsExactly(
                        Map.entry("otel.status_code", "OK"),
                        Map.entry("otel.scope.name", "io.opentelemetry.okhttp"),
                        Map.entry("otel.scope.version", "2.1"));
        assertThat(OtlpToJaeger.kind(io.opentelemetry.proto.trace.v1.Span.SpanKind.SPAN_KIND_SERVER))
                .isEqualTo("server");
        assertThat(OtlpToJaeger.kind(io.opentelemetry.proto.trace.v1.Span.SpanKind.SPAN_KIND_PRODUCER))
                .isEqualTo("producer");
        assertThat(OtlpToJaeger.kind(io.opentelemetry.proto.trace.v1.Span.SpanKind.SPAN_KIND_CONSUMER))
                .isEqualTo("consumer");
        assertThat(OtlpToJaeger.kind(io.opentelemetry.proto.trace.v1.Span.SpanKind.SPAN_KIND_INTERNAL))
                .isEqualTo("internal");
    }

    @Test
    void timesAreTheNanosecondsOfOtlpAsJaegersTimestampAndDuration() {
        // 2024-05-01T12:00:00.123456789Z for 22,938,500 ns
        long start = 1_714_564_800_123_456_789L;
        io.opentelemetry.proto.trace.v1.Span span = io.opentelemetry.proto.trace.v1.Span.newBuilder()
                .setTraceId(TRACE_128)
                .setSpanId(ROOT)
                .setStartTimeUnixNano(start)
                .setEndTimeUnixNano(start + 22_938_500L)
                .build();

        Span jaeger = OtlpToJaeger.spans(batch(service("api"), span)).get(0);

        assertThat(jaeger.getStartTime().getSeconds()).isEqualTo(1_714_564_800L);
        assertThat(jaeger.getStartTime().getNanos()).isEqualTo(123_456_789);
        assertThat(jaeger.getDuration().getSeconds()).isZero();
        assertThat(jaeger.getDuration().getNanos()).isEqualTo(22_938_500);
    }

    @Test
    void spansComeResourceByResourceInTheBatchsOrder() {
        io.opentelemetry.proto.trace.v1.Span a = io.opentelemetry.proto.trace.v1.Span.newBuilder()
                .setTraceId(TRACE_128)
                .setSpanId(ROOT)
                .setName("a")
                .build();
        TracesData batch = TracesData.newBuilder()
                .addResourceSpans(ResourceSpans.newBuilder()
                        .setResource(service("one"))
                        .addScopeSpans(ScopeSpans.newBuilder()
                                .addSpans(a)
                                .addSpans(a.toBuilder().setName("b")))
                        .addScopeSpans(
                                ScopeSpans.newBuilder().addSpans(a.toBuilder().setName("c"))))
                .addResourceSpans(ResourceSpans.newBuilder()
                        .setResource(service("two"))
                        .addScopeSpans(
                                ScopeSpans.newBuilder().addSpans(a.toBuilder().setName("d"))))
                .build();

        assertThat(OtlpToJaeger.spans(batch))
                .extracting(span -> span.getProcess().getServiceName() + "/" + span.getOperationName())
                .containsExactly("one/a", "one/b", "one/c", "two/d");
    }
}
