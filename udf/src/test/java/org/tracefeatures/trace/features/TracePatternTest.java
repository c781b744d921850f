package org.tracefeatures.trace.features;

import static org.assertj.core.api.Assertions.assertThat;
import static org.tracefeatures.trace.features.Spans.followsFrom;
import static org.tracefeatures.trace.features.Spans.hexId;
import static org.tracefeatures.trace.features.Spans.span;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.tracefeatures.trace.Span;
import org.tracefeatures.trace.Trace;

/** The pattern's readable form worked out by hand, and what the id depends on and what it does not. */
class TracePatternTest {

    /** /dispatch calling route {@code routeCalls} times and customer once, with ids and times from {@code seed}. */
    static List<Span> dispatch(int routeCalls, long seed) {
        Random random = new Random(seed);
        long t = random.nextInt(1_000_000);
        String root = Long.toHexString(random.nextLong());
        List<Span> spans = new ArrayList<>();
        spans.add(span(root, null, "frontend", "/dispatch", t, t + 1000));
        String customer = Long.toHexString(random.nextLong());
        spans.add(span(customer, root, "frontend", "HTTP GET", t + 1, t + 100));
        spans.add(span(Long.toHexString(random.nextLong()), customer, "customer", "/customer", t + 2, t + 99));
        for (int i = 0; i < routeCalls; i++) {
            long start = t + 100 + random.nextInt(800);
            spans.add(span(Long.toHexString(random.nextLong()), root, "route", "/GetShortestRoute", start, start + 50));
        }
        Collections.shuffle(spans, random);
        return spans;
    }

    static TracePattern pattern(List<Span> spans) {
        return TracePattern.of(Trace.of(spans));
    }

    @Test
    void siblingsOfOneShapeAreFoldedWithTheirCountAndSortedByName() {
        TracePattern pattern = pattern(dispatch(10, 1));

        // children of /dispatch by name: frontend::HTTP GET < route::/GetShortestRoute; 10 equal route leaves
        assertThat(pattern.readable())
                .isEqualTo("frontend::/dispatch(frontend::HTTP GET(customer::/customer), route::/GetShortestRoute×10)");
        assertThat(pattern.id()).matches("[0-9a-f]{16}");
    }

    @Test
    void idsTimesAndArrivalOrderDoNotChangeThePatternButTheNumberOfCallsDoes() {
        TracePattern ten = pattern(dispatch(10, 1));

        assertThat(pattern(dispatch(10, 2)).id()).isEqualTo(ten.id());
        assertThat(pattern(dispatch(10, 3)).readable()).isEqualTo(ten.readable());
        TracePattern five = pattern(dispatch(5, 1));
        assertThat(five.id()).isNotEqualTo(ten.id());
        assertThat(five.readable()).endsWith("route::/GetShortestRoute×5)");
    }

    @Test
    void siblingsWithTheSameNameButOtherSubtreesAreNotFolded() {
        // r > a1 > x, r > a2 > y, r > a3 > x: a1 and a3 fold, a2 stays apart
        List<Span> spans = List.of(
                span("r", null, "s", "r", 0, 100),
                span("a1", "r", "s", "a", 1, 10),
                span("x1", "a1", "t", "x", 2, 9),
                span("a2", "r", "s", "a", 11, 20),
                span("y2", "a2", "t", "y", 12, 19),
                span("a3", "r", "s", "a", 21, 30),
                span("x3", "a3", "t", "x", 22, 29));

        String readable = pattern(spans).readable();

        // the two groups named s::a are ordered by their hash: either may come first
        assertThat(readable).isIn("s::r(s::a(t::x)×2, s::a(t::y))", "s::r(s::a(t::y), s::a(t::x)×2)");
    }

    @Test
    void aFollowsFromChildIsPartOfTheShape() {
        List<Span> withChild = List.of(span("r", null, "s", "r", 0, 10), followsFrom(span("f", "r", "q", "f", 20, 30)));

        assertThat(pattern(withChild).readable()).isEqualTo("s::r(q::f)");
    }

    @Test
    void everyRootAndOrphanHeadsASubtreeJoinedByPlus() {
        // root r with child c; orphans o1, o2 (parents missing) of the same shape; a second root z
        List<Span> spans = List.of(
                span("r", null, "s", "r", 0, 10),
                span("c", "r", "s", "c", 1, 9),
                span("o1", "missing", "t", "o", 2, 3),
                span("o2", "missing", "t", "o", 4, 5),
                span("z", null, "a", "z", 6, 7));

        // tops sorted by name: a::z < s::r < t::o
        assertThat(pattern(spans).readable()).isEqualTo("a::z + s::r(s::c) + t::o×2");
    }

    @Test
    void aCycleIsWalkedOnce() {
        // a > b > a: both cycle-bound, no root and no orphan; the earliest span, a, heads the walk
        List<Span> spans = List.of(span("a", "b", "s", "a", 0, 10), span("b", "a", "s", "b", 1, 9));

        assertThat(pattern(spans).readable()).isEqualTo("s::a(s::b)");
    }

    @Test
    void aDeepTraceNeitherOverflowsTheStackNorWritesMoreThanTheLimit() {
        List<Span> chain = new ArrayList<>();
        for (int i = 0; i < 200_000; i++) {
            chain.add(span(hexId(i), i == 0 ? null : hexId(i - 1), "s", "op", i, 400_000 - i));
        }

        TracePattern pattern = pattern(chain);

        // "s::op(" is 6 characters: the text is cut at 2,000 and ends in the ellipsis
        assertThat(pattern.readable())
                .hasSize(TracePattern.MAX_READABLE_CHARS + 1)
                .endsWith("…");
        assertThat(pattern.readable()).startsWith("s::op(s::op(s::op(");
        chain.remove(chain.size() - 1);
        assertThat(pattern(chain).id()).isNotEqualTo(pattern.id());
    }

    @Test
    void aCycleNoRootReachesIsPartOfTheShape() {
        // root r alone, and a > b > a apart from it: the cycle is walked from its earliest span, a
        List<Span> spans = List.of(
                span("r", null, "s", "r", 0, 10), span("a", "b", "s", "a", 1, 9), span("b", "a", "s", "b", 2, 8));

        TracePattern pattern = pattern(spans);

        assertThat(pattern.readable()).isEqualTo("s::a(s::b) + s::r");
        assertThat(pattern.id())
                .isNotEqualTo(pattern(List.of(span("r", null, "s", "r", 0, 10))).id());
    }

    /**
     * The id is stored in every document, so its definition must not drift. Worked out with the class comment's
     * definition written again in Python (64-bit arithmetic): FNV-1a over the name's characters, SplitMix64's
     * finalizer as mix; shape(c) = mix(fnv("b::c") ^ 4); shape(r) = mix(mix(mix(fnv("a::r") ^ 4) ^ shape(c)) + 1);
     * the trace's = mix(mix(mix(fnv("") ^ 0) ^ shape(r)) + 1).
     */
    @Test
    void theIdOfAKnownTraceIsThePublishedHash() {
        assertThat(pattern(List.of(span("r", null, "a", "r", 0, 10), span("c", "r", "b", "c", 1, 9)))
                        .id())
                .isEqualTo("3323fa9c3697e9f1");
        // the same with two calls of c: mix(h + 2) instead of mix(h + 1) in shape(r)
        assertThat(pattern(List.of(
                                span("r", null, "a", "r", 0, 10),
                                span("c1", "r", "b", "c", 1, 4),
                                span("c2", "r", "b", "c", 5, 9)))
                        .id())
                .isEqualTo("83cb655afe151c85");
    }
}
