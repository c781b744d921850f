package org.tracefeatures.latency;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LatencyExemplarsTest {
    @Test
    void eachLatencyFallsInTheBucketOfTheFirstBoundAtOrAboveIt() {
        // bounds 2, 4, 6, 8, 10, 50, ... 15000 ms: 2000 us is at the first bound, 2001 us above it
        assertThat(LatencyExemplars.bucket(-5)).isZero();
        assertThat(LatencyExemplars.bucket(0)).isZero();
        assertThat(LatencyExemplars.bucket(2_000)).isZero();
        assertThat(LatencyExemplars.bucket(2_001)).isEqualTo(1);
        assertThat(LatencyExemplars.bucket(10_000)).isEqualTo(4);
        assertThat(LatencyExemplars.bucket(10_001)).isEqualTo(5); // le50ms
        assertThat(LatencyExemplars.bucket(15_000_000)).isEqualTo(15);
        assertThat(LatencyExemplars.bucket(15_000_001)).isEqualTo(16); // leInf
    }

    @Test
    void theSlowestOfABucketWinsAndEqualLatenciesGoToTheFirstTraceId() {
        LatencyExemplars exemplars = new LatencyExemplars();
        exemplars.add("c", 1_500); // le2ms
        exemplars.add("b", 1_900); // le2ms, slower: wins
        exemplars.add("a", 1_900); // as slow, sorts first: wins
        exemplars.add("z", 30_000); // le50ms
        exemplars.add(null, 40_000); // no trace: skipped

        assertThat(exemplars.traceIds[0]).isEqualTo("a");
        assertThat(exemplars.micros[0]).isEqualTo(1_900);
        assertThat(exemplars.traceIds[5]).isEqualTo("z");
        assertThat(exemplars.micros[5]).isEqualTo(30_000);
        assertThat(exemplars.traceIds).filteredOn(id -> id != null).hasSize(2);
    }

    @Test
    void partsCombineToWhatTheWholeGives() {
        LatencyExemplars first = new LatencyExemplars();
        first.add("b", 1_900);
        first.add("x", 20_000_000);
        LatencyExemplars second = new LatencyExemplars();
        second.add("a", 1_900);
        second.add("y", 19_000_000);

        first.addAll(second);

        // le2ms: a and b both 1,900 us, a sorts first; leInf: x's 20 s beats y's 19 s
        assertThat(first.traceIds[0]).isEqualTo("a");
        assertThat(first.traceIds[16]).isEqualTo("x");
        assertThat(first.micros[16]).isEqualTo(20_000_000);
    }
}
