package org.tracefeatures.trace;

import java.util.Map;
import java.util.TreeMap;

/** The book's feature: how many spans of each "service::operation" a trace has, sorted by key. */
public final class SpanCounts {
    private SpanCounts() {}

    public static Map<String, Long> of(Trace trace) {
        Map<String, Long> counts = new TreeMap<>();
        for (Span span : trace.spans()) {
            counts.merge(span.serviceOperation(), 1L, Long::sum);
        }
        return counts;
    }
}
