package org.tracefeatures.trace.features;

import static org.assertj.core.api.Assertions.assertThat;
import static org.tracefeatures.trace.features.Spans.followsFrom;
import static org.tracefeatures.trace.features.Spans.hexId;
import static org.tracefeatures.trace.features.Spans.span;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.tracefeatures.trace.Span;
import org.tracefeatures.trace.Trace;

/**
 * {@link CriticalPath} against a deliberately naive model of the Jaeger UI's algorithm (top-down
 * clipping, then "last finishing child, strictly before the current point", scanning all children
 * every time), on many small random traces with clock skew, overruns, zero durations, ties and
 * FOLLOWS_FROM children.
 */
class CriticalPathTest {

    @Test
    void matchesNaiveModelOfTheJaegerUiOnRandomTraces() {
        Random random = new Random(7);
        for (int round = 0; round < 5_000; round++) {
            Trace trace = Trace.of(randomSpans(random));
            int top = trace.roots()[0];

            long[] owned = CriticalPath.ownedMicros(trace, top);

            assertThat(owned).as("round %d: %s", round, trace.spans()).containsExactly(naive(trace, top));
            Span topSpan = trace.span(top);
            assertThat(Arrays.stream(owned).sum()).isEqualTo(topSpan.endMicros() - topSpan.startMicros);
            assertThat(Arrays.stream(owned).min().orElse(0)).isNotNegative();
        }
    }

    @Test
    void invalidTopOwnsNothing() {
        Trace trace = Trace.of(span("r", null, "s", "r", 0, 10));
        assertThat(CriticalPath.ownedMicros(trace, -1)).containsExactly(0);
        assertThat(CriticalPath.ownedMicros(Trace.of(), 0)).isEmpty();
    }

    /** 1 to 25 spans on a coarse clock (so ties and back-to-back spans are common). */
    private static List<Span> randomSpans(Random random) {
        int n = 1 + random.nextInt(25);
        List<Span> spans = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            long start = random.nextInt(30);
            long end = start + random.nextInt(20);
            String parent = i == 0 ? null : random.nextInt(10) == 0 ? "missing" : hexId(random.nextInt(i));
            Span span = span(hexId(i), parent, "s" + random.nextInt(3), "op" + i, start, end);
            if (parent != null && random.nextInt(6) == 0) {
                followsFrom(span);
            }
            spans.add(span);
        }
        return spans;
    }

    /** The UI's algorithm, transcribed as plainly as possible; quadratic and only for small traces. */
    private static long[] naive(Trace trace, int top) {
        int n = trace.size();
        long[] start = new long[n];
        long[] end = new long[n];
        boolean[] kept = new boolean[n];
        start[top] = trace.span(top).startMicros;
        end[top] = trace.span(top).endMicros();
        kept[top] = true;
        // clip top-down: spans are in start order, but a child may start before its parent, so
        // repeat until nothing changes (the trees are tiny)
        boolean changed = true;
        boolean[] decided = new boolean[n];
        decided[top] = true;
        while (changed) {
            changed = false;
            for (int c = 0; c < n; c++) {
                int p = trace.parentIndex(c);
                if (decided[c] || p < 0 || !decided[p]) {
                    continue;
                }
                decided[c] = true;
                changed = true;
                Span child = trace.span(c);
                if (!kept[p] || child.isFollowsFrom()) {
                    continue;
                }
                long s = child.startMicros;
                long e = child.endMicros();
                boolean keep;
                if (s >= start[p] && e <= end[p]) {
                    keep = true;
                } else if (s < start[p] && e <= end[p] && e > start[p]) {
                    keep = true;
                    s = start[p];
                } else if (s >= start[p] && e > end[p] && s < end[p]) {
                    keep = true;
                    e = end[p];
                } else if (s < start[p] && e > end[p]) {
                    keep = true;
                    s = start[p];
                    e = end[p];
                } else {
                    keep = false;
                }
                kept[c] = keep;
                start[c] = s;
                end[c] = e;
            }
        }

        long[] owned = new long[n];
        int current = top;
        Long returning = null;
        while (true) {
            int lfc = -1;
            for (int c : trace.children(current)) { // start order; first maximum wins
                if (!kept[c] || (returning != null && end[c] >= returning)) {
                    continue;
                }
                if (lfc < 0 || end[c] > end[lfc]) {
                    lfc = c;
                }
            }
            long sectionEnd = returning != null ? returning : end[current];
            if (lfc >= 0) {
                owned[current] += sectionEnd - end[lfc];
                current = lfc;
                returning = null;
            } else {
                owned[current] += sectionEnd - start[current];
                if (current == top) {
                    return owned;
                }
                returning = start[current];
                current = trace.parentIndex(current);
            }
        }
    }
}
