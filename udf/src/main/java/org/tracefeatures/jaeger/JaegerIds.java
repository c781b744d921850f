package org.tracefeatures.jaeger;

/** Jaeger's textual forms of trace and span ids, from the big-endian bytes of its protobuf model. */
public final class JaegerIds {
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private JaegerIds() {}

    /**
     * A trace id as Jaeger prints it: 16 hex digits when the high 64 bits are zero (64-bit ids, and
     * 128-bit ids from clients that fill only the low half), else 32. 8-byte ids (older clients)
     * are the low half. Returns null for an id that is empty, zero or of another length.
     */
    public static String traceId(byte[] id) {
        if (id == null || (id.length != 16 && id.length != 8) || isZero(id)) {
            return null;
        }
        int lowStart = id.length - 8;
        boolean highIsZero = true;
        for (int i = 0; i < lowStart; i++) {
            highIsZero &= id[i] == 0;
        }
        return highIsZero ? hex(id, lowStart, 8) : hex(id, 0, 16);
    }

    /** A span id as 16 hex digits; null for an id that is not 8 bytes. */
    public static String spanId(byte[] id) {
        return id == null || id.length != 8 ? null : hex(id, 0, 8);
    }

    /** Whether two trace ids name the same trace, whatever their width (8 or 16 bytes). */
    public static boolean sameTrace(byte[] a, byte[] b) {
        String ta = traceId(a);
        return ta != null && ta.equals(traceId(b));
    }

    private static boolean isZero(byte[] id) {
        for (byte b : id) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }

    private static String hex(byte[] bytes, int from, int length) {
        char[] out = new char[length * 2];
        for (int i = 0; i < length; i++) {
            int b = bytes[from + i] & 0xff;
            out[2 * i] = HEX[b >>> 4];
            out[2 * i + 1] = HEX[b & 0xf];
        }
        return new String(out);
    }
}
