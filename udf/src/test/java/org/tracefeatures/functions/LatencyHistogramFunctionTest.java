package org.tracefeatures.functions;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.apache.flink.types.Row;
import org.junit.jupiter.api.Test;
import org.tracefeatures.latency.LatencyHistogram;

/** As Flink's AggFunctionTestBase does: the same input whole, and split across accumulators. */
class LatencyHistogramFunctionTest {
    private final LatencyHistogramFunction function = new LatencyHistogramFunction();

    private static final long[] FIRST = {1_500, 7_000};
    private static final long[] SECOND = {120_000, 20_000_000};
    private static final long[] THIRD = {4_000};

    // by hand: <=2 ms: 1500; <=4: + 4000; <=6: 2; <=8: + 7000; <=10..100: 3; <=200: + 120000;
    // ... <=15000: 4; +Inf: 5 (20 s is above every bound)
    private static final Row EXPECTED = Row.of(1L, 2L, 2L, 3L, 3L, 3L, 3L, 4L, 4L, 4L, 4L, 4L, 4L, 4L, 4L, 4L, 5L);

    private LatencyHistogram accumulate(long[]... parts) {
        LatencyHistogram accumulator = function.createAccumulator();
        for (long[] part : parts) {
            for (long micros : part) {
                function.accumulate(accumulator, micros);
            }
        }
        function.accumulate(accumulator, (Long) null);
        return accumulator;
    }

    @Test
    void theWholeInput() {
        assertThat(function.getValue(accumulate(FIRST, SECOND, THIRD))).isEqualTo(EXPECTED);
    }

    @Test
    void mergeOfSplitInputEqualsTheWholeInput() {
        LatencyHistogram merged = function.createAccumulator();
        function.merge(
                merged,
                List.of(accumulate(SECOND), accumulate(THIRD), function.createAccumulator(), accumulate(FIRST)));

        assertThat(function.getValue(merged)).isEqualTo(EXPECTED);
    }

    @Test
    void histogramsOfAnEarlierStageAddUpToTheWholeInput() {
        LatencyHistogram stage2 = function.createAccumulator();
        function.accumulate(stage2, function.getValue(accumulate(THIRD, SECOND)));
        function.accumulate(stage2, function.getValue(accumulate(FIRST)));
        function.accumulate(stage2, (Row) null);

        assertThat(function.getValue(stage2)).isEqualTo(EXPECTED);
    }
}
