package org.tracefeatures.trace.features;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.tracefeatures.trace.features.Spans.client;
import static org.tracefeatures.trace.features.Spans.copy;
import static org.tracefeatures.trace.features.Spans.failed;
import static org.tracefeatures.trace.features.Spans.followsFrom;
import static org.tracefeatures.trace.features.Spans.server;
import static org.tracefeatures.trace.features.Spans.span;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.assertj.core.data.MapEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.tracefeatures.trace.Span;
import org.tracefeatures.trace.Trace;

/**
 * Each feature on small hand-built traces. Times are microseconds written as [start, end]; the
 * expected values are worked out in the comments. One {@link Case} per trace, run by {@link #features}.
 */
class TraceFeaturesTest {

    static List<Case> cases() {
        List<Case> cases = new ArrayList<>();

        // r [0,100] > x [10,90] > y [20,80] > z [30,50]; services a, a, b, a
        cases.add(new Case("chain")
                .spans(
                        span("r", null, "a", "r", 0, 100),
                        span("x", "r", "a", "x", 10, 90),
                        span("y", "x", "b", "y", 20, 80),
                        span("z", "y", "a", "z", 30, 50))
                .expect("rootService", "a", "rootOperation", "r", "rootDurationMicros", 100, "rootCount", 1)
                .expect("durationMicros", 100) // 100 - 0
                .expect("spanCount", 4)
                .expect("serviceCount", 2) // a, b
                .expect("operationCount", 4, "depth", 4)
                // a, a -> 1 hop; b -> 2; a -> 3
                .expect("serviceDepth", 3)
                .expect("maxFanOut", 1, "orphanSpanCount", 0, "warnings", List.of(), "errorCount", 0)
                .expect("errorServices", List.of(), "networkLatencyMaxMicros", null, "networkLatencyAvgMicros", null)
                // r owns [0,10] + [90,100] = 20; x owns [10,20] + [80,90] = 20;
                // y owns [20,30] + [50,80] = 40; z owns [30,50] = 20; 20 + 20 + 40 + 20 = 100
                .expectEntries(
                        "criticalPath", entry("a::r", 20L), entry("a::x", 20L), entry("a::z", 20L), entry("b::y", 40L))
                // a: 20 + 20 + 20 = 60, b: 40
                .expectEntries("criticalPathServices", entry("a", 60L), entry("b", 40L))
                .expectEntries(
                        "spanCounts", entry("a::r", 1L), entry("a::x", 1L), entry("a::z", 1L), entry("b::y", 1L)));
        // r has children c1, c2, c3; c1 has children d1, d2
        cases.add(new Case("fanOut")
                .spans(
                        span("r", null, "a", "r", 0, 100),
                        span("c1", "r", "a", "c", 10, 40),
                        span("c2", "r", "a", "c", 20, 50),
                        span("c3", "r", "a", "c", 30, 60),
                        span("d1", "c1", "b", "d", 11, 20),
                        span("d2", "c1", "b", "d", 21, 30))
                .expect("maxFanOut", 3)
                .expect("depth", 3) // r > c1 > d1
                .expect("serviceDepth", 2) // a, a, b
                .expect("operationCount", 3) // a::r, a::c, b::d
                .expectEntries("spanCounts", entry("a::c", 3L), entry("a::r", 1L), entry("b::d", 2L))
                // r: last finisher c3 [30,60]: r owns [60,100] = 40, c3 owns 30; back at 30, children ending
                // before 30: none (c1 ends 40) -> r owns [0,30] = 30. 40 + 30 + 30 = 100
                .expectEntries("criticalPath", entry("a::c", 30L), entry("a::r", 70L)));
        // r [0,100]; a [10,60], b [20,80], c [30,50] overlap
        cases.add(new Case("parallelChildren")
                .spans(
                        span("r", null, "s", "r", 0, 100),
                        span("a", "r", "s", "a", 10, 60),
                        span("b", "r", "s", "b", 20, 80),
                        span("c", "r", "s", "c", 30, 50))
                // last finisher b: r owns [80,100] = 20, b owns [20,80] = 60; back at 20 nothing ended
                // before 20 (a 60, c 50) -> r owns [0,20] = 20. a and c are off the path. 40 + 60 = 100
                .expectEntries("criticalPath", entry("s::b", 60L), entry("s::r", 40L))
                .expect("maxFanOut", 3, "depth", 2));
        // r [0,100]; a [10,30], b [40,70], c [75,90] one after another, with gaps
        cases.add(new Case("sequentialChildren")
                .spans(
                        span("r", null, "s", "r", 0, 100),
                        span("a", "r", "s", "a", 10, 30),
                        span("b", "r", "s", "b", 40, 70),
                        span("c", "r", "s", "c", 75, 90))
                // r owns [90,100] = 10; c [75,90] = 15; r owns the gap [70,75] = 5; b [40,70] = 30;
                // r owns [30,40] = 10; a [10,30] = 20; r owns [0,10] = 10.
                // r = 10 + 5 + 10 + 10 = 35; 35 + 15 + 30 + 20 = 100
                .expectEntries(
                        "criticalPath",
                        entry("s::a", 20L),
                        entry("s::b", 30L),
                        entry("s::c", 15L),
                        entry("s::r", 35L)));
        // r [0,100]; a [10,40] ends exactly when b [40,90] starts.
        cases.add(new Case("backToBackChildrenFollowTheJaegerUiStrictRule")
                .spans(
                        span("r", null, "s", "r", 0, 100),
                        span("a", "r", "s", "a", 10, 40),
                        span("b", "r", "s", "b", 40, 90))
                // r owns [90,100] = 10; b owns 50; back at 40 the UI takes only children ending strictly
                // before 40, so a (ends at 40) is skipped and r owns [0,40] = 40. r = 50, b = 50.
                .expectEntries("criticalPath", entry("s::b", 50L), entry("s::r", 50L)));
        // r [0,100]; a [10,80] and b [30,80] end together; a started first
        cases.add(new Case("childrenEndingTogetherGoToTheEarliestStart")
                .spans(
                        span("r", null, "s", "r", 0, 100),
                        span("a", "r", "s", "a", 10, 80),
                        span("b", "r", "s", "b", 30, 80))
                // a owns [10,80] = 70; r owns [80,100] + [0,10] = 30
                .expectEntries("criticalPath", entry("s::a", 70L), entry("s::r", 30L)));
        // r [100,200] has children a [160,250] (overruns r) and d [20,90] (wholly before r);
        // a has children c [170,220] (overruns a) and b [210,240] (wholly after a once clipped)
        cases.add(new Case("childOverrunningItsParentIsClipped")
                .spans(
                        span("r", null, "s", "r", 100, 200),
                        span("a", "r", "s", "a", 160, 250),
                        span("d", "r", "s", "d", 20, 90),
                        span("c", "a", "s", "c", 170, 220),
                        span("b", "a", "s", "b", 210, 240))
                .expect("rootDurationMicros", 100)
                .expect("durationMicros", 230) // latest end 250 - earliest start 20
                // a clipped to [160,200]; c clipped to a's [160,200] -> [170,200]; b starts at 210 >= 200,
                // dropped; d ends at 90 <= 100, dropped.
                // r: last finisher a (ends 200): r owns 0; a: last finisher c: a owns 0, c owns [170,200] = 30;
                // a owns [160,170] = 10; r owns [100,160] = 60. 60 + 10 + 30 = 100
                .expectEntries("criticalPath", entry("s::a", 10L), entry("s::c", 30L), entry("s::r", 60L))
                .check(f -> assertThat(sum(f.getCriticalPath())).isEqualTo(f.getRootDurationMicros())));
        // r (server) [100,200] > c (client) [90,150] starts before r > s (server, other service)
        // [80,140] starts before c
        cases.add(new Case("clockSkewNeverGivesNegativeTime")
                .spans(
                        server(span("r", null, "fe", "/api", 100, 200)),
                        client(span("c", "r", "fe", "GET", 90, 150)),
                        server(span("s", "c", "be", "/get", 80, 140)))
                // c clipped to [100,150]; s clipped to [100,140].
                // r owns [150,200] = 50; c owns [140,150] = 10 and [100,100] = 0; s owns [100,140] = 40
                .expectEntries("criticalPath", entry("be::/get", 40L), entry("fe::/api", 50L), entry("fe::GET", 10L))
                .check(f -> assertThat(f.getCriticalPath().values()).allMatch(v -> v >= 0))
                .check(f -> assertThat(sum(f.getCriticalPath())).isEqualTo(100))
                // s starts 10 before c: max(0, 80 - 90) = 0
                .expect("networkLatencyMaxMicros", 0L, "networkLatencyAvgMicros", 0.0)
                .expect("durationMicros", 120)); // 200 - 80

        cases.add(new Case("networkLatency")
                .spans(
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
                        span("x4", "c4", "d", "work", 550, 560))
                .expect("networkLatencyMaxMicros", 12L, "networkLatencyAvgMicros", 8.5)); // (5 + 12) / 2

        cases.add(new Case("errors")
                .spans(
                        span("r", null, "gateway", "r", 0, 100),
                        failed(span("a", "r", "zeta", "a", 10, 20)),
                        failed(span("b", "r", "alpha", "b", 20, 30)),
                        failed(span("c", "b", "alpha", "c", 21, 29)))
                .expect("errorCount", 3, "errorServices", List.of("alpha", "zeta")));
        // r is the root; o's parent "gone" is not in the trace; p and q hang below o
        cases.add(new Case("orphanHeadsItsOwnSubtree")
                .spans(
                        span("r", null, "a", "r", 0, 100),
                        span("o", "gone", "b", "o", 10, 50),
                        span("p", "o", "c", "p", 20, 30),
                        span("q", "p", "c", "q", 21, 29))
                .expect("rootCount", 1, "rootService", "a")
                // only o: p and q reach o, nothing but a missing span keeps them from the root
                .expect("orphanSpanCount", 1, "warnings", List.of())
                .expect("depth", 3) // o > p > q beats r alone
                .expect("serviceDepth", 2) // b, c, c
                // the critical path is r's alone: r has no children
                .expectEntries("criticalPath", entry("a::r", 100L)));
        // no root: o [10,50] (parent missing) > p [20,30]; o2 [30,40] another orphan
        cases.add(new Case("orphanStandsInForAMissingRoot")
                .spans(
                        span("o", "gone", "b", "o", 10, 50),
                        span("p", "o", "c", "p", 20, 30),
                        span("o2", "gone", "d", "o2", 30, 40))
                .expect("rootCount", 0, "rootService", "b", "rootOperation", "o", "rootDurationMicros", 40)
                .expect("orphanSpanCount", 2, "depth", 2)
                // o owns [30,50] + [10,20] = 30, p owns 10
                .expectEntries("criticalPath", entry("b::o", 30L), entry("c::p", 10L)));
        // x references itself
        cases.add(new Case("selfReferenceIsACycle")
                .spans(span("r", null, "a", "r", 0, 100), span("x", "x", "b", "x", 10, 20))
                .expect("spanCount", 2, "orphanSpanCount", 1, "warnings", List.of(TraceFeatures.WARNING_CYCLE))
                .expect("maxFanOut", 0) // x is not its own child
                .expect("depth", 1) // r alone; x is below no root
                .expectEntries("criticalPath", entry("a::r", 100L)));
        cases.add(new Case("selfReferenceAloneStandsInAsRoot")
                .spans(span("x", "x", "b", "x", 10, 20))
                .expect("rootCount", 0, "rootService", "b", "rootDurationMicros", 10, "orphanSpanCount", 1)
                .expect("warnings", List.of("cycle"), "depth", 1)
                .expectEntries("criticalPath", entry("b::x", 10L)));
        // a's parent is b, b's parent is a; c hangs below a; r is a separate root
        cases.add(new Case("twoSpanCycle")
                .spans(
                        span("r", null, "s", "r", 0, 100),
                        span("a", "b", "s", "a", 10, 50),
                        span("b", "a", "s", "b", 20, 40),
                        span("c", "a", "s", "c", 30, 35))
                .expect("orphanSpanCount", 3) // a, b in the cycle, c below it
                .expect("warnings", List.of("cycle"), "rootService", "s")
                .expect("maxFanOut", 2) // a: b and c
                .expect("depth", 1) // r alone
                .expectEntries("criticalPath", entry("s::r", 100L)));
        // a [10,50] <-> b [20,40]: no root, no orphan; a is the earliest span
        cases.add(new Case("twoSpanCycleAloneStandsInWithItsEarliestSpan")
                .spans(span("a", "b", "s", "a", 10, 50), span("b", "a", "s", "b", 20, 40))
                .expect("rootCount", 0, "rootOperation", "a", "rootDurationMicros", 40, "orphanSpanCount", 2)
                .expect("warnings", List.of("cycle"))
                .expect("depth", 2) // a > b, then the cycle returns to a
                // a owns [40,50] + [10,20] = 20, b owns 20; the link from b back to a is ignored
                .expectEntries("criticalPath", entry("s::a", 20L), entry("s::b", 20L)));
        // r1 [0,100] > a [10,20]; r2 [50,300] is a second root
        cases.add(new Case("twoRoots")
                .spans(
                        span("r1", null, "a", "r1", 0, 100),
                        span("a", "r1", "a", "a", 10, 20),
                        span("r2", null, "b", "r2", 50, 300))
                .expect("rootCount", 2, "rootService", "a", "rootOperation", "r1", "rootDurationMicros", 100)
                .expect("durationMicros", 300) // 300 - 0
                .expect("orphanSpanCount", 0, "depth", 2)
                // only r1's path: r1 owns [20,100] + [0,10] = 90, a owns 10
                .expectEntries("criticalPath", entry("a::a", 10L), entry("a::r1", 90L)));
        // r [0,100] > a CHILD_OF [10,40]; f FOLLOWS_FROM [50,90] > g [60,80]
        cases.add(new Case("followsFromChildIsNeverOnTheCriticalPath")
                .spans(
                        span("r", null, "s", "r", 0, 100),
                        span("a", "r", "s", "a", 10, 40),
                        followsFrom(span("f", "r", "s", "f", 50, 90)),
                        span("g", "f", "s", "g", 60, 80))
                // f would finish last, but is asynchronous: r owns [40,100] = 60, a 30, r [0,10] = 10
                .expectEntries("criticalPath", entry("s::a", 30L), entry("s::r", 70L))
                // f and g still count for the shape
                .expect("depth", 3, "maxFanOut", 2, "spanCount", 4));
        // client and server halves share id "s1"; "d" references "s1" and hangs below the server
        cases.add(new Case("zipkinSharedSpanIdGivesClientAndServerSpans")
                .spans(
                        server(span("r", null, "fe", "/api", 0, 100)),
                        client(span("s1", "r", "fe", "get /x", 10, 90)),
                        server(span("s1", "r", "be", "get /x", 15, 85)),
                        span("d", "s1", "be", "query", 20, 80))
                .expect("spanCount", 4, "rootCount", 1, "orphanSpanCount", 0)
                .expect("depth", 4) // r > client > server > d
                .expect("serviceDepth", 2) // fe, fe, be, be
                .expect("maxFanOut", 1) // the server is the client's child, not r's
                .expect("serviceCount", 2, "operationCount", 4)
                .expect("networkLatencyMaxMicros", 5L) // 15 - 10
                .expect("networkLatencyAvgMicros", 5.0)
                // r owns [90,100] + [0,10] = 20; client owns [85,90] + [10,15] = 10;
                // server owns [80,85] + [15,20] = 10; d owns 60
                .expectEntries(
                        "criticalPath",
                        entry("be::get /x", 10L),
                        entry("be::query", 60L),
                        entry("fe::/api", 20L),
                        entry("fe::get /x", 10L))
                .expectEntries("criticalPathServices", entry("be", 70L), entry("fe", 30L)));
        cases.add(new Case("emptyTrace")
                .expect("spanCount", 0, "rootService", null, "rootOperation", null, "depth", 0)
                .expectEntries("criticalPath")
                .expect("warnings", List.of(), "networkLatencyMaxMicros", null));
        return cases;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void features(Case c) {
        TraceFeatures f = TraceFeatures.of(Trace.of(c.spans));
        Stream<Executable> features =
                c.expected.keySet().stream().map(name -> () -> assertFeature(f, name, c.expected.get(name)));
        assertAll(c.name, Stream.concat(features, c.checks.stream().map(check -> () -> check.accept(f))));
    }

    /** Reads the feature by its getter, as a map's entries in order; an int expected stands for a long or double. */
    private static void assertFeature(TraceFeatures f, String feature, Object expected) throws Exception {
        String getter = "get" + Character.toUpperCase(feature.charAt(0)) + feature.substring(1);
        Method method = Stream.of(TraceFeatures.class.getMethods())
                .filter(m -> m.getName().equals(getter) && m.getParameterCount() == 0)
                .findFirst()
                .orElseThrow(
                        () -> new AssertionError("unknown feature " + feature + ": no TraceFeatures." + getter + "()"));
        Class<?> type = method.getReturnType();
        if (expected instanceof Integer i && type != int.class) {
            expected = type == double.class || type == Double.class ? (Object) i.doubleValue() : (Object) i.longValue();
        }
        Object actual = method.invoke(f);
        if (actual instanceof Map<?, ?> map) {
            actual = map.entrySet().stream()
                    .map(e -> entry(e.getKey(), e.getValue()))
                    .toList();
        }
        assertThat(actual).as(feature).isEqualTo(expected);
    }

    private static long sum(Map<String, Long> shares) {
        return shares.values().stream().mapToLong(Long::longValue).sum();
    }

    @Test
    void duplicateSpanChangesNothing() {
        Span r = span("r", null, "a", "r", 0, 100);
        Span x = failed(client(span("x", "r", "a", "x", 10, 90)));
        Span y = server(span("y", "x", "b", "y", 20, 80));

        TraceFeatures once = TraceFeatures.of(Trace.of(r, x, y));
        TraceFeatures twice = TraceFeatures.of(Trace.of(r, x, copy(x), y, copy(y), copy(r)));

        assertThat(twice.getSpanCount()).isEqualTo(3);
        assertThat(twice.getErrorCount()).isEqualTo(1);
        assertThat(twice.getMaxFanOut()).isEqualTo(1);
        assertThat(twice).usingRecursiveComparison().isEqualTo(once);
    }

    /** A trace, its expected features by getter name ("depth": {@code getDepth()}) in order, other checks. */
    static final class Case {
        final String name;
        final Map<String, Object> expected = new LinkedHashMap<>();
        final List<Consumer<TraceFeatures>> checks = new ArrayList<>();
        Span[] spans = {};

        Case(String name) {
            this.name = name;
        }

        Case spans(Span... spans) {
            this.spans = spans;
            return this;
        }

        /** Feature names and their expected values (null included), in pairs; each name once. */
        Case expect(Object... namesAndValues) {
            assertThat(namesAndValues.length % 2)
                    .as("%s: names and values in pairs", name)
                    .isZero();
            for (int i = 0; i < namesAndValues.length; i += 2) {
                assertThat(expected).as(name).doesNotContainKey((String) namesAndValues[i]);
                expected.put((String) namesAndValues[i], namesAndValues[i + 1]);
            }
            return this;
        }

        /** The map feature's entries, exactly and in order (none: the map is empty). */
        @SafeVarargs
        final Case expectEntries(String feature, MapEntry<String, Long>... entries) {
            return expect(feature, List.of(entries));
        }

        /** An assertion beyond one feature's value. */
        Case check(Consumer<TraceFeatures> check) {
            checks.add(check);
            return this;
        }

        @Override
        public String toString() {
            return name;
        }
    }
}
