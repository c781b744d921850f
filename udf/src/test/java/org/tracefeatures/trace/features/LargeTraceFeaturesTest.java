package org.tracefeatures.trace.features;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;
import static org.tracefeatures.trace.features.Spans.hexId;
import static org.tracefeatures.trace.features.Spans.span;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.tracefeatures.trace.Span;
import org.tracefeatures.trace.Trace;

/**
 * Deep and wide traces must be computed exactly, without recursion and in (near) linear time. The
 * timeouts only guard against a hang or a quadratic walk: the expected time is well under a second.
 */
class LargeTraceFeaturesTest {
    private static final int N = 50_000;

    @Test
    @Timeout(30)
    void chainOf50000Spans() {
        // span i [i, 2N - i] is the child of span i - 1, so each is nested in its parent; services
        // alternate svc0, svc1. Arrival order is shuffled.
        List<Span> spans = new ArrayList<>();
        for (int i = 0; i < N; i++) {
            spans.add(span(hexId(i), i == 0 ? null : hexId(i - 1), "svc" + (i % 2), "op", i, 2L * N - i));
        }
        Collections.shuffle(spans, new Random(42));

        TraceFeatures f = TraceFeatures.of(Trace.of(spans));

        assertThat(f.getSpanCount()).isEqualTo(N);
        assertThat(f.getDepth()).isEqualTo(N);
        assertThat(f.getServiceDepth()).isEqualTo(N); // every step changes service
        assertThat(f.getMaxFanOut()).isEqualTo(1);
        assertThat(f.getRootCount()).isEqualTo(1);
        assertThat(f.getOrphanSpanCount()).isZero();
        assertThat(f.getRootDurationMicros()).isEqualTo(2L * N);
        // span i < N-1 owns [i, i+1] and [2N-i-1, 2N-i] = 2; the leaf [N-1, N+1] owns 2 as well.
        // 25,000 spans per service * 2 = 50,000 each; 100,000 = 2N in all
        assertThat(f.getCriticalPath()).containsExactly(entry("svc0::op", (long) N), entry("svc1::op", (long) N));
    }

    @Test
    @Timeout(30)
    void chainOf50000SpansClosedIntoACycle() {
        // the same chain, but the first span references the last: everything is cycle-bound
        List<Span> spans = new ArrayList<>();
        for (int i = 0; i < N; i++) {
            spans.add(span(hexId(i), hexId((i + N - 1) % N), "svc", "op", i, 2L * N - i));
        }

        TraceFeatures f = TraceFeatures.of(Trace.of(spans));

        assertThat(f.getOrphanSpanCount()).isEqualTo(N);
        assertThat(f.getWarnings()).containsExactly("cycle");
        assertThat(f.getRootCount()).isZero();
        assertThat(f.getDepth()).isEqualTo(N); // from the earliest span down to the last
        assertThat(f.getCriticalPath()).containsExactly(entry("svc::op", 2L * N));
    }

    @Test
    @Timeout(30)
    void fanOutOf50000SequentialChildren() {
        // root [0, 2N+1]; child i [2i+1, 2i+2]: one after another with a 1 us gap
        List<Span> spans = new ArrayList<>();
        spans.add(span("root", null, "svc", "root", 0, 2L * N + 1));
        for (int i = 0; i < N; i++) {
            spans.add(span(hexId(i), "root", "svc", "child", 2L * i + 1, 2L * i + 2));
        }

        TraceFeatures f = TraceFeatures.of(Trace.of(spans));

        assertThat(f.getSpanCount()).isEqualTo(N + 1);
        assertThat(f.getMaxFanOut()).isEqualTo(N);
        assertThat(f.getDepth()).isEqualTo(2);
        // every child owns 1 (N in all); the root owns the N+1 gaps of 1: [0,1], the N-1 gaps
        // between children, [2N, 2N+1]. N + N + 1 = 2N + 1
        assertThat(f.getCriticalPath()).containsExactly(entry("svc::child", (long) N), entry("svc::root", N + 1L));
        assertThat(f.getRootDurationMicros()).isEqualTo(2L * N + 1);
    }

    @Test
    @Timeout(30)
    void fanOutOf50000OverlappingChildren() {
        // root [0, 2N]; child i [i, i+N]: all overlap, the last one finishes last
        List<Span> spans = new ArrayList<>();
        spans.add(span("root", null, "svc", "root", 0, 2L * N));
        for (int i = 0; i < N; i++) {
            spans.add(span(hexId(i), "root", "svc", "child" + i, i, (long) i + N));
        }

        TraceFeatures f = TraceFeatures.of(Trace.of(spans));

        assertThat(f.getMaxFanOut()).isEqualTo(N);
        // child N-1 [N-1, 2N-1] owns N; the root owns [2N-1, 2N] = 1 and, since no child ends
        // before N-1, [0, N-1] = N-1: N in all. N + N = 2N
        assertThat(f.getCriticalPath())
                .containsExactly(entry("svc::child" + (N - 1), (long) N), entry("svc::root", (long) N));
    }
}
