package org.tracefeatures.trace;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TraceTest {
    private static Span span(String id, String parent, String service, String kind, long start) {
        return new Span(id, parent, parent == null ? null : Span.CHILD_OF, service, "op", kind, false, start, 10);
    }

    @Test
    void linksChildrenToParentsAndTellsRootsFromOrphans() {
        Trace trace = Trace.of(
                span("b", "a", "s", null, 2), span("a", null, "s", null, 1), span("c", "missing", "s", null, 3));

        // sorted by start: a (0), b (1), c (2)
        assertThat(trace.roots()).containsExactly(0);
        assertThat(trace.children(0)).containsExactly(1);
        assertThat(trace.parentIndex(1)).isEqualTo(0);
        assertThat(trace.isOrphan(2)).isTrue();
        assertThat(trace.isRoot(2)).isFalse();
    }

    @Test
    void aZipkinSharedIdMakesTheServerHalfAChildOfTheClientHalf() {
        Trace trace = Trace.of(
                span("p", null, "ui", "server", 1),
                span("x", "p", "ui", "client", 2),
                span("x", "p", "frontend", "server", 3),
                span("y", "x", "frontend", null, 4));

        // p=0, client x=1, server x=2, y=3: y hangs under the server half
        assertThat(trace.size()).isEqualTo(4);
        assertThat(trace.parentIndex(1)).isEqualTo(0);
        assertThat(trace.parentIndex(2)).isEqualTo(1);
        assertThat(trace.parentIndex(3)).isEqualTo(2);
    }

    @Test
    void aSpanDeliveredTwiceIsOneSpan() {
        Span once = span("a", null, "s", null, 1);
        assertThat(Trace.of(once, span("a", null, "s", null, 1)).size()).isEqualTo(1);
    }
}
