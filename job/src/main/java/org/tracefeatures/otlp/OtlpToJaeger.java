package org.tracefeatures.otlp;

import static org.tracefeatures.jaeger.JaegerProtos.duration;
import static org.tracefeatures.jaeger.JaegerProtos.stringTag;
import static org.tracefeatures.jaeger.JaegerProtos.timestamp;

import com.google.protobuf.ByteString;
import io.jaegertracing.api_v2.KeyValue;
import io.jaegertracing.api_v2.Process;
import io.jaegertracing.api_v2.Span;
import io.jaegertracing.api_v2.SpanRef;
import io.jaegertracing.api_v2.SpanRefType;
import io.jaegertracing.api_v2.ValueType;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Status;
import io.opentelemetry.proto.trace.v1.TracesData;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;

/**
 * OTLP spans as Jaeger spans, the way Jaeger's own OTLP translator stores them, so that every input
 * maps onto the span view with the same functions:
 *
 * <ul>
 *   <li>process: service name from the resource attribute {@code service.name} ({@value
 *       #UNKNOWN_SERVICE} without one, as OpenTelemetry SDKs name such a service); the other resource
 *       attributes are the process tags;
 *   <li>references: {@code parent_span_id} (empty for a root) becomes a CHILD_OF reference, each link
 *       a FOLLOWS_FROM reference;
 *   <li>tags: the attributes, then {@code span.kind} (client, server, producer, consumer, internal; none
 *       when unspecified), {@code otel.status_code} (OK or ERROR) and {@code error=true} for status
 *       ERROR, {@code otel.status_description}, {@code otel.scope.name}, {@code otel.scope.version} and
 *       {@code w3c.tracestate} (the W3C trace state, which carries OpenTelemetry's sampling threshold);
 *   <li>attribute values keep their type (AnyValue's set member: string, bool, int, double, bytes);
 *       arrays and key-value lists become JSON text, an empty value the empty string.
 * </ul>
 *
 * Events are not carried over: nothing downstream reads span logs.
 */
public final class OtlpToJaeger {
    public static final String UNKNOWN_SERVICE = "unknown_service";
    static final String SERVICE_NAME = "service.name";
    /** The tag of the W3C trace state, as Jaeger's OTLP translator names it. */
    public static final String TRACE_STATE = "w3c.tracestate";

    private OtlpToJaeger() {}

    /** Every span of the batch, resource by resource and scope by scope, in the batch's order. */
    public static List<Span> spans(TracesData batch) {
        List<Span> spans = new ArrayList<>();
        for (ResourceSpans resourceSpans : batch.getResourceSpansList()) {
            Process process = process(resourceSpans.getResource());
            for (ScopeSpans scopeSpans : resourceSpans.getScopeSpansList()) {
                for (io.opentelemetry.proto.trace.v1.Span span : scopeSpans.getSpansList()) {
                    spans.add(span(span, scopeSpans.getScope(), process));
                }
            }
        }
        return spans;
    }

    static Process process(Resource resource) {
        Process.Builder process = Process.newBuilder().setServiceName(UNKNOWN_SERVICE);
        for (io.opentelemetry.proto.common.v1.KeyValue attribute : resource.getAttributesList()) {
            if (attribute.getKey().equals(SERVICE_NAME)) {
                String name = attribute.getValue().getStringValue();
                if (!name.isEmpty()) {
                    process.setServiceName(name);
                }
            } else {
                process.addTags(tag(attribute.getKey(), attribute.getValue()));
            }
        }
        return process.build();
    }

    private static Span span(io.opentelemetry.proto.trace.v1.Span span, InstrumentationScope scope, Process process) {
        Span.Builder jaeger = Span.newBuilder()
                .setTraceId(span.getTraceId())
                .setSpanId(span.getSpanId())
                .setOperationName(span.getName())
                .setFlags(span.getFlags())
                .setStartTime(timestamp(span.getStartTimeUnixNano()))
                .setDuration(duration(span.getEndTimeUnixNano() - span.getStartTimeUnixNano()))
                .setProcess(process);
        if (!span.getParentSpanId().isEmpty()) {
            jaeger.addReferences(reference(span.getTraceId(), span.getParentSpanId(), SpanRefType.CHILD_OF));
        }
        for (io.opentelemetry.proto.trace.v1.Span.Link link : span.getLinksList()) {
            jaeger.addReferences(reference(link.getTraceId(), link.getSpanId(), SpanRefType.FOLLOWS_FROM));
        }
        for (io.opentelemetry.proto.common.v1.KeyValue attribute : span.getAttributesList()) {
            jaeger.addTags(tag(attribute.getKey(), attribute.getValue()));
        }
        String kind = kind(span.getKind());
        if (kind != null) {
            jaeger.addTags(stringTag("span.kind", kind));
        }
        Status status = span.getStatus();
        if (status.getCode() == Status.StatusCode.STATUS_CODE_ERROR) {
            jaeger.addTags(stringTag("otel.status_code", "ERROR"));
            jaeger.addTags(KeyValue.newBuilder()
                    .setKey("error")
                    .setVType(ValueType.BOOL)
                    .setVBool(true));
        } else if (status.getCode() == Status.StatusCode.STATUS_CODE_OK) {
            jaeger.addTags(stringTag("otel.status_code", "OK"));
        }
        if (!status.getMessage().isEmpty()) {
            jaeger.addTags(stringTag("otel.status_description", status.getMessage()));
        }
        if (!scope.getName().isEmpty()) {
            jaeger.addTags(stringTag("otel.scope.name", scope.getName()));
        }
        if (!scope.getVersion().isEmpty()) {
            jaeger.addTags(stringTag("otel.scope.version", scope.getVersion()));
        }
        if (!span.getTraceState().isEmpty()) {
            jaeger.addTags(stringTag(TRACE_STATE, span.getTraceState()));
        }
        return jaeger.build();
    }

