package org.tracefeatures.simulator;

import io.jaegertracing.api_v2.Span;

/**
 * Turns one span into the value of one Kafka message. The seam for the wire formats jaeger-collector can write
 * to Kafka; today only {@link JaegerProtoSpanEncoder} exists.
 */
public interface SpanEncoder {

    byte[] encode(Span span);
}
