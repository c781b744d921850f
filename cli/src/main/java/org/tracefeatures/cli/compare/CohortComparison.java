package org.tracefeatures.cli.compare;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.IntStream;
import org.apache.commons.statistics.distribution.NormalDistribution;
import org.apache.commons.statistics.distribution.TDistribution;
import org.apache.commons.statistics.inference.ChiSquareTest;
import org.apache.commons.statistics.inference.FisherExactTest;
import org.apache.commons.statistics.inference.MannWhitneyUTest;

/**
 * Compares two cohorts of traces feature by feature, and pattern by pattern.
 *
 * <p>A <b>feature</b> (span count, depth, a span-counts key, a critical-path key, ...) is compared on the traces that
 * have a value of it: each cohort's size, mean, median and p95 (nearest rank); the difference of the means (second
 * cohort minus first) with a 95 % Welch confidence interval; Cliff's delta as the effect size (the chance that a
 * trace of the second cohort has the larger value minus the chance that it has the smaller, from -1 to 1); and the
 * p-value of a two-sided Mann-Whitney U test (Apache Commons Statistics: exact for small samples without ties, else
 * the normal approximation with the tie correction of the variance and a continuity correction, so that a call
 * that appears in a few traces of one cohort, 0 in the rest, counts). A feature with the same single value in both
 * cohorts has p = 1.
 *
 * <p>A <b>pattern</b> is compared by its share of each cohort's traces: the difference of the shares with a 95 %
 * Wald interval, Cohen's h as the effect size, and the p-value of a chi-square test of the 2x2 table (pattern or not,
 * cohort), or of Fisher's exact test where a cell's expected count is under 5. The shares are of the traces that have
 * a pattern (documents written before patterns existed have none). A pattern with the same share in both has p = 1.
 *
 * <p>All p-values together are corrected for the number of comparisons by Benjamini-Hochberg: q is the smallest
 * false-discovery rate at which the comparison counts as a discovery, and a comparison with q &lt; 0.05 is
 * <b>changed</b>. Features are ranked by q, then by the size of the change: |Cliff's delta|, |difference| in
 * standard deviations (pooled; infinite for a change between two constant values), then |difference| relative to
 * the first cohort's mean. Patterns are ranked by q, then |h|.
 */
public final class CohortComparison {
    public static final double FALSE_DISCOVERY_RATE = 0.05;
    /** The fewest traces a cohort needs for a comparison to mean anything. */
    public static final int MIN_TRACES = 10;

    public static final int EXEMPLARS = 3;

    /** n, mean, median and p95 (nearest rank) of one cohort's values of a feature. */
    public record Summary(int n, double mean, double median, double p95) {}

    public record FeatureDifference(
            String feature,
            Summary first,
            Summary second,
            double difference,
            double ciLow,
            double ciHigh,
            double cliffsDelta,
            double standardizedDifference,
            double p,
            double q,
            List<String> firstExemplars,
            List<String> secondExemplars) {
        public boolean changed() {
            return q < FALSE_DISCOVERY_RATE;
        }

        double relativeDifference() {
            return first.mean() == 0
                    ? (difference == 0 ? 0 : Double.POSITIVE_INFINITY)
                    : Math.abs(difference / first.mean());
        }

        FeatureDifference withQ(double q) {
            return new FeatureDifference(
                    feature,
                    first,
                    second,
                    difference,
                    ciLow,
                    ciHigh,
                    cliffsDelta,
                    standardizedDifference,
                    p,
                    q,
                    firstExemplars,
                    secondExemplars);
        }
    }

    public record PatternDifference(
            String patternId,
            String shape,
            long firstTraces,
            double firstShare,
            long secondTraces,
            double secondShare,
            double difference,
            double ciLow,
            double ciHigh,
            double cohensH,
            double p,
            double q,
            List<String> firstExemplars,
            List<String> secondExemplars) {
        public boolean changed() {
            return q < FALSE_DISCOVERY_RATE;
        }

        PatternDifference withQ(double q) {
            return new PatternDifference(
                    patternId,
                    shape,
                    firstTraces,
                    firstShare,
                    secondTraces,
                    secondShare,
                    difference,
                    ciLow,
                    ciHigh,
                    cohensH,
                    p,
                    q,
                    firstExemplars,
                    secondExemplars);
        }
    }

