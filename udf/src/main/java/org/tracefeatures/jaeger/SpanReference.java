package org.tracefeatures.jaeger;

import java.util.List;

/** A {@code jaeger.api_v2.SpanRef}, and the choice of the one that makes a span's parent. */
public final class SpanReference {
    public final byte[] traceId;
    public final byte[] spanId;
    /** CHILD_OF or FOLLOWS_FROM, as flink-protobuf maps the enum. */
    public final String type;

    public SpanReference(byte[] traceId, byte[] spanId, String type) {
        this.traceId = traceId;
        this.spanId = spanId;
        this.type = type;
    }

    /**
     * The reference that names the span's parent: the first CHILD_OF reference to a span of the same
     * trace, else the first FOLLOWS_FROM one; references into other traces (OTLP links) are never
     * parents. A type number the .proto does not know ({@code UNRECOGNIZED}) counts as CHILD_OF: the
     * reference still names a span of the trace, and the span's reference type shows UNRECOGNIZED. Null
     * when there is none: the span is a root.
     */
    public static SpanReference parentOf(byte[] spanTraceId, List<SpanReference> references) {
        SpanReference firstFollowsFrom = null;
        for (SpanReference reference : references) {
            if (!JaegerIds.isSpanId(reference.spanId) || !JaegerIds.sameTrace(spanTraceId, reference.traceId)) {
                continue;
            }
            if ("FOLLOWS_FROM".equals(reference.type)) {
                if (firstFollowsFrom == null) {
                    firstFollowsFrom = reference;
                }
            } else {
                return reference;
            }
        }
        return firstFollowsFrom;
    }
}
