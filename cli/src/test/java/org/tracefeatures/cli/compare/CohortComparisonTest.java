package org.tracefeatures.cli.compare;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The statistics on cohorts built by hand; every expected value is worked out in the comments. */
class CohortComparisonTest {

    private static Cohort cohort(
            String label, int traces, String pattern, Map<String, Double> mapValues, Map<String, Double> scalars) {
        Cohort cohort = new Cohort(label);
        for (int i = 0; i < traces; i++) {
            cohort.add(label + "-" + i, pattern, pattern + " shape", scalars, mapValues);
        }
        return cohort;
    }

    @Test
    void theBooksCaseRanksTheRouteCallsFirstAndCallsAConstantFeatureUnchanged() {
        // as hotrod-original against hotrod-reduced: route calls 10 -> 5, frontend's client spans 12 -> 7, depth 9
        Cohort original = cohort(
                "original",
                20,
                "P10",
                Map.of("spanCounts.route", 10.0, "spanCounts.frontend", 12.0),
                Map.of("depth", 9.0));
        Cohort reduced = cohort(
                "reduced", 20, "P5", Map.of("spanCounts.route", 5.0, "spanCounts.frontend", 7.0), Map.of("depth", 9.0));

        CohortComparison.Result result = CohortComparison.compare(original, reduced, Set.of("depth"));

        CohortComparison.FeatureDifference route = result.features().get(0);
        assertThat(route.feature()).isEqualTo("spanCounts.route");
        assertThat(route.difference()).isEqualTo(-5.0);
        // no spread in either cohort: the interval is the difference itself
        assertThat(route.ciLow()).isEqualTo(-5.0);
        assertThat(route.ciHigh()).isEqualTo(-5.0);
        // every reduced trace has fewer: delta -1
        assertThat(route.cliffsDelta()).isEqualTo(-1.0);
        assertThat(route.standardizedDifference()).isEqualTo(Double.NEGATIVE_INFINITY);
        // U = 0, mean 20 * 20 / 2 = 200; two tie groups of 20 in N = 40, so the tie-corrected variance is
        // 20 * 20 / 12 * (41 - 2 * (20^3 - 20) / (40 * 39)) = 1025.64, sd 32.026; with the continuity correction
        // z = (200 - 0.5) / 32.026 = 6.2294, p = erfc(z / sqrt 2)
        assertThat(route.p()).isCloseTo(4.682682e-10, within(1e-15));
        // 5 tests: 2 patterns (chi-square 40 on expected counts of 10: p = erfc(sqrt 20) = 2.5396e-10), 2 features at
        // 4.6827e-10, depth at 1. The features rank 3rd and 4th: q = min(4.6827e-10 * 5 / 4, * 5 / 3) = 5.8534e-10
        assertThat(route.q()).isCloseTo(5.853353e-10, within(1e-15));
        assertThat(route.changed()).isTrue();
        // frontend changes as surely and as fully, but by less of its mean: 5 / 12 < 5 / 10
        assertThat(result.features().get(1).feature()).isEqualTo("spanCounts.frontend");
        assertThat(result.features().get(1).difference()).isEqualTo(-5.0);

        CohortComparison.FeatureDifference depth = result.features().get(2);
        assertThat(depth.feature()).isEqualTo("depth");
        assertThat(depth.difference()).isZero();
        assertThat(depth.p()).isEqualTo(1.0);
        assertThat(depth.q()).isEqualTo(1.0);
        assertThat(depth.changed()).isFalse();

        // one pattern each: 100 % -> 0 % and 0 % -> 100 %; q = min(2.5396e-10 * 5 / 2, the features' 5.8534e-10)
        assertThat(result.patterns()).hasSize(2);
        assertThat(result.patterns()).allSatisfy(p -> {
            assertThat(Math.abs(p.difference())).isEqualTo(1.0);
            assertThat(p.p()).isCloseTo(2.539629e-10, within(1e-15));
            assertThat(p.q()).isCloseTo(5.853353e-10, within(1e-15));
            assertThat(Math.abs(p.cohensH())).isCloseTo(Math.PI, within(1e-12));
        });
        assertThat(result.patterns())
                .extracting(CohortComparison.PatternDifference::patternId)
                .containsExactlyInAnyOrder("P10", "P5");
        assertThat(result.patterns().get(0).firstExemplars().size()
                        + result.patterns().get(0).secondExemplars().size())
                .isEqualTo(3);
    }

    @Test
    void theIntervalIsWelchsAndMissingValuesAreLeftOut() {
        Cohort a = new Cohort("a");
        Cohort b = new Cohort("b");
        for (int i = 1; i <= 5; i++) {
            a.add("a" + i, "P", "s", scalar("latency", (double) i), Map.of());
            b.add("b" + i, "P", "s", scalar("latency", (double) i + 2), Map.of());
        }
        // a trace without the feature counts in no summary
        a.add("a6", "P", "s", scalar("latency", null), Map.of());

        CohortComparison.FeatureDifference latency =
                CohortComparison.compare(a, b, Set.of("latency")).features().get(0);

        // 1..5 against 3..7: means 3 and 5, variances 2.5 each; se = sqrt(2.5 / 5 + 2.5 / 5) = 1; Welch's df =
        // 1 / (0.5^2 / 4 + 0.5^2 / 4) = 8; t(8, 0.975) = 2.306004
        assertThat(latency.first().n()).isEqualTo(5);
        assertThat(latency.first().mean()).isEqualTo(3.0);
        assertThat(latency.first().median()).isEqualTo(3.0);
        // nearest rank: ceil(0.95 * 5) = 5th
        assertThat(latency.first().p95()).isEqualTo(5.0);
        assertThat(latency.difference()).isEqualTo(2.0);
        assertThat(latency.ciLow()).isCloseTo(2 - 2.306004, within(1e-6));
        assertThat(latency.ciHigh()).isCloseTo(2 + 2.306004, within(1e-6));
        // pairs (b > a) - (b < a) of 25: b=3: 2 - 2, b=4: 3 - 1, b=5: 4 - 0, b=6: 5, b=7: 5 -> 16 / 25
        assertThat(latency.cliffsDelta()).isEqualTo(16.0 / 25);
        // the exemplars are the traces nearest each median: a3 (3), then a2 and a4 at distance 1, earlier first
        assertThat(latency.firstExemplars()).containsExactly("a3", "a2", "a4");
        assertThat(latency.secondExemplars()).containsExactly("b3", "b2", "b4");
        // the only pattern is in every trace of both: the same share, p = 1
        assertThat(CohortComparison.compare(a, b, Set.of("latency"))
                        .patterns()
                        .get(0)
                        .p())
                .isEqualTo(1.0);
    }

