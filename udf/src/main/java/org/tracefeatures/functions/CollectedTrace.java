package org.tracefeatures.functions;

import org.tracefeatures.trace.Span;

/**
 * What {@code COLLECT_TRACE} returns: the trace's spans, each once, sorted by start, and how many it
 * dropped over its cap on spans per trace.
 */
public class CollectedTrace {
    public Span[] spans;
    /** Distinct spans of the trace left out of {@link #spans} because the trace had too many. */
    public long droppedSpanCount;

    public CollectedTrace() {}

    public CollectedTrace(Span[] spans, long droppedSpanCount) {
        this.spans = spans;
        this.droppedSpanCount = droppedSpanCount;
    }
}