    /**
     * @param untested features that a cohort has fewer than two values of (e.g. network latency where no span pair
     *     is client and server), left out
     */
    public record Result(
            Cohort first,
            Cohort second,
            List<FeatureDifference> features,
            List<PatternDifference> patterns,
            List<String> untested) {}

    private static final double Z_975 = NormalDistribution.of(0, 1).inverseCumulativeProbability(0.975);
    private static final MannWhitneyUTest MANN_WHITNEY = MannWhitneyUTest.withDefaults();
    /** Below this expected count in a cell of a pattern's 2x2 table, chi-square's approximation gives way to Fisher. */
    private static final double CHI_SQUARE_MIN_EXPECTED = 5;

    private CohortComparison() {}

    /**
     * @param scalarFeatures the features that a trace may lack (they are left out for it); any other feature is a
     *     map key, 0 where a trace lacks it
     */
    public static Result compare(Cohort first, Cohort second, Set<String> scalarFeatures) {
        Set<String> names = new TreeSet<>(first.features());
        names.addAll(second.features());
        List<FeatureDifference> features = new ArrayList<>();
        List<String> untested = new ArrayList<>();
        for (String name : names) {
            boolean scalar = scalarFeatures.contains(name);
            double[] a = values(first, name, scalar);
            double[] b = values(second, name, scalar);
            FeatureDifference difference = feature(name, first, a, second, b);
            if (difference == null) {
                untested.add(name);
            } else {
                features.add(difference);
            }
        }
        List<PatternDifference> patterns = patterns(first, second);

        // Benjamini-Hochberg over every comparison made
        double[] p = new double[features.size() + patterns.size()];
        for (int i = 0; i < features.size(); i++) {
            p[i] = features.get(i).p();
        }
        for (int i = 0; i < patterns.size(); i++) {
            p[features.size() + i] = patterns.get(i).p();
        }
        double[] q = benjaminiHochberg(p);
        List<FeatureDifference> rankedFeatures = new ArrayList<>();
        for (int i = 0; i < features.size(); i++) {
            rankedFeatures.add(features.get(i).withQ(q[i]));
        }
        List<PatternDifference> rankedPatterns = new ArrayList<>();
        for (int i = 0; i < patterns.size(); i++) {
            rankedPatterns.add(patterns.get(i).withQ(q[features.size() + i]));
        }
        rankedFeatures.sort(Comparator.comparingDouble(FeatureDifference::q)
                .thenComparing(f -> -Math.abs(f.cliffsDelta()))
                .thenComparing(f -> -Math.abs(f.standardizedDifference()))
                .thenComparing(f -> -f.relativeDifference())
                .thenComparing(FeatureDifference::feature));
        rankedPatterns.sort(Comparator.comparingDouble(PatternDifference::q)
                .thenComparing(d -> -Math.abs(d.cohensH()))
                .thenComparing(PatternDifference::patternId));
        return new Result(
                first, second, List.copyOf(rankedFeatures), List.copyOf(rankedPatterns), List.copyOf(untested));
    }

    /**
     * Benjamini-Hochberg adjusted p-values: for the i-th smallest of m, min over j >= i of p_(j) * m / j, at most 1.
     */
    static double[] benjaminiHochberg(double[] p) {
        int m = p.length;
        Integer[] order = IntStream.range(0, m).boxed().toArray(Integer[]::new);
        Arrays.sort(order, Comparator.comparingDouble(i -> p[i]));
        double[] q = new double[m];
        double running = 1;
        for (int rank = m; rank >= 1; rank--) {
            int i = order[rank - 1];
            running = Math.min(running, p[i] * m / rank);
            q[i] = Math.min(1, running);
        }
        return q;
    }

    private static double[] values(Cohort cohort, String feature, boolean scalar) {
        if (!scalar || cohort.isScalar(feature)) {
            return cohort.values(feature);
        }
        double[] missing = new double[cohort.size()];
        Arrays.fill(missing, Double.NaN);
        return missing;
    }

