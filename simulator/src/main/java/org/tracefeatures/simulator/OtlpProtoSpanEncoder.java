package org.tracefeatures.simulator;

import io.jaegertracing.api_v2.KeyValue;
import io.jaegertracing.api_v2.Log;
import io.jaegertracing.api_v2.Process;
import io.jaegertracing.api_v2.Span;
import io.jaegertracing.api_v2.SpanRef;
import io.jaegertracing.api_v2.SpanRefType;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Status;
import io.opentelemetry.proto.trace.v1.TracesData;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The OpenTelemetry Collector's Kafka exporter with its default encoding {@code otlp_proto} and
 * {@code partition_traces_by_id: true}: one protobuf {@code TracesData} per trace, keyed by the trace id as 32 hex
 * digits (as OpenTelemetry prints it), so that a trace stays on one partition. (Without partition_traces_by_id the
 * exporter writes each batch of its batch processor as one record without a key.)
 *
 * <p>The batch is grouped as the Collector groups spans: one {@code ResourceSpans} per process (resource attributes
 * {@code service.name} and the process tags), in the order the trace's spans first name it, each with one
 * {@code ScopeSpans} of scope {@value #SCOPE} holding that process's spans in the trace's (end) order.
 *
 * <p>Each span as OpenTelemetry would have recorded it: the CHILD_OF reference becomes {@code parent_span_id} (empty
 * for the root), other references links; the {@code span.kind} tag the SpanKind; {@code error=true} the status ERROR;
 * the other tags typed attributes; logs events (the {@code event} field is the name).
 */
public final class OtlpProtoSpanEncoder implements SpanEncoder {

    static final String SCOPE = "tracefeatures-simulator";
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    @Override
    public List<EncodedRecord> encode(GeneratedTrace trace) {
        Map<Process, ScopeSpans.Builder> byProcess = new LinkedHashMap<>();
        for (Span span : trace.spans()) {
            byProcess
                    .computeIfAbsent(
                            span.getProcess(),
                            process -> ScopeSpans.newBuilder()
                                    .setScope(InstrumentationScope.newBuilder().setName(SCOPE)))
                    .addSpans(span(span));
        }
        TracesData.Builder batch = TracesData.newBuilder();
        byProcess.forEach((process, spans) -> batch.addResourceSpans(
                ResourceSpans.newBuilder().setResource(resource(process)).addScopeSpans(spans)));
        byte[] key = String.format("%016x%016x", trace.traceIdHigh(), trace.traceIdLow())
                .getBytes(StandardCharsets.UTF_8);
        return List.of(new EncodedRecord(
                key, batch.build().toByteArray(), trace.spans().size()));
    }

    private static Resource resource(Process process) {
        Resource.Builder resource = Resource.newBuilder()
                .addAttributes(
                        attribute("service.name", AnyValue.newBuilder().setStringValue(process.getServiceName())));
        for (KeyValue tag : process.getTagsList()) {
            resource.addAttributes(attribute(tag));
        }
        return resource.build();
    }

    static io.opentelemetry.proto.trace.v1.Span span(Span span) {
        long start = nanos(span.getStartTime().getSeconds(), span.getStartTime().getNanos());
        io.opentelemetry.proto.trace.v1.Span.Builder otlp = io.opentelemetry.proto.trace.v1.Span.newBuilder()
                .setTraceId(span.getTraceId())
                .setSpanId(span.getSpanId())
                .setName(span.getOperationName())
                .setFlags(span.getFlags() & 0xff) // W3C trace flags: Jaeger's sampled bit is bit 0 in both
                .setStartTimeUnixNano(start)
                .setEndTimeUnixNano(start
                        + nanos(
                                span.getDuration().getSeconds(),
                                span.getDuration().getNanos()));
        boolean hasParent = false;
        for (SpanRef reference : span.getReferencesList()) {
            if (!hasParent
                    && reference.getRefType() == SpanRefType.CHILD_OF
                    && reference.getTraceId().equals(span.getTraceId())) {
                otlp.setParentSpanId(reference.getSpanId());
                hasParent = true;
            } else {
                otlp.addLinks(io.opentelemetry.proto.trace.v1.Span.Link.newBuilder()
                        .setTraceId(reference.getTraceId())
                        .setSpanId(reference.getSpanId()));
            }
        }
        for (KeyValue tag : span.getTagsList()) {
            if (tag.getKey().equals("span.kind")) {
                otlp.setKind(kind(tag.getVStr()));
            } else if (tag.getKey().equals("error")) {
                if (tag.getVBool()) {
                    otlp.setStatus(Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_ERROR));
                }
            } else {
                otlp.addAttributes(attribute(tag));
            }
        }
        for (Log log : span.getLogsList()) {
            io.opentelemetry.proto.trace.v1.Span.Event.Builder event =
                    io.opentelemetry.proto.trace.v1.Span.Event.newBuilder()
                            .setTimeUnixNano(nanos(
                                    log.getTimestamp().getSeconds(),
                                    log.getTimestamp().getNanos()));
            for (KeyValue field : log.getFieldsList()) {
                if (field.getKey().equals("event")) {
                    event.setName(field.getVStr());
                } else {
                    event.addAttributes(attribute(field));
                }
            }
            otlp.addEvents(event);
        }
        return otlp.build();
    }

    private static io.opentelemetry.proto.trace.v1.Span.SpanKind kind(String jaegerKind) {
        return switch (jaegerKind) {
            case "client" -> io.opentelemetry.proto.trace.v1.Span.SpanKind.SPAN_KIND_CLIENT;
            case "server" -> io.opentelemetry.proto.trace.v1.Span.SpanKind.SPAN_KIND_SERVER;
            case "producer" -> io.opentelemetry.proto.trace.v1.Span.SpanKind.SPAN_KIND_PRODUCER;
            case "consumer" -> io.opentelemetry.proto.trace.v1.Span.SpanKind.SPAN_KIND_CONSUMER;
            case "internal" -> io.opentelemetry.proto.trace.v1.Span.SpanKind.SPAN_KIND_INTERNAL;
            default -> io.opentelemetry.proto.trace.v1.Span.SpanKind.SPAN_KIND_UNSPECIFIED;
        };
    }

    /** A typed Jaeger tag as an attribute of the same type. */
    private static io.opentelemetry.proto.common.v1.KeyValue attribute(KeyValue tag) {
        AnyValue.Builder value = AnyValue.newBuilder();
        switch (tag.getVType()) {
            case BOOL -> value.setBoolValue(tag.getVBool());
            case INT64 -> value.setIntValue(tag.getVInt64());
            case FLOAT64 -> value.setDoubleValue(tag.getVFloat64());
            case BINARY -> value.setBytesValue(tag.getVBinary());
            default -> value.setStringValue(tag.getVStr());
        }
        return attribute(tag.getKey(), value);
    }

    private static io.opentelemetry.proto.common.v1.KeyValue attribute(String key, AnyValue.Builder value) {
        return io.opentelemetry.proto.common.v1.KeyValue.newBuilder()
                .setKey(key)
                .setValue(value)
                .build();
    }

    private static long nanos(long seconds, int nanos) {
        return seconds * NANOS_PER_SECOND + nanos;
    }
}
