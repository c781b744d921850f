package org.tracefeatures.latency;

/**
 * Counts of latencies (in microseconds) at or below each bound of the OpenTelemetry Collector
 * spanmetrics connector's default histogram: 2, 4, 6, 8, 10, 50, 100, 200, 400, 800, 1000, 1400,
 * 2000, 5000, 10000 and 15000 ms, and +Inf. The counts are cumulative, like Prometheus's {@code le}
 * buckets: {@code counts[i]} is the number of values &le; {@code BOUNDS_MILLIS[i]}, and the last one
 * is the number of all values. Cumulative counts of parts add up to those of the whole, so partial
 * histograms merge by adding them.
 *
 * <p>Public fields and a no-argument constructor make this a Flink structured type (the accumulator
 * of {@code LATENCY_HISTOGRAM}).
 */
public class LatencyHistogram {
    public static final long[] BOUNDS_MILLIS = {
        2, 4, 6, 8, 10, 50, 100, 200, 400, 800, 1000, 1400, 2000, 5000, 10000, 15000
    };
    /** One count per bound, then the count of all values (+Inf). */
    public static final int SIZE = BOUNDS_MILLIS.length + 1;

    public long[] counts = new long[SIZE];

    public LatencyHistogram() {}

    /** Adds a value in microseconds; a negative one (a clock defect) counts as 0. */
    public void add(long micros) {
        for (int i = 0; i < BOUNDS_MILLIS.length; i++) {
            if (micros <= BOUNDS_MILLIS[i] * 1000) {
                counts[i]++;
            }
        }
        counts[SIZE - 1]++;
    }

    /** Adds another histogram's cumulative counts, as {@link #counts} lays them out. */
    public void addCounts(long[] cumulativeCounts) {
        if (cumulativeCounts.length != SIZE) {
            throw new IllegalArgumentException(
                    "A latency histogram has " + SIZE + " counts, not " + cumulativeCounts.length);
        }
        for (int i = 0; i < SIZE; i++) {
            counts[i] += cumulativeCounts[i];
        }
    }
}
