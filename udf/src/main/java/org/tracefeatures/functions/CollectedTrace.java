package org.tracefeatures.functions;

import org.tracefeatures.trace.Span;

/**
 * The type of what {@code COLLECT_TRACE} returns: the trace's spans, each once, sorted by start, how many
 * it dropped over its cap on spans per trace, and how many repeats it left out. COLLECT_TRACE hands it
 * over in Flink's internal form; SQL sees this class's fields.
 */
public class CollectedTrace {
    public Span[] spans;
    /** Distinct spans of the trace left out of {@link #spans} because the trace had too many. */
    public long droppedSpanCount;
    /** Deliveries of a span the trace already had, left out: each span is in {@link #spans} once. */
    public long repeatedSpanCount;

    public CollectedTrace() {}

    /** Flink's type extraction reads the fields' order from this constructor. */
    public CollectedTrace(Span[] spans, long droppedSpanCount, long repeatedSpanCount) {
        this.spans = spans;
        this.droppedSpanCount = droppedSpanCount;
        this.repeatedSpanCount = repeatedSpanCount;
    }
}
