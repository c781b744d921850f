package org.tracefeatures.cli.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.tracefeatures.cli.compare.CohortComparison;
import org.tracefeatures.cli.compare.Comparisons;
import org.tracefeatures.cli.compare.FeatureDistribution;

/**
 * The report's "What changed" section: compare's result for two values of a dimension, with the distribution of each
 * of the top {@value #CHARTS} changed features per cohort; or the message of why the cohorts cannot be compared.
 */
public record ComparisonSection(
        String dimension,
        Optional<String> message,
        Optional<Comparisons.Outcome> outcome,
        List<FeatureDistribution> charts) {
    public static final int CHARTS = 5;
    public static final int ROWS = 10;

    public static ComparisonSection of(String dimension, Comparisons.Outcome outcome) {
        CohortComparison.Result result = outcome.result();
        List<FeatureDistribution> charts = new ArrayList<>();
        for (CohortComparison.FeatureDifference feature : result.features()) {
            if (charts.size() == CHARTS || !feature.changed()) {
                break;
            }
            charts.add(FeatureDistribution.of(
                    feature.feature(),
                    result.first().values(feature.feature()),
                    result.second().values(feature.feature())));
        }
        return new ComparisonSection(dimension, Optional.empty(), Optional.of(outcome), List.copyOf(charts));
    }

    public static ComparisonSection refused(String dimension, String message) {
        return new ComparisonSection(dimension, Optional.of(message), Optional.empty(), List.of());
    }
}
