package org.tracefeatures.latency;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class LatencyHistogramTest {

    @Test
    void countsAreCumulativeWithInclusiveBounds() {
        LatencyHistogram histogram = new LatencyHistogram();
        for (long micros : new long[] {0, 2_000, 2_001, 9_999, 50_000, 15_000_000, 15_000_001, -3}) {
            histogram.add(micros);
        }

        // by hand, bounds in ms: <=2: 0, 2000, -3 (as 0); <=4: + 2001; <=10: + 9999; <=50: + 50000;
        // <=15000: + 15000000; +Inf: all 8
        assertThat(histogram.counts).containsExactly(3, 4, 4, 4, 5, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 7, 8);
    }

    @Test
    void countsOfAnotherLayoutAreRefused() {
        assertThatThrownBy(() -> new LatencyHistogram().addCounts(new long[3]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("17 counts, not 3");
    }
}
