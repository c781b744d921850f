package org.tracefeatures.functions;

import java.util.Collection;
import java.util.HashSet;
import java.util.Set;
import java.util.TreeSet;
import org.tracefeatures.trace.Span;
import org.tracefeatures.trace.Trace;

/**
 * The spans of one trace collected so far, each once by {@link Span#identity()} so that repeats drop, and
 * at most a given number of them: over that cap the trace keeps its earliest-starting spans (in
 * {@link Trace#START_ORDER}, so the root, which starts first but arrives last, stays) and counts the
 * others as dropped. Which spans remain depends only on the spans seen, not on their order of arrival
 * or on how they were split across merged accumulators.
 *
 * <p>Spans are kept as {@link SpanRow}s, which never change once made, so accumulators may share them.
 */
public class TraceAccumulator {
    private final Set<SpanRow> spans = new HashSet<>();
    /**
     * Distinct spans dropped over the cap. A repeat delivery of a span that had been dropped is
     * counted again: remembering dropped spans would make the state unbounded again.
     */
    long droppedSpanCount;
    /** Deliveries of a span the trace already had (a producer's retry, a replay), left out. */
    long repeatedSpanCount;
    /** The kept spans in start order, built only once the cap is reached (most traces never do). */
    private transient TreeSet<SpanRow> inStartOrder;

    /**
     * Adds a span unless it is a repeat (then counted in {@link #repeatedSpanCount}); if that makes more than
     * {@code maxSpans} spans, drops the one that starts latest (which may be the new one) and counts it in
     * {@link #droppedSpanCount}. Every span given is thus kept, a repeat or a drop: their counts add up to the
     * spans given. Returns the number of spans dropped: 0 or 1.
     */
    int add(SpanRow span, int maxSpans) {
        if (!spans.add(span)) {
            repeatedSpanCount++;
            return 0;
        }
        if (inStartOrder != null) {
            inStartOrder.add(span);
        }
        if (spans.size() <= maxSpans) {
            return 0;
        }
        if (inStartOrder == null) {
            inStartOrder = new TreeSet<>(SpanRow.START_ORDER);
            inStartOrder.addAll(spans);
        }
        spans.remove(inStartOrder.pollLast());
        droppedSpanCount++;
        return 1;
    }

    /**
     * Adds the spans of another accumulator of the same trace (a merged session window), its counts of dropped
     * and repeated spans included.
     */
    void addAll(TraceAccumulator other, int maxSpans) {
        droppedSpanCount += other.droppedSpanCount;
        repeatedSpanCount += other.repeatedSpanCount;
        for (SpanRow span : other.spans) {
            add(span, maxSpans);
        }
    }

    /** The kept spans, in no particular order. */
    Collection<SpanRow> spans() {
        return spans;
    }

    int size() {
        return spans.size();
    }
}
