package org.tracefeatures.trace;

import java.util.Map;
import java.util.TreeMap;

/** The book's feature: how many spans of each "service::operation" a trace has, sorted by key. */
public final class SpanCounts {
    private SpanCounts() {}

    /** Counts the spans as given: pass each span once (a {@link Trace}'s spans, or COLLECT_TRACE's output). */
    public static Map<String, Long> of(Iterable<Span> spans) {
        Map<String, Long> counts = new TreeMap<>();
        for (Span span : spans) {
            counts.merge(span.serviceOperation(), 1L, Long::sum);
        }
        return counts;
    }
}
