package org.tracefeatures.simulator;

import io.jaegertracing.api_v2.Span;

/** jaeger-collector's {@code protobuf} Kafka encoding: the binary {@code jaeger.api_v2.Span}. */
public final class JaegerProtoSpanEncoder implements SpanEncoder {

    @Override
    public byte[] encode(Span span) {
        return span.toByteArray();
    }
}