    @Test
    void aMapKeyATraceLacksIsZeroAndAFeatureWithFewerThanTwoValuesIsNotCompared() {
        Cohort a = new Cohort("a");
        Cohort b = new Cohort("b");
        for (int i = 0; i < 4; i++) {
            a.add("a" + i, "P", "s", scalar("latency", i == 0 ? 7.0 : null), Map.of());
            // only b's first two traces call the new operation
            b.add("b" + i, "P", "s", scalar("latency", 1.0), i < 2 ? Map.of("spanCounts.new", 2.0) : Map.of());
        }

        CohortComparison.Result result = CohortComparison.compare(a, b, Set.of("latency"));

        // a has one latency value: not compared
        assertThat(result.untested()).containsExactly("latency");
        CohortComparison.FeatureDifference added = result.features().get(0);
        // a: 0 0 0 0, b: 2 2 0 0
        assertThat(added.first().mean()).isZero();
        assertThat(added.second().mean()).isEqualTo(1.0);
        // medians: a 0; b (0 + 2) / 2 = 1
        assertThat(added.second().median()).isEqualTo(1.0);
    }

    @Test
    void aCallInAFewTracesOfOneCohortIsAChangeDespiteTheTiesAtZero() {
        Cohort a = new Cohort("a");
        Cohort b = new Cohort("b");
        for (int i = 0; i < 1000; i++) {
            a.add("a" + i, "P", "s", Map.of(), Map.of());
            b.add("b" + i, "P", "s", Map.of(), i < 20 ? Map.of("spanCounts.new", 1.0) : Map.of());
        }

        CohortComparison.FeatureDifference added =
                CohortComparison.compare(a, b, Set.of()).features().get(0);

        // 1,980 zeros and 20 ones in N = 2,000; U of b = 20 * 1000 + 980 * 1000 / 2 = 510,000 against a mean of
        // 500,000; tie-corrected sd = sqrt(1000 * 1000 / 12 * (2001 - ((1980^3 - 1980) + (20^3 - 20)) / (2000 *
        // 1999))) = 2225.4; z = (10,000 - 0.5) / 2225.4 = 4.4933, p = erfc(z / sqrt 2) = 7.0122e-6 (without the
        // tie correction it would be 0.44)
        assertThat(added.p()).isCloseTo(7.012219e-6, within(1e-11));
        assertThat(added.changed()).isTrue();
        assertThat(added.difference()).isCloseTo(0.02, within(1e-12));
    }

    @Test
    void aRarePatternIsTestedExactly() {
        Cohort a = new Cohort("a");
        Cohort b = new Cohort("b");
        for (int i = 0; i < 200; i++) {
            a.add("a" + i, "P", "s", Map.of(), Map.of());
            b.add("b" + i, i < 5 ? "Q" : "P", "s", Map.of(), Map.of());
        }

        CohortComparison.PatternDifference rare = CohortComparison.compare(a, b, Set.of()).patterns().stream()
                .filter(p -> p.patternId().equals("Q"))
                .findFirst()
                .orElseThrow();

        // Q in 0 of 200 against 5 of 200: expected 2.5 in its cells, under 5, so Fisher's exact test; the
        // hypergeometric(400, 5, 200) puts 0.030470 on 0 and on 5, the two tables as extreme: p = 0.060940
        // (chi-square would say 0.025 and call it a change)
        assertThat(rare.p()).isCloseTo(0.0609395, within(1e-6));
        assertThat(rare.changed()).isFalse();
    }

    @Test
    void benjaminiHochbergAdjustsByRankAndKeepsTheOrder() {
        // sorted 0.01 (1), 0.03 (2), 0.04 (3), 0.20 (4), m = 4: 0.04, 0.06, 0.0533, 0.2; then the running minimum
        // from the largest: 0.2, 0.0533, min(0.06, 0.0533) = 0.0533, min(0.04, 0.0533) = 0.04
        double[] q = CohortComparison.benjaminiHochberg(new double[] {0.01, 0.04, 0.03, 0.20});

        assertThat(q[0]).isCloseTo(0.04, within(1e-12));
        assertThat(q[1]).isCloseTo(0.04 * 4 / 3, within(1e-12));
        assertThat(q[2]).isCloseTo(0.04 * 4 / 3, within(1e-12));
        assertThat(q[3]).isCloseTo(0.20, within(1e-12));
    }

    private static Map<String, Double> scalar(String name, Double value) {
        Map<String, Double> values = new HashMap<>();
        values.put(name, value);
        return values;
    }
}
