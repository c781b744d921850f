package org.tracefeatures.latency;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * A mergeable sketch of a latency distribution (non-negative whole numbers, e.g. microseconds) that
 * answers percentiles within a relative error of 1/128 (0.79 %).
 *
 * <h2>Buckets</h2>
 *
 * Log-linear, as in HdrHistogram, in integer arithmetic only: a value below {@value #EXACT_BELOW} has
 * a bucket of its own (exact); above, every power-of-two range [2^k, 2^(k+1)) is cut into
 * {@value #SUB_BUCKETS} buckets of equal width 2^(k-6). A bucket [lo, lo + width) with width &gt; 1
 * starts at lo &ge; 64 &middot; width, so its midpoint {@code lo + (width - 1) / 2} (rounded down) is
 * at most width / 2 &le; lo / 128 away from any value in it.
 *
 * <h2>Percentiles</h2>
 *
 * {@link #percentile(double) percentile(q)} is the nearest-rank percentile: the value of rank
 * {@code ceil(q * count)} (1-based, at least 1) in sorted order. Ranks 1 and {@code count} give the
 * exact {@link #min} and {@link #max}; any other rank gives the midpoint of its value's bucket, clamped
 * into [min, max], which differs from the exact nearest-rank value by at most 1/128 of it, and not at
 * all below {@value #EXACT_BELOW}.
 *
 * <p>Bucket counts only add up, so a sketch merged from parts of the input is identical to the sketch
 * of the whole input, whatever the split and the order: percentiles do not depend on parallelism or
 * on how a restart split the input. Memory: one map entry per bucket in use, at most 64 per power of
 * two spanned: about 1,700 for values from 0 to an hour in microseconds, around a hundred for an
 * endpoint whose calls take 2 to 8 ms.
 *
 * <p>Public fields and a no-argument constructor make this a Flink structured type: the accumulator
 * and result of {@code LATENCY_SKETCH}, and a column between the stages of a job.
 */
public class LatencySketch {
    static final long EXACT_BELOW = 128;
    static final int SUB_BUCKETS = 64;
    private static final int SUB_BUCKET_BITS = 6;

    /** Bucket index to the number of values in it. */
    public Map<Integer, Long> buckets = new HashMap<>();
    /** Number of values. */
    public long count;
    /** Smallest value; 0 while the sketch is empty. */
    public long min;
    /** Largest value; 0 while the sketch is empty. */
    public long max;

    public LatencySketch() {}

    /** Adds a value; a negative one (a clock defect) counts as 0. */
    public void add(long value) {
        long v = Math.max(0, value);
        buckets.merge(bucketOf(v), 1L, Long::sum);
        min = count == 0 ? v : Math.min(min, v);
        max = count == 0 ? v : Math.max(max, v);
        count++;
    }

    public void addAll(LatencySketch other) {
        if (other.count == 0) {
            return;
        }
        other.buckets.forEach((bucket, n) -> buckets.merge(bucket, n, Long::sum));
        min = count == 0 ? other.min : Math.min(min, other.min);
        max = count == 0 ? other.max : Math.max(max, other.max);
        count += other.count;
    }

    public LatencySketch copy() {
        LatencySketch copy = new LatencySketch();
        copy.addAll(this);
        return copy;
    }

    /**
     * The nearest-rank percentile {@code q} (0 to 1) as described above, or null for an empty sketch.
     *
     * @throws IllegalArgumentException for q outside [0, 1]
     */
    public Long percentile(double q) {
        if (!(q >= 0 && q <= 1)) {
            throw new IllegalArgumentException("A percentile is a fraction from 0 to 1 (0.95 for p95), not " + q);
        }
        if (count == 0) {
            return null;
        }
        long rank = Math.max(1, rankOf(q, count));
        if (rank == 1) {
            return min;
        }
        if (rank == count) {
            return max;
        }
        long seen = 0;
        for (Map.Entry<Integer, Long> bucket : new TreeMap<>(buckets).entrySet()) {
            seen += bucket.getValue();
            if (seen >= rank) {
                return Math.max(min, Math.min(max, midpoint(bucket.getKey())));
            }
        }
        throw new IllegalStateException("bucket counts add up to " + seen + ", not to count " + count);
    }

    /** ceil(q * count) in decimal arithmetic, so that 0.29 * 100 is 29, not 29.000000000000004. */
    private static long rankOf(double q, long count) {
        return BigDecimal.valueOf(q)
                .multiply(BigDecimal.valueOf(count))
                .setScale(0, RoundingMode.CEILING)
                .longValueExact();
    }

    static int bucketOf(long value) {
        if (value < EXACT_BELOW) {
            return (int) value;
        }
        int shift = 63 - Long.numberOfLeadingZeros(value) - SUB_BUCKET_BITS; // 1 for [128, 256)
        long subBucket = value >>> shift; // 64..127
        return (int) (EXACT_BELOW + (long) (shift - 1) * SUB_BUCKETS + (subBucket - SUB_BUCKETS));
    }

    /** The smallest value of a bucket. */
    static long lowestOf(int bucket) {
        if (bucket < EXACT_BELOW) {
            return bucket;
        }
        int shift = (int) ((bucket - EXACT_BELOW) / SUB_BUCKETS) + 1;
        long subBucket = (bucket - EXACT_BELOW) % SUB_BUCKETS + SUB_BUCKETS;
        return subBucket << shift;
    }

    static long widthOf(int bucket) {
        return bucket < EXACT_BELOW ? 1 : 1L << ((bucket - EXACT_BELOW) / SUB_BUCKETS + 1);
    }

    static long midpoint(int bucket) {
        return lowestOf(bucket) + (widthOf(bucket) - 1) / 2;
    }
}
