package org.tracefeatures.jaeger;

import com.google.protobuf.Duration;
import com.google.protobuf.Timestamp;
import io.jaegertracing.api_v2.KeyValue;
import io.jaegertracing.api_v2.ValueType;

/** Builders of the Jaeger model's small values, for code that writes spans (OTLP mapping, simulator). */
public final class JaegerProtos {
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private JaegerProtos() {}

    /** A point in time given in nanoseconds since the epoch (negative before 1970). */
    public static Timestamp timestamp(long epochNanos) {
        return Timestamp.newBuilder()
                .setSeconds(Math.floorDiv(epochNanos, NANOS_PER_SECOND))
                .setNanos((int) Math.floorMod(epochNanos, NANOS_PER_SECOND))
                .build();
    }

    /** A duration given in nanoseconds. */
    public static Duration duration(long nanos) {
        return Duration.newBuilder()
                .setSeconds(nanos / NANOS_PER_SECOND)
                .setNanos((int) (nanos % NANOS_PER_SECOND))
                .build();
    }

    public static KeyValue stringTag(String key, String value) {
        return KeyValue.newBuilder()
                .setKey(key)
                .setVType(ValueType.STRING)
                .setVStr(value)
                .build();
    }
}
