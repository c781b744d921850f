package org.tracefeatures.cli.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class HistogramIntervalTest {
    // a whole second, so that every round width up to 1s has a bucket starting here
    static final long T = Instant.parse("2025-11-24T10:00:00Z").toEpochMilli();

    @Test
    void aDemoOfAFewHundredMillisecondsGetsMillisecondBuckets() {
        // 5ms buckets: T, T+5, ..., T+295 are 60; 2ms would take 148
        HistogramInterval interval = HistogramInterval.covering(new TimeRange(T, T + 299));

        assertThat(interval).isEqualTo(new HistogramInterval("5ms", 5));
        assertThat(interval.bucketCount(new TimeRange(T, T + 299))).isEqualTo(60);
    }

    @Test
    void sixtyBucketsFitAndSixtyOneDoNot() {
        assertThat(HistogramInterval.covering(new TimeRange(T, T + 59)).expression())
                .isEqualTo("1ms");
        assertThat(HistogramInterval.covering(new TimeRange(T, T + 60)).expression())
                .isEqualTo("2ms");
        // an hour: 60 buckets of a minute, one more with the hour's last instant
        assertThat(HistogramInterval.covering(new TimeRange(T, T + 3_600_000 - 1))
                        .expression())
                .isEqualTo("1m");
        assertThat(HistogramInterval.covering(new TimeRange(T, T + 3_600_000)).expression())
                .isEqualTo("2m");
    }

    @Test
    void bucketsAreCountedAsElasticsearchAlignsThem() {
        // 296 ms, but from T+4 to T+300 the 5ms buckets start at T, T+5, ..., T+300: 61 of them
        assertThat(HistogramInterval.covering(new TimeRange(T + 4, T + 300)).expression())
                .isEqualTo("10ms");
        // 295 ms from T+3 to T+298: T, ..., T+295 are 60
        assertThat(HistogramInterval.covering(new TimeRange(T + 3, T + 298)).expression())
                .isEqualTo("5ms");
    }

    @Test
    void aSingleInstantIsOneBucket() {
        HistogramInterval interval = HistogramInterval.covering(new TimeRange(T, T));

        assertThat(interval.expression()).isEqualTo("1ms");
        assertThat(interval.bucketCount(new TimeRange(T, T))).isEqualTo(1);
    }

    @Test
    void aDayOfTrafficGetsHalfHourBuckets() {
        // 24 h / 30 min = 48 buckets; 15 min would be 96
        long day = 24 * 3_600_000L;
        assertThat(HistogramInterval.covering(new TimeRange(T, T + day - 1)).expression())
                .isEqualTo("30m");
    }

    @Test
    void decadesGetTheWidestWidth() {
        // documents stamped 1970 by a broken client next to today's
        HistogramInterval interval = HistogramInterval.covering(new TimeRange(0, T));

        assertThat(interval.expression()).isEqualTo("365d");
        assertThat(interval.millis()).isEqualTo(365 * 24 * 3_600_000L);
    }
}
