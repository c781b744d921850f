package org.tracefeatures.trace.features;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import org.tracefeatures.trace.Span;
import org.tracefeatures.trace.Trace;

/**
 * The critical path of one span's subtree, with the semantics of the Jaeger UI's critical path
 * ({@code packages/jaeger-ui/src/components/TracePage/CriticalPath} in jaegertracing/jaeger-ui),
 * re-implemented iteratively and in {@code O(n log n)}.
 *
 * <h2>Semantics</h2>
 *
 * <ol>
 *   <li><b>Which children take part.</b> Only {@code CHILD_OF} children: a {@code FOLLOWS_FROM}
 *       child ({@link Span#isFollowsFrom()}) is asynchronous and neither it nor anything below it is
 *       ever on the path. (A child whose parent link comes from a Zipkin-style shared span id and has
 *       no reference type counts as {@code CHILD_OF}.)
 *   <li><b>Clipping</b> (the UI's {@code sanitizeOverFlowingChildren}). Every child is compared with
 *       its parent's <i>already clipped</i> interval {@code [ps, pe]}, top-down:
 *       <ul>
 *         <li>{@code start >= ps}: dropped if {@code start >= pe}, else its end is clipped to {@code
 *             min(end, pe)};
 *         <li>{@code start < ps} (clock skew): dropped if {@code end <= ps}, else it becomes {@code
 *             [ps, min(end, pe)]}.
 *       </ul>
 *       A dropped child takes its whole subtree with it. So a child never owns time outside its
 *       parent, and clock skew never yields negative time.
 *   <li><b>Walk</b> (the UI's {@code computeCriticalPath} / {@code findLastFinishingChildSpan}). A
 *       span {@code s} is walked backwards from {@code t = end(s)}. The first pick is the child that
 *       finishes last; every later pick is the child that finishes last <i>strictly before</i> the
 *       current point {@code t} (the UI compares with {@code <}). The picked child {@code c} gives
 *       {@code s} the gap {@code [end(c), t]}, is itself walked in the same way (it owns its own
 *       interval minus what its children take), and then {@code t = start(c)}. Children that end
 *       at or after the current point (they overlap a later pick) are skipped for good. When no child
 *       is left, {@code s} owns {@code [start(s), t]}. Time where no child runs is the parent's.
 *       Ties in end time go to the earliest-starting child, as the UI, which scans the children in
 *       start order and keeps the first maximum.
 * </ol>
 *
 * <p>Consequence of the strict comparison, kept for fidelity with the UI: of two back-to-back
 * children where one ends exactly when the next starts, the earlier one is skipped and its time is
 * its parent's.
 *
 * <p>The shares telescope: they add up to exactly {@code end(top) - start(top)}, with {@code end} as
 * {@link Span#endMicros()} (a negative duration counts as 0).
 *
 * <h2>Cost</h2>
 *
 * Each span's eligible children are sorted once by clipped end (descending); because the current
 * point only moves backwards, one cursor per span finds every pick, so the walk is {@code O(n log
 * n)} overall, uses an explicit stack (no recursion) and visits each span at most once, so a
 * reference cycle below the top cannot loop.
 */
public final class CriticalPath {
    private CriticalPath() {}

    /**
     * Microseconds each span owns on the critical path of {@code top}'s subtree, indexed like {@link
     * Trace#span(int)}; spans off the path own 0. All zero when {@code top} is not a valid index.
     */
    public static long[] ownedMicros(Trace trace, int top) {
        int n = trace.size();
        long[] owned = new long[n];
        if (top < 0 || top >= n) {
            return owned;
        }
        long[] clippedStart = new long[n];
        long[] clippedEnd = new long[n];
        boolean[] seen = new boolean[n];

        Span topSpan = trace.span(top);
        clippedStart[top] = topSpan.startMicros;
        clippedEnd[top] = topSpan.endMicros();
        seen[top] = true;

        Deque<Frame> stack = new ArrayDeque<>();
        stack.push(enter(trace, top, clippedStart, clippedEnd, seen));
        while (!stack.isEmpty()) {
            Frame frame = stack.peek();
            int child = frame.nextChild(clippedEnd);
            if (child >= 0) {
                owned[frame.span] += frame.until - clippedEnd[child];
                frame.until = clippedStart[child];
                stack.push(enter(trace, child, clippedStart, clippedEnd, seen));
            } else {
                owned[frame.span] += frame.until - clippedStart[frame.span];
                stack.pop();
            }
        }
        return owned;
    }

    /**
     * Starts the walk of {@code span}, whose clipped interval is already set: clips its eligible
     * children against it and sorts them by clipped end, latest first (ties: earliest start first).
     */
    private static Frame enter(Trace trace, int span, long[] clippedStart, long[] clippedEnd, boolean[] seen) {
        long ps = clippedStart[span];
        long pe = clippedEnd[span];
        int[] children = trace.children(span);
        Integer[] eligible = new Integer[children.length];
        int count = 0;
        for (int c : children) {
            Span child = trace.span(c);
            if (seen[c] || child.isFollowsFrom()) {
                continue; // a cycle back to a span already walked, or asynchronous
            }
            long start = child.startMicros;
            long end = child.endMicros();
            if (start >= ps) {
                if (start >= pe) {
                    continue; // wholly after the parent
                }
                end = Math.min(end, pe);
            } else {
                if (end <= ps) {
                    continue; // wholly before the parent
                }
                start = ps;
                end = Math.min(end, pe);
            }
            seen[c] = true;
            clippedStart[c] = start;
            clippedEnd[c] = end;
            eligible[count++] = c;
        }
        Integer[] sorted = Arrays.copyOf(eligible, count);
        // children(span) is in start order, so a stable sort on end alone breaks ties by start
        Arrays.sort(sorted, (a, b) -> Long.compare(clippedEnd[b], clippedEnd[a]));
        return new Frame(span, pe, sorted);
    }

    private static final class Frame {
        final int span;
        final Integer[] childrenByEnd;
        int cursor;
        long until;

        Frame(int span, long until, Integer[] childrenByEnd) {
            this.span = span;
            this.until = until;
            this.childrenByEnd = childrenByEnd;
        }

        /** The next child on the path before {@link #until}, or -1. */
        int nextChild(long[] clippedEnd) {
            if (cursor > 0) {
                // after the first pick: only children that end strictly before the current point
                while (cursor < childrenByEnd.length && clippedEnd[childrenByEnd[cursor]] >= until) {
                    cursor++;
                }
            }
            return cursor < childrenByEnd.length ? childrenByEnd[cursor++] : -1;
        }
    }
}
