package org.tracefeatures.simulator;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.google.protobuf.ByteString;
import com.google.protobuf.Duration;
import com.google.protobuf.Timestamp;
import io.jaegertracing.api_v2.KeyValue;
import io.jaegertracing.api_v2.Log;
import io.jaegertracing.api_v2.Process;
import io.jaegertracing.api_v2.Span;
import io.jaegertracing.api_v2.SpanRef;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.List;

/**
 * jaeger-collector's {@code json} Kafka encoding ({@code --kafka.producer.encoding=json}): the span in protobuf's JSON
 * mapping as gogo's jsonpb marshaller writes Jaeger's model with its default options. That is:
 *
 * <ul>
 *   <li>fields in the order of the .proto, named in lowerCamelCase ({@code traceId}, {@code operationName});</li>
 *   <li>zero values left out: empty strings and lists, false, 0, enum values 0 (a CHILD_OF reference has no
 *       {@code refType}, a STRING tag no {@code vType}), a zero duration, a zero span id;</li>
 *   <li>trace ids as base64 of 16 bytes (Jaeger's model always writes 16: a 64-bit id has a zero high half), span
 *       ids as base64 of 8 bytes, binary values as base64;</li>
 *   <li>enums by name, int64 values as strings ({@code "vInt64":"42"}), doubles as numbers;</li>
 *   <li>times in RFC 3339 UTC and durations in seconds ({@code "0.022938s"}), both with 0, 3, 6 or 9 fractional
 *       digits, as few as the value needs.</li>
 * </ul>
 */
public final class JaegerJsonSpanEncoder extends OneSpanPerRecordEncoder {

    private static final JsonFactory JSON = new JsonFactory();
    private static final DateTimeFormatter SECONDS =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss").withZone(ZoneOffset.UTC);

    @Override
    byte[] encode(Span span) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator json = JSON.createGenerator(out)) {
            json.writeStartObject();
            writeTraceId(json, "traceId", span.getTraceId());
            writeSpanId(json, "spanId", span.getSpanId());
            writeString(json, "operationName", span.getOperationName());
            if (span.getReferencesCount() > 0) {
                json.writeArrayFieldStart("references");
                for (SpanRef reference : span.getReferencesList()) {
                    json.writeStartObject();
                    writeTraceId(json, "traceId", reference.getTraceId());
                    writeSpanId(json, "spanId", reference.getSpanId());
                    if (reference.getRefTypeValue() != 0) {
                        json.writeStringField("refType", reference.getRefType().name());
                    }
                    json.writeEndObject();
                }
                json.writeEndArray();
            }
            if (span.getFlags() != 0) {
                json.writeNumberField("flags", Integer.toUnsignedLong(span.getFlags()));
            }
            json.writeStringField("startTime", timestamp(span.getStartTime()));
            if (span.getDuration().getSeconds() != 0 || span.getDuration().getNanos() != 0) {
                json.writeStringField("duration", duration(span.getDuration()));
            }
            writeKeyValues(json, "tags", span.getTagsList());
            if (span.getLogsCount() > 0) {
                json.writeArrayFieldStart("logs");
                for (Log log : span.getLogsList()) {
                    json.writeStartObject();
                    json.writeStringField("timestamp", timestamp(log.getTimestamp()));
                    writeKeyValues(json, "fields", log.getFieldsList());
                    json.writeEndObject();
                }
                json.writeEndArray();
            }
            if (span.hasProcess()) {
                Process process = span.getProcess();
                json.writeObjectFieldStart("process");
                writeString(json, "serviceName", process.getServiceName());
                writeKeyValues(json, "tags", process.getTagsList());
                json.writeEndObject();
            }
            writeString(json, "processId", span.getProcessId());
            if (span.getWarningsCount() > 0) {
                json.writeArrayFieldStart("warnings");
                for (String warning : span.getWarningsList()) {
                    json.writeString(warning);
                }
                json.writeEndArray();
            }
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write a span as JSON", e);
        }
        return out.toByteArray();
    }

    /** Jaeger's TraceID is a struct, always written: base64 of its 16 bytes. */
    private static void writeTraceId(JsonGenerator json, String field, ByteString traceId) throws IOException {
        byte[] sixteen = new byte[16];
        byte[] bytes = traceId.toByteArray();
        System.arraycopy(bytes, 0, sixteen, 16 - Math.min(16, bytes.length), Math.min(16, bytes.length));
        json.writeStringField(field, Base64.getEncoder().encodeToString(sixteen));
    }

    /** Jaeger's SpanID is a uint64, left out when zero. */
    private static void writeSpanId(JsonGenerator json, String field, ByteString spanId) throws IOException {
        if (!spanId.isEmpty() && !spanId.equals(ByteString.copyFrom(new byte[spanId.size()]))) {
            json.writeStringField(field, Base64.getEncoder().encodeToString(spanId.toByteArray()));
        }
    }

    private static void writeString(JsonGenerator json, String field, String value) throws IOException {
        if (!value.isEmpty()) {
            json.writeStringField(field, value);
        }
    }

    private static void writeKeyValues(JsonGenerator json, String field, List<KeyValue> keyValues) throws IOException {
        if (keyValues.isEmpty()) {
            return;
        }
        json.writeArrayFieldStart(field);
        for (KeyValue keyValue : keyValues) {
            json.writeStartObject();
            writeString(json, "key", keyValue.getKey());
            if (keyValue.getVTypeValue() != 0) {
                json.writeStringField("vType", keyValue.getVType().name());
            }
            writeString(json, "vStr", keyValue.getVStr());
            if (keyValue.getVBool()) {
                json.writeBooleanField("vBool", true);
            }
            if (keyValue.getVInt64() != 0) {
                json.writeStringField("vInt64", Long.toString(keyValue.getVInt64()));
            }
            if (keyValue.getVFloat64() != 0) {
                json.writeNumberField("vFloat64", keyValue.getVFloat64());
            }
            if (!keyValue.getVBinary().isEmpty()) {
                json.writeStringField(
                        "vBinary",
                        Base64.getEncoder().encodeToString(keyValue.getVBinary().toByteArray()));
            }
            json.writeEndObject();
        }
        json.writeEndArray();
    }

    /** RFC 3339 in UTC, e.g. {@code 2024-05-01T12:00:00.000123Z}. */
    static String timestamp(Timestamp timestamp) {
        return SECONDS.format(Instant.ofEpochSecond(timestamp.getSeconds())) + fraction(timestamp.getNanos()) + "Z";
    }

    /** Seconds with a fraction, e.g. {@code 0.022938s}; a negative duration has a leading minus. */
    static String duration(Duration duration) {
        long seconds = duration.getSeconds();
        int nanos = duration.getNanos();
        String sign = seconds < 0 || nanos < 0 ? "-" : "";
        return sign + Math.abs(seconds) + fraction(Math.abs(nanos)) + "s";
    }

    /** 0, 3, 6 or 9 fractional digits, as few as the nanoseconds need, with the dot; empty for none. */
    private static String fraction(int nanos) {
        if (nanos == 0) {
            return "";
        }
        String digits = String.format("%09d", nanos);
        while (digits.endsWith("000")) {
            digits = digits.substring(0, digits.length() - 3);
        }
        return "." + digits;
    }
}
