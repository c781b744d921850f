package org.tracefeatures.trace.features;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;
import static org.tracefeatures.trace.features.Spans.client;
import static org.tracefeatures.trace.features.Spans.copy;
import static org.tracefeatures.trace.features.Spans.failed;
import static org.tracefeatures.trace.features.Spans.followsFrom;
import static org.tracefeatures.trace.features.Spans.server;
import static org.tracefeatures.trace.features.Spans.span;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.tracefeatures.trace.Span;
import org.tracefeatures.trace.Trace;

/**
 * Each feature on small hand-built traces. Times are microseconds written as [start, end]; the
 * expected values are worked out in the comments.
 */
class TraceFeaturesTest {

    private static TraceFeatures features(Span... spans) {
        return TraceFeatures.of(Trace.of(spans));
    }

    private static long sum(Map<String, Long> shares) {
        return shares.values().stream().mapToLong(Long::longValue).sum();
    }

    @Test
    void chain() {
        // r [0,100] > x [10,90] > y [20,80] > z [30,50]; services a, a, b, a
        TraceFeatures f = features(
                span("r", null, "a", "r", 0, 100),
                span("x", "r", "a", "x", 10, 90),
                span("y", "x", "b", "y", 20, 80),
                span("z", "y", "a", "z", 30, 50));

        assertThat(f.getRootService()).isEqualTo("a");
        assertThat(f.getRootOperation()).isEqualTo("r");
        assertThat(f.getRootDurationMicros()).isEqualTo(100);
        assertThat(f.getRootCount()).isEqualTo(1);
        assertThat(f.getDurationMicros()).isEqualTo(100); // 100 - 0
        assertThat(f.getSpanCount()).isEqualTo(4);
        assertThat(f.getServiceCount()).isEqualTo(2); // a, b
        assertThat(f.getOperationCount()).isEqualTo(4);
        assertThat(f.getDepth()).isEqualTo(4);
        // a, a -> 1 hop; b -> 2; a -> 3
        assertThat(f.getServiceDepth()).isEqualTo(3);
        assertThat(f.getMaxFanOut()).isEqualTo(1);
        assertThat(f.getOrphanSpanCount()).isZero();
        assertThat(f.getWarnings()).isEmpty();
        assertThat(f.getErrorCount()).isZero();
        assertThat(f.getErrorServices()).isEmpty();
        assertThat(f.getNetworkLatencyMaxMicros()).isNull();
        assertThat(f.getNetworkLatencyAvgMicros()).isNull();
        // r owns [0,10] + [90,100] = 20; x owns [10,20] + [80,90] = 20;
        // y owns [20,30] + [50,80] = 40; z owns [30,50] = 20; 20 + 20 + 40 + 20 = 100
        assertThat(f.getCriticalPath())
                .containsExactly(entry("a::r", 20L), entry("a::x", 20L), entry("a::z", 20L), entry("b::y", 40L));
        // a: 20 + 20 + 20 = 60, b: 40
        assertThat(f.getCriticalPathServices()).containsExactly(entry("a", 60L), entry("b", 40L));
        assertThat(f.getSpanCounts())
                .containsExactly(entry("a::r", 1L), entry("a::x", 1L), entry("a::z", 1L), entry("b::y", 1L));
    }

    @Test
    void fanOut() {
        // r has children c1, c2, c3; c1 has children d1, d2
        TraceFeatures f = features(
                span("r", null, "a", "r", 0, 100),
                span("c1", "r", "a", "c", 10, 40),
                span("c2", "r", "a", "c", 20, 50),
                span("c3", "r", "a", "c", 30, 60),
                span("d1", "c1", "b", "d", 11, 20),
                span("d2", "c1", "b", "d", 21, 30));

        assertThat(f.getMaxFanOut()).isEqualTo(3);
        assertThat(f.getDepth()).isEqualTo(3); // r > c1 > d1
        assertThat(f.getServiceDepth()).isEqualTo(2); // a, a, b
        assertThat(f.getOperationCount()).isEqualTo(3); // a::r, a::c, b::d
        assertThat(f.getSpanCounts()).containsExactly(entry("a::c", 3L), entry("a::r", 1L), entry("b::d", 2L));
        // r: last finisher c3 [30,60]: r owns [60,100] = 40, c3 owns 30; back at 30, children ending
        // before 30: none (c1 ends 40) -> r owns [0,30] = 30. 40 + 30 + 30 = 100
        assertThat(f.getCriticalPath()).containsExactly(entry("a::c", 30L), entry("a::r", 70L));
    }