    private static FeatureDifference feature(String name, Cohort first, double[] a, Cohort second, double[] b) {
        double[] x = finite(a);
        double[] y = finite(b);
        if (x.length < 2 || y.length < 2) {
            return null;
        }
        Arrays.sort(x);
        Arrays.sort(y);
        Summary sx = summary(x);
        Summary sy = summary(y);
        double difference = sy.mean() - sx.mean();
        double vx = variance(x, sx.mean());
        double vy = variance(y, sy.mean());
        double se = Math.sqrt(vx / x.length + vy / y.length);
        double low = difference;
        double high = difference;
        if (se > 0) {
            double df = Math.pow(se, 4)
                    / (Math.pow(vx / x.length, 2) / (x.length - 1) + Math.pow(vy / y.length, 2) / (y.length - 1));
            double t = TDistribution.of(df).inverseCumulativeProbability(0.975);
            low = difference - t * se;
            high = difference + t * se;
        }
        boolean constant = x[0] == x[x.length - 1] && y[0] == y[y.length - 1] && x[0] == y[0];
        double p = constant ? 1 : MANN_WHITNEY.test(x, y).getPValue();
        if (Double.isNaN(p)) {
            p = 1;
        }
        double pooled = Math.sqrt(((x.length - 1) * vx + (y.length - 1) * vy) / (x.length + y.length - 2));
        double standardized = pooled > 0
                ? difference / pooled
                : difference == 0 ? 0 : Math.copySign(Double.POSITIVE_INFINITY, difference);
        return new FeatureDifference(
                name,
                sx,
                sy,
                difference,
                low,
                high,
                cliffsDelta(x, y),
                standardized,
                p,
                p,
                exemplars(first, a, sx, sy),
                exemplars(second, b, sy, sx));
    }

    private static double[] finite(double[] values) {
        return Arrays.stream(values).filter(Double::isFinite).toArray();
    }

    /** Of sorted values. */
    private static Summary summary(double[] sorted) {
        int n = sorted.length;
        double mean = Arrays.stream(sorted).sum() / n;
        double median = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
        return new Summary(n, mean, median, nearestRank(sorted, 95));
    }

    static double nearestRank(double[] sorted, double percentile) {
        int rank = (int) Math.ceil(percentile / 100 * sorted.length);
        return sorted[Math.max(0, rank - 1)];
    }

    private static double variance(double[] values, double mean) {
        double sum = 0;
        for (double v : values) {
            sum += (v - mean) * (v - mean);
        }
        return sum / (values.length - 1);
    }

    /** P(y > x) - P(y < x) over all pairs, from the sorted samples. */
    static double cliffsDelta(double[] sortedX, double[] sortedY) {
        long greater = 0;
        long less = 0;
        for (double v : sortedY) {
            int below = lowerBound(sortedX, v);
            int atOrBelow = upperBound(sortedX, v);
            greater += below;
            less += sortedX.length - atOrBelow;
        }
        return (double) (greater - less) / ((double) sortedX.length * sortedY.length);
    }

    private static int lowerBound(double[] sorted, double value) {
        int low = 0;
        int high = sorted.length;
        while (low < high) {
            int mid = (low + high) >>> 1;
            if (sorted[mid] < value) {
                low = mid + 1;
            } else {
                high = mid;
            }
        }
        return low;
    }

    private static int upperBound(double[] sorted, double value) {
        int low = 0;
        int high = sorted.length;
        while (low < high) {
            int mid = (low + high) >>> 1;
            if (sorted[mid] <= value) {
                low = mid + 1;
            } else {
                high = mid;
            }
        }
        return low;
    }

