package org.tracefeatures.cli.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.tracefeatures.elasticsearch.ElasticsearchClient;

/**
 * Reads a report's content from Elasticsearch: one search for the time range, then one per chart, and one for the
 * slowest traces.
 */
public final class ReportQueries {
    private ReportQueries() {}

    public static ReportContent read(
            URI url, List<ChartDefinition> charts, String spanMetricsIndex, Optional<Instant> since, Clock clock) {
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
        return new ReportContent(Instant.now(clock), url, since, range, interval, contents, slowestTraces);
    }
}