    @Test
    void parallelChildren() {
        // r [0,100]; a [10,60], b [20,80], c [30,50] overlap
        TraceFeatures f = features(
                span("r", null, "s", "r", 0, 100),
                span("a", "r", "s", "a", 10, 60),
                span("b", "r", "s", "b", 20, 80),
                span("c", "r", "s", "c", 30, 50));

        // last finisher b: r owns [80,100] = 20, b owns [20,80] = 60; back at 20 nothing ended
        // before 20 (a 60, c 50) -> r owns [0,20] = 20. a and c are off the path. 40 + 60 = 100
        assertThat(f.getCriticalPath()).containsExactly(entry("s::b", 60L), entry("s::r", 40L));
        assertThat(f.getMaxFanOut()).isEqualTo(3);
        assertThat(f.getDepth()).isEqualTo(2);
    }

    @Test
    void sequentialChildren() {
        // r [0,100]; a [10,30], b [40,70], c [75,90] one after another, with gaps
        TraceFeatures f = features(
                span("r", null, "s", "r", 0, 100),
                span("a", "r", "s", "a", 10, 30),
                span("b", "r", "s", "b", 40, 70),
                span("c", "r", "s", "c", 75, 90));

        // r owns [90,100] = 10; c [75,90] = 15; r owns the gap [70,75] = 5; b [40,70] = 30;
        // r owns [30,40] = 10; a [10,30] = 20; r owns [0,10] = 10.
        // r = 10 + 5 + 10 + 10 = 35; 35 + 15 + 30 + 20 = 100
        assertThat(f.getCriticalPath())
                .containsExactly(entry("s::a", 20L), entry("s::b", 30L), entry("s::c", 15L), entry("s::r", 35L));
    }

    @Test
    void backToBackChildrenFollowTheJaegerUiStrictRule() {
        // r [0,100]; a [10,40] ends exactly when b [40,90] starts.
        TraceFeatures f = features(
                span("r", null, "s", "r", 0, 100), span("a", "r", "s", "a", 10, 40), span("b", "r", "s", "b", 40, 90));

        // r owns [90,100] = 10; b owns 50; back at 40 the UI takes only children ending strictly
        // before 40, so a (ends at 40) is skipped and r owns [0,40] = 40. r = 50, b = 50.
        assertThat(f.getCriticalPath()).containsExactly(entry("s::b", 50L), entry("s::r", 50L));
    }

    @Test
    void childrenEndingTogetherGoToTheEarliestStart() {
        // r [0,100]; a [10,80] and b [30,80] end together; a started first
        TraceFeatures f = features(
                span("r", null, "s", "r", 0, 100), span("a", "r", "s", "a", 10, 80), span("b", "r", "s", "b", 30, 80));

        // a owns [10,80] = 70; r owns [80,100] + [0,10] = 30
        assertThat(f.getCriticalPath()).containsExactly(entry("s::a", 70L), entry("s::r", 30L));
    }

    @Test
    void childOverrunningItsParentIsClipped() {
        // r [100,200] has children a [160,250] (overruns r) and d [20,90] (wholly before r);
        // a has children c [170,220] (overruns a) and b [210,240] (wholly after a once clipped)
        TraceFeatures f = features(
                span("r", null, "s", "r", 100, 200),
                span("a", "r", "s", "a", 160, 250),
                span("d", "r", "s", "d", 20, 90),
                span("c", "a", "s", "c", 170, 220),
                span("b", "a", "s", "b", 210, 240));

        assertThat(f.getRootDurationMicros()).isEqualTo(100);
        assertThat(f.getDurationMicros()).isEqualTo(230); // latest end 250 - earliest start 20
        // a clipped to [160,200]; c clipped to a's [160,200] -> [170,200]; b starts at 210 >= 200,
        // dropped; d ends at 90 <= 100, dropped.
        // r: last finisher a (ends 200): r owns 0; a: last finisher c: a owns 0, c owns [170,200] = 30;
        // a owns [160,170] = 10; r owns [100,160] = 60. 60 + 10 + 30 = 100
        assertThat(f.getCriticalPath()).containsExactly(entry("s::a", 10L), entry("s::c", 30L), entry("s::r", 60L));
        assertThat(sum(f.getCriticalPath())).isEqualTo(f.getRootDurationMicros());
    }

