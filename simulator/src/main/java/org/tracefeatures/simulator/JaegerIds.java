package org.tracefeatures.simulator;

import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;

/** Trace and span ids in the byte and text forms Jaeger uses. */
public final class JaegerIds {

    private JaegerIds() {
    }

    /** 16 bytes, big-endian: the high 64 bits, then the low 64 bits. */
    public static ByteString traceIdBytes(long high, long low) {
        return ByteString.copyFrom(ByteBuffer.allocate(16).putLong(high).putLong(low).array());
    }

    /** 8 bytes, big-endian. */
    public static ByteString spanIdBytes(long spanId) {
        return ByteString.copyFrom(ByteBuffer.allocate(8).putLong(spanId).array());
    }

    /** As Jaeger prints a trace id: 16 lower-case hex digits when the high 64 bits are zero, else 32. */
    public static String traceIdString(long high, long low) {
        return high == 0 ? String.format("%016x", low) : String.format("%016x%016x", high, low);
    }

    /** The text form of a trace id in its 16-byte form, as {@link #traceIdBytes} makes it. */
    public static String traceIdString(ByteString traceId) {
        if (traceId.size() != 16) {
            throw new IllegalArgumentException("a Jaeger trace id has 16 bytes, this one " + traceId.size());
        }
        ByteBuffer buffer = traceId.asReadOnlyByteBuffer();
        return traceIdString(buffer.getLong(), buffer.getLong());
    }
}
