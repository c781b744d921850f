package org.tracefeatures.it;

import com.google.protobuf.ByteString;
import com.google.protobuf.Duration;
import com.google.protobuf.Timestamp;
import io.jaegertracing.api_v2.Process;
import io.jaegertracing.api_v2.Span;
import io.jaegertracing.api_v2.SpanRef;

/** Jaeger protobuf spans that tests write to Kafka themselves, for cases the simulator does not make. */
final class JaegerSpans {
    private JaegerSpans() {}

    static byte[] traceId(long low) {
        return java.nio.ByteBuffer.allocate(16).putLong(8, low).array();
    }

    static byte[] spanId(long id) {
        return java.nio.ByteBuffer.allocate(8).putLong(id).array();
    }

    /** A span of trace {@code low} (the id's low 64 bits) with a CHILD_OF reference to {@code parentId} unless 0. */
    static Span.Builder span(
            long low,
            long spanId,
            long parentId,
            String service,
            String operation,
            long startMicros,
            long durationMicros) {
        Span.Builder span = Span.newBuilder()
                .setTraceId(ByteString.copyFrom(traceId(low)))
                .setSpanId(ByteString.copyFrom(spanId(spanId)))
                .setOperationName(operation)
                .setStartTime(Timestamp.newBuilder()
                        .setSeconds(Math.floorDiv(startMicros, 1_000_000L))
                        .setNanos((int) Math.floorMod(startMicros, 1_000_000L) * 1000))
                .setDuration(Duration.newBuilder()
                        .setSeconds(durationMicros / 1_000_000L)
                        .setNanos((int) (durationMicros % 1_000_000L) * 1000))
                .setProcess(Process.newBuilder().setServiceName(service));
        if (parentId != 0) {
            span.addReferences(SpanRef.newBuilder()
                    .setTraceId(ByteString.copyFrom(traceId(low)))
                    .setSpanId(ByteString.copyFrom(spanId(parentId))));
        }
        return span;
    }
}