    @Test
    void clockSkewNeverGivesNegativeTime() {
        // r (server) [100,200] > c (client) [90,150] starts before r > s (server, other service)
        // [80,140] starts before c
        TraceFeatures f = features(
                server(span("r", null, "fe", "/api", 100, 200)),
                client(span("c", "r", "fe", "GET", 90, 150)),
                server(span("s", "c", "be", "/get", 80, 140)));

        // c clipped to [100,150]; s clipped to [100,140].
        // r owns [150,200] = 50; c owns [140,150] = 10 and [100,100] = 0; s owns [100,140] = 40
        assertThat(f.getCriticalPath())
                .containsExactly(entry("be::/get", 40L), entry("fe::/api", 50L), entry("fe::GET", 10L));
        assertThat(f.getCriticalPath().values()).allMatch(v -> v >= 0);
        assertThat(sum(f.getCriticalPath())).isEqualTo(100);
        // s starts 10 before c: max(0, 80 - 90) = 0
        assertThat(f.getNetworkLatencyMaxMicros()).isZero();
        assertThat(f.getNetworkLatencyAvgMicros()).isZero();
        assertThat(f.getDurationMicros()).isEqualTo(120); // 200 - 80
    }

    @Test
    void networkLatency() {
        TraceFeatures f = features(
                span("r", null, "a", "r", 0, 1000),
                client(span("c1", "r", "a", "call b", 10, 100)),
                server(span("s1", "c1", "b", "serve", 15, 95)), // 15 - 10 = 5
                client(span("c2", "r", "a", "call c", 100, 200)),
                server(span("s2", "c2", "c", "serve", 112, 190)), // 112 - 100 = 12
                // same service: in-process, not a network hop
                client(span("c3", "r", "a", "call a", 300, 400)),
                server(span("s3", "c3", "a", "serve", 350, 390)),
                // child is not a server span
                client(span("c4", "r", "a", "call d", 500, 600)),
                span("x4", "c4", "d", "work", 550, 560));

        assertThat(f.getNetworkLatencyMaxMicros()).isEqualTo(12L);
        assertThat(f.getNetworkLatencyAvgMicros()).isEqualTo(8.5); // (5 + 12) / 2
    }

    @Test
    void errors() {
        TraceFeatures f = features(
                span("r", null, "gateway", "r", 0, 100),
                failed(span("a", "r", "zeta", "a", 10, 20)),
                failed(span("b", "r", "alpha", "b", 20, 30)),
                failed(span("c", "b", "alpha", "c", 21, 29)));

        assertThat(f.getErrorCount()).isEqualTo(3);
        assertThat(f.getErrorServices()).containsExactly("alpha", "zeta");
    }

    @Test
    void orphanHeadsItsOwnSubtree() {
        // r is the root; o's parent "gone" is not in the trace; p and q hang below o
        TraceFeatures f = features(
                span("r", null, "a", "r", 0, 100),
                span("o", "gone", "b", "o", 10, 50),
                span("p", "o", "c", "p", 20, 30),
                span("q", "p", "c", "q", 21, 29));

        assertThat(f.getRootCount()).isEqualTo(1);
        assertThat(f.getRootService()).isEqualTo("a");
        // only o: p and q reach o, nothing but a missing span keeps them from the root
        assertThat(f.getOrphanSpanCount()).isEqualTo(1);
        assertThat(f.getWarnings()).isEmpty();
        assertThat(f.getDepth()).isEqualTo(3); // o > p > q beats r alone
        assertThat(f.getServiceDepth()).isEqualTo(2); // b, c, c
        // the critical path is r's alone: r has no children
        assertThat(f.getCriticalPath()).containsExactly(entry("a::r", 100L));
    }

