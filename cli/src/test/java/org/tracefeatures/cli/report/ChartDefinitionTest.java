package org.tracefeatures.cli.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ChartDefinitionTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final Map<String, ChartDefinition> CHARTS =
            ReportCharts.over("summaries", "features", "critical-path", "service-graph").stream()
                    .collect(Collectors.toMap(ChartDefinition::id, Function.identity()));

    static final TimeRange RANGE = new TimeRange(1763978400250L, 1763978400549L);
    static final HistogramInterval FIVE_MS = new HistogramInterval("5ms", 5);

    @Test
    void theBooksChartAveragesRouteCallsPerTestNameOverTime() throws Exception {
        String query = CHARTS.get("route-calls").query(RANGE, FIVE_MS);

        assertThat(JSON.readTree(query)).isEqualTo(JSON.readTree("""
                {"size": 0,
                 "query": {"bool": {"filter": [{"range": {"@timestamp": {
                     "gte": 1763978400250, "lte": 1763978400549, "format": "epoch_millis"}}}]}},
                 "aggs": {"series": {
                   "terms": {"field": "testName", "size": 10, "missing": "(none)", "order": {"_key": "asc"}},
                   "aggs": {"over_time": {
                     "date_histogram": {"field": "@timestamp", "fixed_interval": "5ms", "min_doc_count": 0,
                                        "extended_bounds": {"min": 1763978400250, "max": 1763978400549}},
                     "aggs": {"value": {"avg": {"field": "spanCounts.route::/GetShortestRoute"}}}}}}}}
                """));
        assertThat(CHARTS.get("route-calls").index()).isEqualTo("summaries");
    }

    @Test
    void durationAndErrorsAreSplitByRootOperationTheLargestOverallFirst() throws Exception {
        JsonNode duration = JSON.readTree(CHARTS.get("duration").query(RANGE, FIVE_MS));
        JsonNode errors = JSON.readTree(CHARTS.get("errors").query(RANGE, FIVE_MS));

        for (JsonNode query : List.of(duration, errors)) {
            assertThat(query.at("/aggs/series/terms")).isEqualTo(JSON.readTree("""
                    {"field": "rootOperation", "size": 10, "missing": "(none)", "order": {"overall": "desc"}}"""));
        }
        // the slowest operations first
        assertThat(duration.at("/aggs/series/aggs/overall"))
                .isEqualTo(JSON.readTree("{\"avg\": {\"field\": \"durationMicros\"}}"));
        assertThat(duration.at("/aggs/series/aggs/over_time/aggs/value"))
                .isEqualTo(JSON.readTree("{\"avg\": {\"field\": \"durationMicros\"}}"));
        // the operations with the most error spans first
        assertThat(errors.at("/aggs/series/aggs/overall"))
                .isEqualTo(JSON.readTree("{\"sum\": {\"field\": \"errorCount\"}}"));
        assertThat(errors.at("/aggs/series/aggs/over_time/aggs/value"))
                .isEqualTo(JSON.readTree("{\"sum\": {\"field\": \"errorCount\"}}"));
        assertThat(CHARTS.get("duration").index()).isEqualTo("features");
        assertThat(CHARTS.get("errors").index()).isEqualTo("features");
    }

    @Test
    void theCriticalPathSumsMicrosByServiceTheBiggestShareFirst() throws Exception {
        JsonNode query = JSON.readTree(CHARTS.get("critical-path").query(RANGE, FIVE_MS));

        assertThat(query.at("/aggs/series")).isEqualTo(JSON.readTree("""
                {"terms": {"field": "service", "size": 10, "missing": "(none)", "order": {"overall": "desc"}},
                 "aggs": {
                   "overall": {"sum": {"field": "micros"}},
                   "over_time": {
                     "date_histogram": {"field": "@timestamp", "fixed_interval": "5ms", "min_doc_count": 0,
                                        "extended_bounds": {"min": 1763978400250, "max": 1763978400549}},
                     "aggs": {"value": {"sum": {"field": "micros"}}}}}}
                """));
        assertThat(CHARTS.get("critical-path").stacked()).isTrue();
        assertThat(CHARTS.get("critical-path").index()).isEqualTo("critical-path");
    }

    @Test
    void edgeLatencyAveragesTheClientP95PerEdgeTheSlowestEdgesFirst() throws Exception {
        JsonNode query = JSON.readTree(CHARTS.get("edge-latency").query(RANGE, FIVE_MS));

        // documents without an edge (unpaired client spans) are the series (none); a document of the minute the
        // range starts in (10:00:00.000, before the range's 10:00:00.250) counts in the first bucket
        assertThat(query.at("/aggs/series")).isEqualTo(JSON.readTree("""
                {"terms": {"field": "edge", "size": 10, "missing": "(none)", "order": {"overall": "desc"}},
                 "aggs": {
                   "overall": {"avg": {"field": "clientP95Micros"}},
                   "over_time": {
                     "date_histogram": {
                       "script": {"source": "Math.max(doc['@timestamp'].value.toInstant().toEpochMilli(), params.first)",
                                  "params": {"first": 1763978400250}},
                       "fixed_interval": "5ms", "min_doc_count": 0,
                       "extended_bounds": {"min": 1763978400250, "max": 1763978400549}},
                     "aggs": {"value": {"avg": {"field": "clientP95Micros"}}}}}}
                """));
        // a document per minute, stamped with its start: the range starts at 10:00:00.250, so the chart takes the
        // whole minute 10:00 (its document may hold requests after 10:00:00.250); the other charts start at .250
        assertThat(query.at("/query/bool/filter/0/range/@timestamp/gte").asLong())
                .isEqualTo(1763978400000L);
        assertThat(JSON.readTree(CHARTS.get("duration").query(RANGE, FIVE_MS))
                        .at("/query/bool/filter/0/range/@timestamp/gte")
                        .asLong())
                .isEqualTo(1763978400250L);
        assertThat(CHARTS.get("edge-latency").perMinute()).isTrue();
        assertThat(CHARTS.get("edge-latency").index()).isEqualTo("service-graph");
        assertThat(CHARTS.get("edge-latency").stacked()).isFalse();
        assertThat(CHARTS.get("edge-latency").noDataMessage())
                .isEqualTo("no data yet (run sql/service_dependencies.sql)");
        assertThat(CHARTS.get("edge-latency").noValuesMessage())
                .isEqualTo("no values of clientP95Micros in service-graph yet");
    }

    @Test
    void theChartsHaveDistinctIdsAndTitles() {
        List<ChartDefinition> charts = ReportCharts.over("summaries", "features", "critical-path", "service-graph");

        assertThat(charts)
                .extracting(ChartDefinition::id)
                .containsExactly("route-calls", "duration", "errors", "critical-path", "edge-latency");
        assertThat(charts).extracting(ChartDefinition::title).doesNotHaveDuplicates();
    }

    @Test
    void seriesAreReadFromTheBucketsAnEmptyBucketsAverageIsNull() throws Exception {
        // two tests, three 5ms buckets: original's traces in the first, reduced's in the last
        JsonNode response = JSON.readTree("""
                {"hits": {"total": {"value": 7, "relation": "eq"}, "hits": []},
                 "aggregations": {"series": {"doc_count_error_upper_bound": 0, "sum_other_doc_count": 0, "buckets": [
                   {"key": "original", "doc_count": 4, "over_time": {"buckets": [
                     {"key_as_string": "2025-11-24T10:00:00.250Z", "key": 1763978400250, "doc_count": 4, "value": {"value": 10.0}},
                     {"key_as_string": "2025-11-24T10:00:00.255Z", "key": 1763978400255, "doc_count": 0, "value": {"value": null}},
                     {"key_as_string": "2025-11-24T10:00:00.260Z", "key": 1763978400260, "doc_count": 0, "value": {"value": null}}]}},
                   {"key": "reduced", "doc_count": 3, "over_time": {"buckets": [
                     {"key_as_string": "2025-11-24T10:00:00.250Z", "key": 1763978400250, "doc_count": 0, "value": {"value": null}},
                     {"key_as_string": "2025-11-24T10:00:00.255Z", "key": 1763978400255, "doc_count": 0, "value": {"value": null}},
                     {"key_as_string": "2025-11-24T10:00:00.260Z", "key": 1763978400260, "doc_count": 3, "value": {"value": 5.0}}]}}]}}}
                """);

        List<Series> series = CHARTS.get("route-calls").series(response);

        assertThat(series)
                .containsExactly(
                        new Series(
                                "original", points(1763978400250L, 10.0, 1763978400255L, null, 1763978400260L, null)),
                        new Series("reduced", points(1763978400250L, null, 1763978400255L, null, 1763978400260L, 5.0)));
        assertThat(series).allMatch(Series::hasValues);
    }

    @Test
    void aSumOverAnEmptyBucketIsZeroAndCountsAsAValue() throws Exception {
        JsonNode response = JSON.readTree("""
                {"hits": {"total": {"value": 2, "relation": "eq"}, "hits": []},
                 "aggregations": {"series": {"buckets": [
                   {"key": "runTest", "doc_count": 2, "over_time": {"buckets": [
                     {"key": 1763978400250, "doc_count": 2, "value": {"value": 0.0}},
                     {"key": 1763978400255, "doc_count": 0, "value": {"value": 0.0}}]}}]}}}
                """);

        List<Series> series = CHARTS.get("errors").series(response);

        assertThat(series).containsExactly(new Series("runTest", points(1763978400250L, 0.0, 1763978400255L, 0.0)));
        assertThat(series.get(0).hasValues()).isTrue();
    }

    @Test
    void documentsWithoutTheFieldGiveSeriesWithoutValues() throws Exception {
        JsonNode response = JSON.readTree("""
                {"hits": {"total": {"value": 1, "relation": "eq"}, "hits": []},
                 "aggregations": {"series": {"buckets": [
                   {"key": "(none)", "doc_count": 1, "over_time": {"buckets": [
                     {"key": 1763978400250, "doc_count": 1, "value": {"value": null}}]}}]}}}
                """);

        List<Series> series = CHARTS.get("route-calls").series(response);

        assertThat(series).containsExactly(new Series("(none)", points(1763978400250L, null)));
        assertThat(series.get(0).hasValues()).isFalse();
    }

    @Test
    void aMissingOrEmptyIndexHasNoDocumentsAndTheChartNamesTheJobThatFillsIt() throws Exception {
        JsonNode noIndex = JSON.readTree("""
                {"_shards": {"total": 0, "successful": 0, "skipped": 0, "failed": 0},
                 "hits": {"total": {"value": 0, "relation": "eq"}, "max_score": 0.0, "hits": []}}
                """);
        JsonNode someDocuments = JSON.readTree("{\"hits\": {\"total\": {\"value\": 3, \"relation\": \"eq\"}}}");

        assertThat(ChartDefinition.hasDocuments(noIndex)).isFalse();
        assertThat(ChartDefinition.hasDocuments(someDocuments)).isTrue();
        assertThat(CHARTS.get("duration").noDataMessage()).isEqualTo("no data yet (run sql/trace_features.sql)");
        assertThat(CHARTS.get("critical-path").noDataMessage()).isEqualTo("no data yet (run sql/trace_features.sql)");
        assertThat(CHARTS.get("route-calls").noDataMessage()).isEqualTo("no data yet (run sql/span_count.sql)");
        assertThat(CHARTS.get("route-calls").noValuesMessage())
                .isEqualTo("no values of spanCounts.route::/GetShortestRoute in summaries yet");
    }

    /** Pairs of bucket start and value. */
    static List<Series.Point> points(Object... startsAndValues) {
        Series.Point[] points = new Series.Point[startsAndValues.length / 2];
        for (int i = 0; i < points.length; i++) {
            points[i] = new Series.Point((Long) startsAndValues[2 * i], (Double) startsAndValues[2 * i + 1]);
        }
        return Arrays.asList(points);
    }
}
