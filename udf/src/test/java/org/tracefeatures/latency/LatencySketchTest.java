package org.tracefeatures.latency;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LatencySketchTest {

    private static LatencySketch of(long... values) {
        LatencySketch sketch = new LatencySketch();
        for (long value : values) {
            sketch.add(value);
        }
        return sketch;
    }

    @Test
    void bucketsAreExactBelow128AndThen64PerPowerOfTwo() {
        assertThat(LatencySketch.bucketOf(0)).isEqualTo(0);
        assertThat(LatencySketch.bucketOf(127)).isEqualTo(127);
        // [128, 256): width 2
        assertThat(LatencySketch.bucketOf(128)).isEqualTo(128);
        assertThat(LatencySketch.bucketOf(129)).isEqualTo(128);
        assertThat(LatencySketch.bucketOf(130)).isEqualTo(129);
        assertThat(LatencySketch.bucketOf(255)).isEqualTo(191);
        assertThat(LatencySketch.bucketOf(256)).isEqualTo(192);
        // 1000 in [512, 1024): width 8, 1000 >> 3 = 125, bucket 128 + 2 * 64 + (125 - 64) = 317 = [1000, 1007]
        assertThat(LatencySketch.bucketOf(1000)).isEqualTo(317);
        assertThat(LatencySketch.bucketOf(1007)).isEqualTo(317);
        assertThat(LatencySketch.bucketOf(1008)).isEqualTo(318);
        assertThat(LatencySketch.lowestOf(317)).isEqualTo(1000);
        assertThat(LatencySketch.widthOf(317)).isEqualTo(8);
        assertThat(LatencySketch.midpoint(317)).isEqualTo(1003);
        // 5000 in [4096, 8192): width 64, 5000 >> 6 = 78, [4992, 5055], midpoint 4992 + 31
        assertThat(LatencySketch.midpoint(LatencySketch.bucketOf(5000))).isEqualTo(5023);
        assertThat(LatencySketch.bucketOf(Long.MAX_VALUE)).isEqualTo(128 + 55 * 64 + 63);
        assertThat(LatencySketch.lowestOf(LatencySketch.bucketOf(Long.MAX_VALUE)))
                .isEqualTo(127L << 56);
    }

    @Test
    void belowTheExactLimitPercentilesAreTheNearestRankValues() {
        long[] values = new long[100];
        for (int i = 0; i < 100; i++) {
            values[i] = 100 - i; // 100 down to 1: the order of adding does not matter
        }
        LatencySketch sketch = of(values);

        // nearest rank: the value of rank ceil(q * 100) among 1..100 is that rank
        assertThat(sketch.percentile(0.5)).isEqualTo(50);
        assertThat(sketch.percentile(0.95)).isEqualTo(95);
        assertThat(sketch.percentile(0.99)).isEqualTo(99);
        assertThat(sketch.percentile(0.29)).isEqualTo(29); // 0.29 * 100 is 29.000000000000004 in doubles
        assertThat(sketch.percentile(0.291)).isEqualTo(30);
        assertThat(sketch.percentile(0)).isEqualTo(1);
        assertThat(sketch.percentile(1)).isEqualTo(100);
    }

    @Test
    void largerValuesReadAsTheirBucketsMidpointButMinAndMaxAreExact() {
        LatencySketch sketch = of(5000, 1000, 4000, 2000, 3000);

        // rank ceil(0.5 * 5) = 3: 3000, in [2976, 3007] (width 32, 3000 >> 5 = 93), midpoint 2976 + 15
        assertThat(sketch.percentile(0.5)).isEqualTo(2991);
        assertThat(sketch.percentile(0.6)).isEqualTo(2991);
        // rank ceil(0.61 * 5) = 4: 4000 = 125 * 32, in [4000, 4031], midpoint 4015
        assertThat(sketch.percentile(0.61)).isEqualTo(4015);
        // ranks 1 and 5 are the exact minimum and maximum, not 1003 and 5023
        assertThat(sketch.percentile(0)).isEqualTo(1000);
        assertThat(sketch.percentile(0.2)).isEqualTo(1000);
        assertThat(sketch.percentile(0.95)).isEqualTo(5000);
        assertThat(sketch.count).isEqualTo(5);
        assertThat(sketch.min).isEqualTo(1000);
        assertThat(sketch.max).isEqualTo(5000);
    }

    @Test
    void aMidpointOutsideTheValuesIsClampedToThem() {
        // rank 2 of 3: 1001, in [1000, 1007] with midpoint 1003, above the maximum 1001
        assertThat(of(1001, 1001, 1001).percentile(0.5)).isEqualTo(1001);
    }

    @Test
    void everyPercentileIsWithin1Over128OfTheExactOne() {
        SplittableRandom random = new SplittableRandom(42);
        long[] values = new long[10_000];
        for (int i = 0; i < values.length; i++) {
            // log-uniform from 1 us to about 17 min, so that every bucket width occurs
            values[i] = (long) Math.pow(2, random.nextDouble(0, 30));
        }
        LatencySketch sketch = of(values);
        long[] sorted = values.clone();
        Arrays.sort(sorted);

        for (int permille = 0; permille <= 1000; permille++) {
            double q = permille / 1000.0;
            long exact = sorted[(int) Math.max(1, Math.ceil(q * sorted.length - 1e-9)) - 1];
            long estimate = sketch.percentile(q);
            assertThat((double) Math.abs(estimate - exact))
                    .as("q=%s exact=%s", q, exact)
                    .isLessThanOrEqualTo(exact / 128.0);
        }
    }

    @Test
    void negativeValuesCountAsZero() {
        LatencySketch sketch = of(-5, 10);

        assertThat(sketch.min).isZero();
        assertThat(sketch.percentile(0)).isZero();
    }

    @Test
    void anEmptySketchHasNoPercentile() {
        assertThat(new LatencySketch().percentile(0.5)).isNull();
    }

    @Test
    void aPercentileOutsideZeroToOneIsRefusedWithTheExpectedForm() {
        assertThatThrownBy(() -> of(1).percentile(95))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("0.95 for p95");
        assertThatThrownBy(() -> of(1).percentile(Double.NaN)).isInstanceOf(IllegalArgumentException.class);
    }
}