    @Test
    void orphanStandsInForAMissingRoot() {
        // no root: o [10,50] (parent missing) > p [20,30]; o2 [30,40] another orphan
        TraceFeatures f = features(
                span("o", "gone", "b", "o", 10, 50),
                span("p", "o", "c", "p", 20, 30),
                span("o2", "gone", "d", "o2", 30, 40));

        assertThat(f.getRootCount()).isZero();
        assertThat(f.getRootService()).isEqualTo("b");
        assertThat(f.getRootOperation()).isEqualTo("o");
        assertThat(f.getRootDurationMicros()).isEqualTo(40);
        assertThat(f.getOrphanSpanCount()).isEqualTo(2);
        assertThat(f.getDepth()).isEqualTo(2);
        // o owns [30,50] + [10,20] = 30, p owns 10
        assertThat(f.getCriticalPath()).containsExactly(entry("b::o", 30L), entry("c::p", 10L));
    }

    @Test
    void duplicateSpanChangesNothing() {
        Span r = span("r", null, "a", "r", 0, 100);
        Span x = failed(client(span("x", "r", "a", "x", 10, 90)));
        Span y = server(span("y", "x", "b", "y", 20, 80));

        TraceFeatures once = features(r, x, y);
        TraceFeatures twice = features(r, x, copy(x), y, copy(y), copy(r));

        assertThat(twice.getSpanCount()).isEqualTo(3);
        assertThat(twice.getErrorCount()).isEqualTo(1);
        assertThat(twice.getMaxFanOut()).isEqualTo(1);
        assertThat(twice).usingRecursiveComparison().isEqualTo(once);
    }

    @Test
    void selfReferenceIsACycle() {
        // x references itself
        TraceFeatures f = features(span("r", null, "a", "r", 0, 100), span("x", "x", "b", "x", 10, 20));

        assertThat(f.getSpanCount()).isEqualTo(2);
        assertThat(f.getOrphanSpanCount()).isEqualTo(1);
        assertThat(f.getWarnings()).containsExactly(TraceFeatures.WARNING_CYCLE);
        assertThat(f.getMaxFanOut()).isZero(); // x is not its own child
        assertThat(f.getDepth()).isEqualTo(1); // r alone; x is below no root
        assertThat(f.getCriticalPath()).containsExactly(entry("a::r", 100L));
    }

    @Test
    void selfReferenceAloneStandsInAsRoot() {
        TraceFeatures f = features(span("x", "x", "b", "x", 10, 20));

        assertThat(f.getRootCount()).isZero();
        assertThat(f.getRootService()).isEqualTo("b");
        assertThat(f.getRootDurationMicros()).isEqualTo(10);
        assertThat(f.getOrphanSpanCount()).isEqualTo(1);
        assertThat(f.getWarnings()).containsExactly("cycle");
        assertThat(f.getDepth()).isEqualTo(1);
        assertThat(f.getCriticalPath()).containsExactly(entry("b::x", 10L));
    }

    @Test
    void twoSpanCycle() {
        // a's parent is b, b's parent is a; c hangs below a; r is a separate root
        TraceFeatures f = features(
                span("r", null, "s", "r", 0, 100),
                span("a", "b", "s", "a", 10, 50),
                span("b", "a", "s", "b", 20, 40),
                span("c", "a", "s", "c", 30, 35));

        assertThat(f.getOrphanSpanCount()).isEqualTo(3); // a, b in the cycle, c below it
        assertThat(f.getWarnings()).containsExactly("cycle");
        assertThat(f.getMaxFanOut()).isEqualTo(2); // a: b and c
        assertThat(f.getDepth()).isEqualTo(1); // r alone
        assertThat(f.getRootService()).isEqualTo("s");
        assertThat(f.getCriticalPath()).containsExactly(entry("s::r", 100L));
    }

    @Test
    void twoSpanCycleAloneStandsInWithItsEarliestSpan() {
        // a [10,50] <-> b [20,40]: no root, no orphan; a is the earliest span
        TraceFeatures f = features(span("a", "b", "s", "a", 10, 50), span("b", "a", "s", "b", 20, 40));

        assertThat(f.getRootCount()).isZero();
        assertThat(f.getRootOperation()).isEqualTo("a");
        assertThat(f.getRootDurationMicros()).isEqualTo(40);
        assertThat(f.getOrphanSpanCount()).isEqualTo(2);
        assertThat(f.getWarnings()).containsExactly("cycle");
        assertThat(f.getDepth()).isEqualTo(2); // a > b, then the cycle returns to a
        // a owns [40,50] + [10,20] = 20, b owns 20; the link from b back to a is ignored
        assertThat(f.getCriticalPath()).containsExactly(entry("s::a", 20L), entry("s::b", 20L));
    }

