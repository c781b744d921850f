package org.tracefeatures.functions;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.flink.table.api.dataview.ListView;
import org.tracefeatures.trace.Span;
import org.tracefeatures.trace.Trace;

/**
 * COLLECT_TRACE's accumulator: the spans of one trace delivered so far, appended as they arrive, and the counts
 * of those left out. Flink keeps {@link #spans} in a list state of its own (a state-backed {@link ListView}), so
 * adding a span appends one entry: on RocksDB one write of that span, not a read and a write of the whole trace.
 * The other fields are the small part that Flink reads and writes on every span.
 *
 * <p>The list may hold a span twice (a repeated delivery) and spans over the cap until it is compacted, when it
 * reaches twice the cap: each span is kept once by {@link Span#identity()}, the earliest-starting ones in
 * {@link Trace#START_ORDER} up to the cap (so the root, which starts first but arrives last, stays) and the rest
 * are counted in {@link #droppedSpanCount}. The result of the window ({@link #collect}) is made the same way,
 * without changing the state. Once a compaction has dropped spans, a span that starts after the last one kept
 * ({@link #cutoff}) is dropped on arrival. Which spans a trace keeps depends only on the spans delivered (repeats
 * being identical), not on their order or on how they were split across merged accumulators; a repeat of a span
 * over the cap counts as dropped or as repeated depending on when it arrives.
 *
 * <p>For session windows, which COLLECT_TRACE serves: a state TTL would expire the list's entries one by one while
 * the counts stay, so the accumulator is not for a non-windowed GROUP BY under {@code table.exec.state.ttl}.
 *
 * <p>Fields are public for Flink's structured type; the functions use the methods.
 */
public class TraceAccumulator {
    /** Each delivered span's binary row ({@link SpanRow}), in arrival order, until compacted. */
    public ListView<byte[]> spans = new ListView<>();
    /** Entries in {@link #spans}. */
    public int size;
    /** The latest-starting span kept by the last compaction that reached the cap, or null if none has. */
    public byte[] cutoff;
    /**
     * Distinct spans dropped over the cap. A repeat delivery of a span that had been dropped is counted again:
     * remembering dropped spans would make the state unbounded again.
     */
    public long droppedSpanCount;
    /** Deliveries of a span the trace already had (a producer's retry, a replay), left out. */
    public long repeatedSpanCount;
    /**
     * How many fields the span rows in {@link #spans} have: {@link SpanRow#FIELDS} of the version that wrote them. The
     * rows do not say so themselves, so state of a version whose spans had other fields, if Flink restores it (it
     * refuses an accumulator of other fields), fails here rather than being read wrongly.
     */
    public int spanRowFields = SpanRow.FIELDS;

    /** Adds a delivered span; drops it at once if it starts after {@link #cutoff}. */
    void add(SpanRow span, int maxSpans) throws Exception {
        checkSpanRows();
        if (cutoff != null && SpanRow.START_ORDER.compare(span, SpanRow.fromBytes(cutoff)) > 0) {
            droppedSpanCount++;
            return;
        }
        spans.add(span.bytes());
        size++;
        if (size >= 2L * maxSpans) {
            compact(maxSpans);
        }
    }

    /** Adds the spans and counts of another accumulator of the same trace (a merged session window). */
    void addAll(TraceAccumulator other, int maxSpans) throws Exception {
        other.checkSpanRows();
        droppedSpanCount += other.droppedSpanCount;
        repeatedSpanCount += other.repeatedSpanCount;
        for (byte[] bytes : other.spans.get()) {
            add(SpanRow.fromBytes(bytes), maxSpans);
        }
    }

    /** The trace as it stands, without changing the accumulator. */
    Collected collect(int maxSpans) throws Exception {
        checkSpanRows();
        Set<SpanRow> distinct = new HashSet<>();
        long repeated = repeatedSpanCount;
        for (byte[] bytes : spans.get()) {
            if (!distinct.add(SpanRow.fromBytes(bytes))) {
                repeated++;
            }
        }
        SpanRow[] sorted = distinct.toArray(new SpanRow[0]);
        Arrays.sort(sorted, SpanRow.START_ORDER);
        int kept = Math.min(sorted.length, maxSpans);
        return new Collected(
                Arrays.copyOf(sorted, kept), droppedSpanCount + sorted.length - kept, repeated, sorted.length > kept);
    }

    private void checkSpanRows() {
        if (spanRowFields != SpanRow.FIELDS) {
            throw new OtherLayoutException("The trace assembly's state holds spans of " + spanRowFields
                    + " fields, written by another version of tracefeatures; this one reads spans of " + SpanRow.FIELDS
                    + ". Start the job without state, from a time before the upgrade (docs/operations.md, Changing a"
                    + " running job's SQL).");
        }
    }

    /** Keeps each span once and at most maxSpans of them in the list, counting the others. */
    private void compact(int maxSpans) throws Exception {
        Collected collected = collect(maxSpans);
        List<byte[]> kept = new ArrayList<>(collected.spans.length);
        for (SpanRow span : collected.spans) {
            kept.add(span.bytes());
        }
        spans.setList(kept);
        size = kept.size();
        droppedSpanCount = collected.droppedSpanCount;
        repeatedSpanCount = collected.repeatedSpanCount;
        if (collected.reachedCap) {
            cutoff = kept.get(kept.size() - 1);
        }
    }

    /** State written by a version whose span rows had other fields. */
    static final class OtherLayoutException extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        OtherLayoutException(String message) {
            super(message);
        }
    }

    /** A trace's spans, each once, sorted by start and capped, with the counts of those left out. */
    record Collected(SpanRow[] spans, long droppedSpanCount, long repeatedSpanCount, boolean reachedCap) {}
}
