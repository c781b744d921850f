package org.tracefeatures.simulator;

import io.jaegertracing.api_v2.Span;
import java.util.List;
import org.tracefeatures.jaeger.JaegerIds;

/**
 * The spans of one simulated trace, in the order they finish, which is the order Jaeger clients report them in:
 * children before their parents, the root span last.
 *
 * @param failed whether some endpoint failed, which marks the root span with {@code error=true}
 */
public record GeneratedTrace(long traceIdHigh, long traceIdLow, List<Span> spans, boolean failed) {

    public GeneratedTrace {
        spans = List.copyOf(spans);
    }

    /** The trace id as Jaeger prints it, which is also the Kafka message key. */
    public String traceIdString() {
        return JaegerIds.traceId(traceIdHigh, traceIdLow);
    }
}