    /** The {@code span.kind} tag value Jaeger clients use; null for an unspecified kind. */
    static String kind(io.opentelemetry.proto.trace.v1.Span.SpanKind kind) {
        switch (kind) {
            case SPAN_KIND_CLIENT:
                return "client";
            case SPAN_KIND_SERVER:
                return "server";
            case SPAN_KIND_PRODUCER:
                return "producer";
            case SPAN_KIND_CONSUMER:
                return "consumer";
            case SPAN_KIND_INTERNAL:
                return "internal";
            default:
                return null;
        }
    }

    /** An attribute as a typed Jaeger tag, by the member of AnyValue's oneof that is set. */
    static KeyValue tag(String key, AnyValue value) {
        KeyValue.Builder tag = KeyValue.newBuilder().setKey(key);
        switch (value.getValueCase()) {
            case STRING_VALUE:
                return tag.setVType(ValueType.STRING)
                        .setVStr(value.getStringValue())
                        .build();
            case BOOL_VALUE:
                return tag.setVType(ValueType.BOOL)
                        .setVBool(value.getBoolValue())
                        .build();
            case INT_VALUE:
                return tag.setVType(ValueType.INT64)
                        .setVInt64(value.getIntValue())
                        .build();
            case DOUBLE_VALUE:
                return tag.setVType(ValueType.FLOAT64)
                        .setVFloat64(value.getDoubleValue())
                        .build();
            case BYTES_VALUE:
                return tag.setVType(ValueType.BINARY)
                        .setVBinary(value.getBytesValue())
                        .build();
            case ARRAY_VALUE:
            case KVLIST_VALUE:
                return tag.setVType(ValueType.STRING).setVStr(json(value)).build();
            default:
                return tag.setVType(ValueType.STRING).setVStr("").build();
        }
    }

    /** An AnyValue as JSON text: arrays as arrays, key-value lists as objects with sorted keys. */
    static String json(AnyValue value) {
        StringBuilder out = new StringBuilder();
        appendJson(out, value);
        return out.toString();
    }

    private static void appendJson(StringBuilder out, AnyValue value) {
        switch (value.getValueCase()) {
            case STRING_VALUE:
                appendString(out, value.getStringValue());
                break;
            case BOOL_VALUE:
                out.append(value.getBoolValue());
                break;
            case INT_VALUE:
                out.append(value.getIntValue());
                break;
            case DOUBLE_VALUE:
                double number = value.getDoubleValue();
                if (Double.isFinite(number)) {
                    out.append(BigDecimal.valueOf(number).stripTrailingZeros().toPlainString());
                } else {
                    appendString(out, Double.toString(number));
                }
                break;
            case BYTES_VALUE:
                appendString(
                        out,
                        Base64.getEncoder().encodeToString(value.getBytesValue().toByteArray()));
                break;
            case ARRAY_VALUE:
                out.append('[');
                List<AnyValue> values = value.getArrayValue().getValuesList();
                for (int i = 0; i < values.size(); i++) {
                    out.append(i == 0 ? "" : ",");
                    appendJson(out, values.get(i));
                }
                out.append(']');
                break;
            case KVLIST_VALUE:
                out.append('{');
                List<io.opentelemetry.proto.common.v1.KeyValue> entries =
                        new ArrayList<>(value.getKvlistValue().getValuesList());
                entries.sort(Comparator.comparing(io.opentelemetry.proto.common.v1.KeyValue::getKey));
                for (int i = 0; i < entries.size(); i++) {
                    out.append(i == 0 ? "" : ",");
                    appendString(out, entries.get(i).getKey());
                    out.append(':');
                    appendJson(out, entries.get(i).getValue());
                }
                out.append('}');
                break;
            default:
                out.append("null");
        }
    }

    private static void appendString(StringBuilder out, String text) {
        out.append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        out.append('"');
    }

    private static SpanRef reference(ByteString traceId, ByteString spanId, SpanRefType type) {
        return SpanRef.newBuilder()
                .setTraceId(traceId)
                .setSpanId(spanId)
                .setRefType(type)
                .build();
    }
}
