package org.tracefeatures.cli.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * One chart of the report: a metric of one field over time, one series per value of a keyword field, as a
 * Kibana line chart with "split series" shows it; and the Elasticsearch aggregation that computes it.
 *
 * @param id the chart's element id in the page
 * @param index the Elasticsearch index it reads
 * @param job the job script that fills that index, named in the chart when the index holds nothing
 * @param splitField the keyword field whose values become the series
 * @param seriesOrder which {@value #MAX_SERIES} values of that field get a series
 * @param metric how the documents of one bucket become one value
 * @param valueField the numeric field the metric reads
 * @param stacked whether the series are stacked areas (parts of a whole) rather than lines
 * @param perMinute whether each document stands for a minute, stamped with the minute's start (the service graph):
 *     the chart then takes the whole minute the report's range starts in, whose document may hold later requests,
 *     and counts that minute's documents in the range's first bucket, so its time axis stays the other charts'
 */
public record ChartDefinition(
        String id,
        String title,
        String description,
        String index,
        String job,
        String splitField,
        SeriesOrder seriesOrder,
        Metric metric,
        String valueField,
        String valueTitle,
        boolean stacked,
        boolean perMinute) {

    /** Series beyond these would make the chart unreadable (Kibana's split series default to 5; 10 fit well). */
    public static final int MAX_SERIES = 10;

    /** The series name of documents without the split field. */
    public static final String MISSING_SPLIT_VALUE = "(none)";

    public enum Metric {
        AVG("avg"),
        SUM("sum");

        final String aggregation;

        Metric(String aggregation) {
            this.aggregation = aggregation;
        }
    }

    public enum SeriesOrder {
        /** Alphabetically, like test names. */
        BY_NAME,
        /** The largest metric over the whole range first, as the Kibana dashboard orders its series. */
        BY_METRIC
    }

    /**
     * The search: documents in the range, split by {@link #splitField} into series, each a date histogram of
     * the metric with a bucket for every interval of the range (empty ones too, so all series share their
     * x values and a stacked chart adds up; an empty bucket's average is null, its sum 0).
     */
    public String query(TimeRange range, HistogramInterval interval) {
        ObjectNode body = TimeRange.JSON.createObjectNode();
        body.put("size", 0);
        body.putObject("query").putObject("bool").putArray("filter").add(range.filter(perMinute));

        ObjectNode series = body.putObject("aggs").putObject("series");
        ObjectNode terms = series.putObject("terms");
        terms.put("field", splitField);
        terms.put("size", MAX_SERIES);
        terms.put("missing", MISSING_SPLIT_VALUE);
        ObjectNode seriesAggs = series.putObject("aggs");
        switch (seriesOrder) {
            case BY_NAME -> terms.putObject("order").put("_key", "asc");
            case BY_METRIC -> {
                terms.putObject("order").put("overall", "desc");
                seriesAggs.putObject("overall").putObject(metric.aggregation).put("field", valueField);
            }
        }

        ObjectNode overTime = seriesAggs.putObject("over_time");
        ObjectNode histogram = overTime.putObject("date_histogram");
        if (perMinute) {
            // a document of the minute the range starts in lies before the range: it goes to the first bucket
            ObjectNode script = histogram.putObject("script");
            script.put("source", "Math.max(doc['@timestamp'].value.toInstant().toEpochMilli(), params.first)");
            script.putObject("params").put("first", range.firstMillis());
        } else {
            histogram.put("field", "@timestamp");
        }
        histogram.put("fixed_interval", interval.expression());
        histogram.put("min_doc_count", 0);
        histogram.putObject("extended_bounds").put("min", range.firstMillis()).put("max", range.lastMillis());
        overTime.putObject("aggs")
                .putObject("value")
                .putObject(metric.aggregation)
                .put("field", valueField);
        return body.toString();
    }

    /** Whether any document matched: a missing index and an empty one both answer 0. */
    public static boolean hasDocuments(JsonNode response) {
        return response.at("/hits/total/value").asLong(0) > 0;
    }

    /** The series in the answer to {@link #query}, in the order Elasticsearch ranked them; null for no value. */
    public List<Series> series(JsonNode response) {
        List<Series> series = new ArrayList<>();
        for (JsonNode bucket : response.at("/aggregations/series/buckets")) {
            List<Series.Point> points = new ArrayList<>();
            for (JsonNode timeBucket : bucket.at("/over_time/buckets")) {
                JsonNode value = timeBucket.at("/value/value");
                points.add(
                        new Series.Point(timeBucket.get("key").asLong(), value.isNumber() ? value.asDouble() : null));
            }
            series.add(new Series(bucket.get("key").asText(), points));
        }
        return series;
    }

    /** What the chart says when its index holds no document in the report's range. */
    public String noDataMessage() {
        return noDataMessage(job);
    }

    /** What a part of the report says when the index that {@code job} fills holds no document in its range. */
    static String noDataMessage(String job) {
        return "no data yet (run " + job + ")";
    }

    /** What the chart says when documents are there but none has the value field. */
    public String noValuesMessage() {
        return "no values of " + valueField + " in " + index + " yet";
    }
}
