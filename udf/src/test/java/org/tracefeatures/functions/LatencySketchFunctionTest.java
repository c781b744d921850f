package org.tracefeatures.functions;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.tracefeatures.latency.LatencySketch;

/** As Flink's AggFunctionTestBase does: the same input whole, and split across accumulators. */
class LatencySketchFunctionTest {
    private final LatencySketchFunction function = new LatencySketchFunction();
    private final LatencyPercentileFunction percentile = new LatencyPercentileFunction();

    private static final long[] FIRST = {5000, 40, 1000};
    private static final long[] SECOND = {4000, 3000};
    private static final long[] THIRD = {2000, 40};

    private LatencySketch accumulate(long[]... parts) {
        LatencySketch accumulator = function.createAccumulator();
        for (long[] part : parts) {
            for (long value : part) {
                function.accumulate(accumulator, value);
            }
        }
        function.accumulate(accumulator, (Long) null);
        return accumulator;
    }

    private void assertIsTheWholeInput(LatencySketch sketch) {
        // sorted: 40, 40, 1000, 2000, 3000, 4000, 5000
        assertThat(sketch.count).isEqualTo(7);
        assertThat(sketch.min).isEqualTo(40);
        assertThat(sketch.max).isEqualTo(5000);
        // rank ceil(0.5 * 7) = 4: 2000 = 125 * 16 in [2000, 2015], midpoint 2007
        assertThat(percentile.eval(sketch, 0.5)).isEqualTo(2007);
        // rank 2: 40, exact below 128
        assertThat(percentile.eval(sketch, 0.2)).isEqualTo(40);
        // rank ceil(0.95 * 7) = 7: the maximum
        assertThat(percentile.eval(sketch, 0.95)).isEqualTo(5000);
    }

    @Test
    void theWholeInput() {
        assertIsTheWholeInput(function.getValue(accumulate(FIRST, SECOND, THIRD)));
    }

    @Test
    void mergeOfSplitInputEqualsTheWholeInput() {
        LatencySketch merged = function.createAccumulator();
        function.merge(
                merged,
                List.of(accumulate(THIRD), function.createAccumulator(), accumulate(FIRST), accumulate(SECOND)));

        assertIsTheWholeInput(function.getValue(merged));
        assertThat(merged.buckets).isEqualTo(accumulate(FIRST, SECOND, THIRD).buckets);
    }

    @Test
    void sketchesOfAnEarlierStageAddUpToTheWholeInput() {
        LatencySketch stage2 = function.createAccumulator();
        function.accumulate(stage2, function.getValue(accumulate(SECOND)));
        function.accumulate(stage2, function.getValue(accumulate(THIRD, FIRST)));
        function.accumulate(stage2, (LatencySketch) null);

        assertIsTheWholeInput(function.getValue(stage2));
    }

    @Test
    void theResultIsACopyThatLaterInputDoesNotChange() {
        LatencySketch accumulator = accumulate(FIRST);
        LatencySketch result = function.getValue(accumulator);
        function.accumulate(accumulator, 1L);

        assertThat(result.count).isEqualTo(3);
    }

    @Test
    void noSketchHasNoPercentile() {
        assertThat(percentile.eval(null, 0.5)).isNull();
        assertThat(percentile.eval(function.createAccumulator(), 0.5)).isNull();
    }
}