    @Test
    void twoRoots() {
        // r1 [0,100] > a [10,20]; r2 [50,300] is a second root
        TraceFeatures f = features(
                span("r1", null, "a", "r1", 0, 100),
                span("a", "r1", "a", "a", 10, 20),
                span("r2", null, "b", "r2", 50, 300));

        assertThat(f.getRootCount()).isEqualTo(2);
        assertThat(f.getRootService()).isEqualTo("a");
        assertThat(f.getRootOperation()).isEqualTo("r1");
        assertThat(f.getRootDurationMicros()).isEqualTo(100);
        assertThat(f.getDurationMicros()).isEqualTo(300); // 300 - 0
        assertThat(f.getOrphanSpanCount()).isZero();
        assertThat(f.getDepth()).isEqualTo(2);
        // only r1's path: r1 owns [20,100] + [0,10] = 90, a owns 10
        assertThat(f.getCriticalPath()).containsExactly(entry("a::a", 10L), entry("a::r1", 90L));
    }

    @Test
    void followsFromChildIsNeverOnTheCriticalPath() {
        // r [0,100] > a CHILD_OF [10,40]; f FOLLOWS_FROM [50,90] > g [60,80]
        TraceFeatures f = features(
                span("r", null, "s", "r", 0, 100),
                span("a", "r", "s", "a", 10, 40),
                followsFrom(span("f", "r", "s", "f", 50, 90)),
                span("g", "f", "s", "g", 60, 80));

        // f would finish last, but is asynchronous: r owns [40,100] = 60, a 30, r [0,10] = 10
        assertThat(f.getCriticalPath()).containsExactly(entry("s::a", 30L), entry("s::r", 70L));
        // f and g still count for the shape
        assertThat(f.getDepth()).isEqualTo(3);
        assertThat(f.getMaxFanOut()).isEqualTo(2);
        assertThat(f.getSpanCount()).isEqualTo(4);
    }

    @Test
    void zipkinSharedSpanIdGivesClientAndServerSpans() {
        // client and server halves share id "s1"; "d" references "s1" and hangs below the server
        TraceFeatures f = features(
                server(span("r", null, "fe", "/api", 0, 100)),
                client(span("s1", "r", "fe", "get /x", 10, 90)),
                server(span("s1", "r", "be", "get /x", 15, 85)),
                span("d", "s1", "be", "query", 20, 80));

        assertThat(f.getSpanCount()).isEqualTo(4);
        assertThat(f.getRootCount()).isEqualTo(1);
        assertThat(f.getOrphanSpanCount()).isZero();
        assertThat(f.getDepth()).isEqualTo(4); // r > client > server > d
        assertThat(f.getServiceDepth()).isEqualTo(2); // fe, fe, be, be
        assertThat(f.getMaxFanOut()).isEqualTo(1); // the server is the client's child, not r's
        assertThat(f.getServiceCount()).isEqualTo(2);
        assertThat(f.getOperationCount()).isEqualTo(4);
        assertThat(f.getNetworkLatencyMaxMicros()).isEqualTo(5L); // 15 - 10
        assertThat(f.getNetworkLatencyAvgMicros()).isEqualTo(5.0);
        // r owns [90,100] + [0,10] = 20; client owns [85,90] + [10,15] = 10;
        // server owns [80,85] + [15,20] = 10; d owns 60
        assertThat(f.getCriticalPath())
                .containsExactly(
                        entry("be::get /x", 10L),
                        entry("be::query", 60L),
                        entry("fe::/api", 20L),
                        entry("fe::get /x", 10L));
        assertThat(f.getCriticalPathServices()).containsExactly(entry("be", 70L), entry("fe", 30L));
    }

    @Test
    void emptyTrace() {
        TraceFeatures f = features();

        assertThat(f.getSpanCount()).isZero();
        assertThat(f.getRootService()).isNull();
        assertThat(f.getRootOperation()).isNull();
        assertThat(f.getDepth()).isZero();
        assertThat(f.getCriticalPath()).isEmpty();
        assertThat(f.getWarnings()).isEmpty();
        assertThat(f.getNetworkLatencyMaxMicros()).isNull();
    }
}
