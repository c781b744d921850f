package org.tracefeatures.jaeger;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class JsonTimesTest {
    @Test
    void timestampsInRfc3339AreMicrosecondsSinceTheEpoch() {
        // 2024-05-01T12:00:00Z is 1,714,564,800 s after the epoch
        assertThat(JsonTimes.timestampMicros("2024-05-01T12:00:00Z")).isEqualTo(1_714_564_800_000_000L);
        assertThat(JsonTimes.timestampMicros("2024-05-01T12:00:00.123Z")).isEqualTo(1_714_564_800_123_000L);
        // nanoseconds below a microsecond are dropped, as the protobuf input's nanos / 1000 does
        assertThat(JsonTimes.timestampMicros("2024-05-01T12:00:00.000123999Z")).isEqualTo(1_714_564_800_000_123L);
        assertThat(JsonTimes.timestampMicros("2024-05-01T14:00:00+02:00")).isEqualTo(1_714_564_800_000_000L);
    }

    @Test
    void durationsAreSecondsWithAFraction() {
        assertThat(JsonTimes.durationMicros("0.022938s")).isEqualTo(22_938L);
        assertThat(JsonTimes.durationMicros("1s")).isEqualTo(1_000_000L);
        assertThat(JsonTimes.durationMicros("1.5s")).isEqualTo(1_500_000L);
        assertThat(JsonTimes.durationMicros("0.000000999s")).isZero();
        assertThat(JsonTimes.durationMicros("-0.5s")).isEqualTo(-500_000L);
    }

    @Test
    void anAbsentValueIsProtobufsDefaultZero() {
        // Jaeger's JSON leaves a zero duration out
        assertThat(JsonTimes.durationMicros(null)).isZero();
        assertThat(JsonTimes.timestampMicros(null)).isZero();
    }

    @Test
    void otherTextIsNull() {
        assertThat(JsonTimes.durationMicros("soon")).isNull();
        assertThat(JsonTimes.durationMicros("22938")).isNull();
        assertThat(JsonTimes.durationMicros("0.0229381234s")).isNull();
        assertThat(JsonTimes.timestampMicros("yesterday")).isNull();
        assertThat(JsonTimes.timestampMicros("2024-05-01 12:00:00")).isNull();
    }
}
