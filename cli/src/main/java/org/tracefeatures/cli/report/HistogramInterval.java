package org.tracefeatures.cli.report;

import java.util.List;

/**
 * The bucket width of the report's date histograms, chosen from the time range of the data so that a demo of a
 * few hundred milliseconds shows as many points as a day of traffic: the smallest round width that splits the
 * range into at most {@value #MAX_BUCKETS} buckets.
 *
 * @param expression Elasticsearch's {@code fixed_interval}, like {@code 5ms} or {@code 1h}
 * @param millis the same in milliseconds
 */
public record HistogramInterval(String expression, long millis) {
    /** About as many points as Kibana's default bar target: enough for a trend, few enough to see each. */
    public static final int MAX_BUCKETS = 60;

    private static final long SECOND = 1000;
    private static final long MINUTE = 60 * SECOND;
    private static final long HOUR = 60 * MINUTE;
    private static final long DAY = 24 * HOUR;

    private static final List<HistogramInterval> ROUND_WIDTHS = List.of(
            new HistogramInterval("1ms", 1),
            new HistogramInterval("2ms", 2),
            new HistogramInterval("5ms", 5),
            new HistogramInterval("10ms", 10),
            new HistogramInterval("20ms", 20),
            new HistogramInterval("50ms", 50),
            new HistogramInterval("100ms", 100),
            new HistogramInterval("200ms", 200),
            new HistogramInterval("500ms", 500),
            new HistogramInterval("1s", SECOND),
            new HistogramInterval("2s", 2 * SECOND),
            new HistogramInterval("5s", 5 * SECOND),
            new HistogramInterval("10s", 10 * SECOND),
            new HistogramInterval("15s", 15 * SECOND),
            new HistogramInterval("30s", 30 * SECOND),
            new HistogramInterval("1m", MINUTE),
            new HistogramInterval("2m", 2 * MINUTE),
            new HistogramInterval("5m", 5 * MINUTE),
            new HistogramInterval("10m", 10 * MINUTE),
            new HistogramInterval("15m", 15 * MINUTE),
            new HistogramInterval("30m", 30 * MINUTE),
            new HistogramInterval("1h", HOUR),
            new HistogramInterval("2h", 2 * HOUR),
            new HistogramInterval("3h", 3 * HOUR),
            new HistogramInterval("6h", 6 * HOUR),
            new HistogramInterval("12h", 12 * HOUR),
            new HistogramInterval("1d", DAY),
            new HistogramInterval("2d", 2 * DAY),
            new HistogramInterval("7d", 7 * DAY),
            new HistogramInterval("14d", 14 * DAY),
            new HistogramInterval("30d", 30 * DAY),
            new HistogramInterval("90d", 90 * DAY),
            new HistogramInterval("365d", 365 * DAY));

    /**
     * The smallest round width whose buckets (aligned to multiples of the width since the epoch, as Elasticsearch
     * aligns them) cover the range in at most {@value #MAX_BUCKETS}; the widest one for a range of many decades.
     */
    public static HistogramInterval covering(TimeRange range) {
        for (HistogramInterval width : ROUND_WIDTHS) {
            if (width.bucketCount(range) <= MAX_BUCKETS) {
                return width;
            }
        }
        return ROUND_WIDTHS.get(ROUND_WIDTHS.size() - 1);
    }

    /** Buckets from the one holding the range's first instant to the one holding its last, both included. */
    public long bucketCount(TimeRange range) {
        return Math.floorDiv(range.lastMillis(), millis) - Math.floorDiv(range.firstMillis(), millis) + 1;
    }
}
