package org.tracefeatures.jaeger;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Jaeger's trace and span ids: the big-endian bytes of its protobuf model, from numbers (as the simulator makes them),
 * and their textual forms.
 */
public final class JaegerIds {
    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    private JaegerIds() {}

    /** The 16 bytes of a trace id, big-endian: the high 64 bits, then the low 64 bits. */
    public static byte[] traceIdBytes(long high, long low) {
        return ByteBuffer.allocate(16).putLong(high).putLong(low).array();
    }

    /** The 8 bytes of a span id, big-endian. */
    public static byte[] spanIdBytes(long spanId) {
        return ByteBuffer.allocate(8).putLong(spanId).array();
    }

    /** {@link #traceId(byte[])} of the id with these halves. */
    public static String traceId(long high, long low) {
        return traceId(traceIdBytes(high, low));
    }

    /**
     * A trace id as Jaeger prints it: 16 hex digits when the high 64 bits are zero (64-bit ids, and
     * 128-bit ids from clients that fill only the low half), else 32. 8-byte ids (older clients)
     * are the low half. Returns null for an id that is empty, zero or of another length.
     */
    public static String traceId(byte[] id) {
        byte[] digits = traceIdDigits(id);
        return digits == null ? null : new String(digits, StandardCharsets.ISO_8859_1);
    }

    /** {@link #traceId(byte[])} as ASCII bytes, for the functions that give Flink's binary strings. */
    public static byte[] traceIdDigits(byte[] id) {
        if (!isTraceId(id)) {
            return null;
        }
        int lowStart = id.length - 8;
        return isZero(id, 0, lowStart) ? hex(id, lowStart, 8) : hex(id, 0, 16);
    }

    /** A span id as 16 hex digits; null for an id that is not 8 bytes. */
    public static String spanId(byte[] id) {
        byte[] digits = spanIdDigits(id);
        return digits == null ? null : new String(digits, StandardCharsets.ISO_8859_1);
    }

    /** {@link #spanId(byte[])} as ASCII bytes. */
    public static byte[] spanIdDigits(byte[] id) {
        return isSpanId(id) ? hex(id, 0, 8) : null;
    }

    /** Whether {@link #traceId(byte[])} gives an id: 8 or 16 bytes, not all zero. */
    public static boolean isTraceId(byte[] id) {
        return id != null && (id.length == 16 || id.length == 8) && !isZero(id, 0, id.length);
    }

    /** Whether {@link #spanId(byte[])} gives an id: 8 bytes. */
    public static boolean isSpanId(byte[] id) {
        return id != null && id.length == 8;
    }

    /**
     * Whether two trace ids name the same trace, whatever their width (8 or 16 bytes): the same low half,
     * and the same high half, a missing one being zero. Compared as bytes, without printing either id:
     * every span with a reference asks.
     */
    public static boolean sameTrace(byte[] a, byte[] b) {
        if (!isTraceId(a) || !isTraceId(b)) {
            return false;
        }
        if (!Arrays.equals(a, a.length - 8, a.length, b, b.length - 8, b.length)) {
            return false;
        }
        if (a.length == b.length) {
            return Arrays.equals(a, 0, a.length - 8, b, 0, b.length - 8);
        }
        byte[] wide = a.length == 16 ? a : b;
        return isZero(wide, 0, 8);
    }

    /** Whether bytes {@code from} to {@code to} (exclusive) are all zero. */
    static boolean isZero(byte[] id, int from, int to) {
        for (int i = from; i < to; i++) {
            if (id[i] != 0) {
                return false;
            }
        }
        return true;
    }

    private static byte[] hex(byte[] bytes, int from, int length) {
        byte[] out = new byte[length * 2];
        for (int i = 0; i < length; i++) {
            int b = bytes[from + i] & 0xff;
            out[2 * i] = HEX[b >>> 4];
            out[2 * i + 1] = HEX[b & 0xf];
        }
        return out;
    }
}
