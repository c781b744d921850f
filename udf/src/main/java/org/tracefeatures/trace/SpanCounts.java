package org.tracefeatures.trace;

import java.util.HashMap;
import java.util.Map;

/** The book's feature: how many spans of each "service::operation" a trace has. */
public final class SpanCounts {
    private SpanCounts() {}

    public static Map<String, Long> of(Trace trace) {
        Map<String, Long> counts = new HashMap<>();
        for (Span span : trace.spans()) {
            counts.merge(span.serviceOperation(), 1L, Long::sum);
        }
        return counts;
    }
}