    /**
     * Traces to open for a feature: those nearest the cohort's median; where both medians are equal (the change is
     * in the tail), nearest its p95; where those are equal too, its largest values. Ties go to the earlier trace.
     */
    private static List<String> exemplars(Cohort cohort, double[] values, Summary own, Summary other) {
        double target = own.median() != other.median()
                ? own.median()
                : own.p95() != other.p95() ? own.p95() : Double.POSITIVE_INFINITY;
        // one pass keeping the best few: sorting every trace of every feature only to take three cost more than
        // the tests
        int[] best = new int[EXEMPLARS];
        double[] bestDistance = new double[EXEMPLARS];
        int found = 0;
        for (int i = 0; i < values.length; i++) {
            if (!Double.isFinite(values[i])) {
                continue;
            }
            double distance = Double.isInfinite(target) ? -values[i] : Math.abs(values[i] - target);
            if (found == EXEMPLARS && distance >= bestDistance[EXEMPLARS - 1]) {
                continue; // an earlier trace at the same distance keeps its place
            }
            int position = Math.min(found, EXEMPLARS - 1);
            while (position > 0 && bestDistance[position - 1] > distance) {
                best[position] = best[position - 1];
                bestDistance[position] = bestDistance[position - 1];
                position--;
            }
            best[position] = i;
            bestDistance[position] = distance;
            found = Math.min(found + 1, EXEMPLARS);
        }
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < found; i++) {
            ids.add(cohort.traceId(best[i]));
        }
        return ids;
    }

    private static List<PatternDifference> patterns(Cohort first, Cohort second) {
        Map<String, List<Integer>> inFirst = tracesByPattern(first);
        Map<String, List<Integer>> inSecond = tracesByPattern(second);
        Set<String> ids = new LinkedHashSet<>(inFirst.keySet());
        ids.addAll(inSecond.keySet());
        List<PatternDifference> patterns = new ArrayList<>();
        // of the traces that have a pattern: documents written before patterns existed have none
        long n1 = inFirst.values().stream().mapToLong(List::size).sum();
        long n2 = inSecond.values().stream().mapToLong(List::size).sum();
        if (n1 == 0 || n2 == 0) {
            return patterns;
        }
        for (String id : ids) {
            List<Integer> traces1 = inFirst.getOrDefault(id, List.of());
            List<Integer> traces2 = inSecond.getOrDefault(id, List.of());
            long a = traces1.size();
            long b = traces2.size();
            double share1 = (double) a / n1;
            double share2 = (double) b / n2;
            double difference = share2 - share1;
            double se = Math.sqrt(share1 * (1 - share1) / n1 + share2 * (1 - share2) / n2);
            double p = a * n2 == b * n1 ? 1 : shareTest(a, n1, b, n2);
            String shape = first.patternShape(id) != null ? first.patternShape(id) : second.patternShape(id);
            patterns.add(new PatternDifference(
                    id,
                    shape,
                    a,
                    share1,
                    b,
                    share2,
                    difference,
                    difference - Z_975 * se,
                    difference + Z_975 * se,
                    2 * Math.asin(Math.sqrt(share2)) - 2 * Math.asin(Math.sqrt(share1)),
                    p,
                    p,
                    traces1.stream().limit(EXEMPLARS).map(first::traceId).toList(),
                    traces2.stream().limit(EXEMPLARS).map(second::traceId).toList()));
        }
        return patterns;
    }

    /** Chi-square on the 2x2 table, or Fisher's exact test when a cell's expected count is under 5. */
    static double shareTest(long a, long n1, long b, long n2) {
        long[][] table = {{a, n1 - a}, {b, n2 - b}};
        // the smallest expected count: the smaller row's total times the smaller column's, over the whole
        double smallestExpected = (double) Math.min(n1, n2) * Math.min(a + b, n1 + n2 - a - b) / (n1 + n2);
        if (smallestExpected >= CHI_SQUARE_MIN_EXPECTED) {
            return ChiSquareTest.withDefaults().test(table).getPValue();
        }
        return FisherExactTest.withDefaults()
                .test(new int[][] {{(int) a, (int) (n1 - a)}, {(int) b, (int) (n2 - b)}})
                .getPValue();
    }

    private static Map<String, List<Integer>> tracesByPattern(Cohort cohort) {
        Map<String, List<Integer>> byPattern = new HashMap<>();
        for (int i = 0; i < cohort.size(); i++) {
            String id = cohort.patternId(i);
            if (id != null) {
                byPattern.computeIfAbsent(id, k -> new ArrayList<>()).add(i);
            }
        }
        return byPattern;
    }
}
