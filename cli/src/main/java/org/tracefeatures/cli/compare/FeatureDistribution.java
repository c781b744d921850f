package org.tracefeatures.cli.compare;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;
import java.util.function.ToIntFunction;

/**
 * One feature's distribution in both cohorts on shared bins, each bin's share of the cohort's traces that have the
 * feature: one bin per value when there are at most {@value #MAX_BINS} distinct values (a count), else
 * {@value #MAX_BINS} bins of equal width from the smallest value to the largest.
 */
public record FeatureDistribution(String feature, List<String> labels, double[] firstShares, double[] secondShares) {
    public static final int MAX_BINS = 20;

    public static FeatureDistribution of(String feature, double[] first, double[] second) {
        double[] a = Arrays.stream(first).filter(Double::isFinite).toArray();
        double[] b = Arrays.stream(second).filter(Double::isFinite).toArray();
        TreeSet<Double> distinct = new TreeSet<>();
        Arrays.stream(a).forEach(distinct::add);
        Arrays.stream(b).forEach(distinct::add);
        List<String> labels = new ArrayList<>();
        if (distinct.size() <= MAX_BINS) {
            List<Double> values = new ArrayList<>(distinct);
            values.forEach(v -> labels.add(ComparisonOutput.number(v)));
            ToIntFunction<Double> bin = values::indexOf;
            return new FeatureDistribution(
                    feature, labels, shares(a, values.size(), bin), shares(b, values.size(), bin));
        }
        double low = distinct.first();
        double width = (distinct.last() - low) / MAX_BINS;
        for (int i = 0; i < MAX_BINS; i++) {
            labels.add(ComparisonOutput.number(low + i * width) + "–" + ComparisonOutput.number(low + (i + 1) * width));
        }
        ToIntFunction<Double> binOf = v -> Math.min(MAX_BINS - 1, (int) ((v - low) / width));
        return new FeatureDistribution(feature, labels, shares(a, MAX_BINS, binOf), shares(b, MAX_BINS, binOf));
    }

    private static double[] shares(double[] values, int bins, ToIntFunction<Double> bin) {
        long[] counts = new long[bins];
        for (double v : values) {
            counts[bin.applyAsInt(v)]++;
        }
        return Arrays.stream(counts)
                .mapToDouble(c -> (double) c / values.length)
                .toArray();
    }
}
