package org.tracefeatures.cli.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.tracefeatures.cli.compare.CohortSplit;
import org.tracefeatures.cli.compare.CompareException;
import org.tracefeatures.cli.compare.Comparisons;
import org.tracefeatures.cli.compare.TraceFeaturesReader;
import org.tracefeatures.elasticsearch.ElasticsearchClient;

/**
 * Reads a report's content from Elasticsearch: one search for the time range, then one per chart, one for the
 * slowest traces, and with --compare-by the reads of compare.
 */
public final class ReportQueries {
    /** Traces read per cohort for the comparison section, as compare's default. */
    static final long COMPARED_TRACES = 200_000;

    private ReportQueries() {}

    /**
     * @param compareBy a dimension and its two values for the "What changed" section, if asked for; compared over
     *     the features index of the charts (the last index of {@code charts} that trace_features.sql writes)
     */
    public static ReportContent read(
            URI url,
            List<ChartDefinition> charts,
            String spanMetricsIndex,
            Optional<Instant> since,
            Optional<String[]> compareBy,
            String featuresIndex,
            Clock clock) {
        ElasticsearchClient elasticsearch = new ElasticsearchClient(url);
        Set<String> indexes = new LinkedHashSet<>();
        charts.forEach(chart -> indexes.add(chart.index()));
        // the sink does not refresh: without this a report right after a job might miss its last documents
        indexes.forEach(elasticsearch::refresh);
        elasticsearch.refresh(spanMetricsIndex);

        // one range for all charts, so that their time axes line up
        Optional<TimeRange> range =
                TimeRange.from(elasticsearch.search(String.join(",", indexes), TimeRange.query(since)));
        Optional<HistogramInterval> interval = range.map(HistogramInterval::covering);

        List<ChartContent> contents = new ArrayList<>();
        for (ChartDefinition chart : charts) {
            if (range.isEmpty()) {
                contents.add(ChartContent.empty(chart, chart.noDataMessage()));
                continue;
            }
            JsonNode response = elasticsearch.search(chart.index(), chart.query(range.get(), interval.get()));
            if (!ChartDefinition.hasDocuments(response)) {
                contents.add(ChartContent.empty(chart, chart.noDataMessage()));
                continue;
            }
            List<Series> series = chart.series(response);
            if (series.stream().noneMatch(Series::hasValues)) {
                contents.add(ChartContent.empty(chart, chart.noValuesMessage()));
            } else {
                contents.add(ChartContent.drawn(chart, series));
            }
        }
        // not limited to the charts' range: span metrics are per minute, and a job may fill them without the others
        SlowestTraces slowestTraces = SlowestTraces.read(elasticsearch, spanMetricsIndex, since);
        Optional<ComparisonSection> comparison = compareBy.map(by -> compare(elasticsearch, featuresIndex, since, by));
        return new ReportContent(Instant.now(clock), url, since, range, interval, contents, slowestTraces, comparison);
    }

    private static ComparisonSection compare(
            ElasticsearchClient elasticsearch, String featuresIndex, Optional<Instant> since, String[] by) {
        CohortSplit.ByValue split = CohortSplit.ByValue.of(by[0], by[1], by[2]);
        try {
            Comparisons.Outcome outcome = Comparisons.run(
                    new TraceFeaturesReader(elasticsearch, featuresIndex, new PrintWriter(System.err, true)),
                    featuresIndex,
                    split,
                    new TraceFeaturesReader.Filter(since, Optional.empty(), Optional.empty()),
                    COMPARED_TRACES);
            return ComparisonSection.of(split.field(), outcome);
        } catch (CompareException e) {
            return ComparisonSection.refused(split.field(), e.getMessage());
        }
    }
}
