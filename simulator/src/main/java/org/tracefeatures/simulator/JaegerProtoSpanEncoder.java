package org.tracefeatures.simulator;

import io.jaegertracing.api_v2.Span;

/** jaeger-collector's {@code protobuf} Kafka encoding (its default): the binary {@code jaeger.api_v2.Span}. */
public final class JaegerProtoSpanEncoder extends OneSpanPerRecordEncoder {

    @Override
    byte[] encode(Span span) {
        return span.toByteArray();
    }
}
