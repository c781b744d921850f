package org.tracefeatures.latency;

/**
 * For each bucket of {@link LatencyHistogram}'s bounds, the slowest latency that falls in it and the trace it
 * belongs to: a trace to open for each bar of the histogram, as OpenTelemetry's exemplars link a bucket to a
 * trace. Unlike the histogram's counts, the buckets do not overlap: bucket {@code i} holds the latencies above
 * {@code BOUNDS_MILLIS[i - 1]} and at or below {@code BOUNDS_MILLIS[i]} (the first from 0, the last above every
 * bound), so the slowest span of the group is the exemplar of the highest bucket that has one. Equal latencies go
 * to the trace id that sorts first, so the exemplars depend only on the latencies seen, not on their order or on
 * how they were split across partial results.
 *
 * <p>Public fields and a no-argument constructor make this a Flink structured type (the accumulator of
 * {@code LATENCY_EXEMPLARS}).
 */
public class LatencyExemplars {
    /** Per bucket, the trace id of its slowest latency, or null while the bucket has none. */
    public String[] traceIds = new String[LatencyHistogram.SIZE];
    /** Per bucket, that latency in microseconds (0 while the bucket has none). */
    public long[] micros = new long[LatencyHistogram.SIZE];

    public LatencyExemplars() {}

    /** The bucket of a latency in microseconds; a negative one (a clock defect) counts as 0. */
    public static int bucket(long micros) {
        for (int i = 0; i < LatencyHistogram.BOUNDS_MILLIS.length; i++) {
            if (micros <= LatencyHistogram.BOUNDS_MILLIS[i] * 1000) {
                return i;
            }
        }
        return LatencyHistogram.SIZE - 1;
    }

    /** Adds a latency of a trace; a null trace id is skipped. */
    public void add(String traceId, long latencyMicros) {
        offer(bucket(latencyMicros), traceId, latencyMicros);
    }

    /** Takes the exemplar of bucket {@code i} of another result if it is slower, or as slow with a smaller id. */
    public void offer(int i, String traceId, long latencyMicros) {
        if (traceId == null) {
            return;
        }
        if (traceIds[i] == null
                || latencyMicros > micros[i]
                || (latencyMicros == micros[i] && traceId.compareTo(traceIds[i]) < 0)) {
            traceIds[i] = traceId;
            micros[i] = latencyMicros;
        }
    }

    /** Takes the exemplars of another result of the same buckets. */
    public void addAll(LatencyExemplars other) {
        for (int i = 0; i < LatencyHistogram.SIZE; i++) {
            offer(i, other.traceIds[i], other.micros[i]);
        }
    }
}
