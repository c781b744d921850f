package org.tracefeatures.format;

import com.google.protobuf.InvalidProtocolBufferException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Reads the protobuf wire format from one record's byte array, enforcing what protobuf-java's parser
 * enforces (lengths inside the enclosing message, well-formed varints, tags, group nesting, UTF-8 of
 * proto3 strings, the nesting limit of 100), and failing with the same messages, so that a record
 * reported as undecodable reads the same whichever decoder saw it. One reader per decoder, reset for
 * each record: it keeps no state between records.
 */
final class ProtobufWireReader {
    static final int VARINT = 0;
    static final int FIXED64 = 1;
    static final int LENGTH_DELIMITED = 2;
    static final int START_GROUP = 3;
    static final int END_GROUP = 4;
    static final int FIXED32 = 5;

    /** protobuf-java's default recursion limit of CodedInputStream */
    private static final int NESTING_LIMIT = 100;

    /** eight bytes at a time for the ASCII scan of strings */
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private static final long HIGH_BITS = 0x8080808080808080L;

    private byte[] buffer;
    /** next byte to read */
    int position;
    /** end of the message being read: the record's end, or an embedded message's */
    int limit;

    private int nesting;

    void reset(byte[] record) {
        buffer = record;
        position = 0;
        limit = record.length;
        nesting = 0;
    }

    byte[] buffer() {
        return buffer;
    }

    boolean atLimit() {
        return position == limit;
    }

    /** A field's tag; fails for field number 0, as protobuf-java does. */
    int readTag() throws InvalidProtocolBufferException {
        int tag = (int) readVarint();
        if ((tag >>> 3) == 0) {
            throw error("Protocol message contained an invalid tag (zero).");
        }
        return tag;
    }

    long readVarint() throws InvalidProtocolBufferException {
        int p = position;
        byte[] b = buffer;
        if (limit - p >= 10) {
            // enough bytes for the longest varint: no bound checks per byte
            long value = b[p++];
            if (value >= 0) {
                position = p;
                return value;
            }
            value &= 0x7F;
            for (int shift = 7; shift < 63; shift += 7) {
                byte next = b[p++];
                value |= (long) (next & 0x7F) << shift;
                if (next >= 0) {
                    position = p;
                    return value;
                }
            }
            return tenthVarintByte(value, p);
        }
        return readVarintNearLimit();
    }

    private long readVarintNearLimit() throws InvalidProtocolBufferException {
        long value = 0;
        int p = position;
        for (int shift = 0; shift < 63; shift += 7) {
            if (p >= limit) {
                throw truncated();
            }
            byte next = buffer[p++];
            value |= (long) (next & 0x7F) << shift;
            if (next >= 0) {
                position = p;
                return value;
            }
        }
        // nine bytes read and all continue: this path is taken only with fewer than ten bytes left
        throw truncated();
    }

    /**
     * A tenth byte ends the varint unless it continues it. protobuf-java's parser of byte arrays sets
     * the top bit then, whatever the tenth byte holds (it is 1 in a canonical encoding), and so does
     * this one, to give the same number for a non-canonical one.
     */
    private long tenthVarintByte(long value, int p) throws InvalidProtocolBufferException {
        if (buffer[p] >= 0) {
            position = p + 1;
            return value | Long.MIN_VALUE;
        }
        throw error("CodedInputStream encountered a malformed varint.");
    }

    int readFixed32() throws InvalidProtocolBufferException {
        int p = position;
        if (limit - p < 4) {
            throw truncated();
        }
        byte[] b = buffer;
        position = p + 4;
        return (b[p] & 0xFF) | (b[p + 1] & 0xFF) << 8 | (b[p + 2] & 0xFF) << 16 | (b[p + 3] & 0xFF) << 24;
    }

    long readFixed64() throws InvalidProtocolBufferException {
        int p = position;
        if (limit - p < 8) {
            throw truncated();
        }
        position = p + 8;
        return (long) LONGS.get(buffer, p);
    }

    /** The length of a length-delimited field, checked to lie inside the current message. */
    int readLength() throws InvalidProtocolBufferException {
        int length = (int) readVarint();
        if (length < 0) {
            throw error(
                    "CodedInputStream encountered an embedded string or message which claimed to have negative size.");
        }
        if (length > limit - position) {
            throw truncated();
        }
        return length;
    }

    /** Enters an embedded message of the given length; returns the limit to give {@link #leave}. */
    int enter(int length) throws InvalidProtocolBufferException {
        if (nesting >= NESTING_LIMIT) {
            throw nestingTooDeep();
        }
        nesting++;
        int outer = limit;
        limit = position + length;
        return outer;
    }

    void leave(int outerLimit) {
        nesting--;
        limit = outerLimit;
    }

    /** Checks that the next {@code length} bytes are UTF-8 as protobuf-java requires of proto3 strings. */
    void checkUtf8(int length) throws InvalidProtocolBufferException {
        byte[] b = buffer;
        int i = position;
        int end = i + length;
        // ASCII, the common case, eight bytes per step
        while (end - i >= 8 && ((long) LONGS.get(b, i) & HIGH_BITS) == 0) {
            i += 8;
        }
        while (i < end && b[i] >= 0) {
            i++;
        }
        if (i < end) {
            checkMultiByteUtf8(b, i, end);
        }
    }

    /**
     * The strict UTF-8 of the Unicode standard (table 3-7): no overlong forms, no surrogates, nothing
     * above U+10FFFF, no sequence cut off at the end.
     */
    private static void checkMultiByteUtf8(byte[] b, int i, int end) throws InvalidProtocolBufferException {
        while (i < end) {
            int lead = b[i++] & 0xFF;
            if (lead < 0x80) {
                continue;
            }
            int following;
            int secondMin = 0x80;
            int secondMax = 0xBF;
            if (lead >= 0xC2 && lead <= 0xDF) {
                following = 1;
            } else if (lead >= 0xE0 && lead <= 0xEF) {
                following = 2;
                if (lead == 0xE0) {
                    secondMin = 0xA0; // else overlong
                } else if (lead == 0xED) {
                    secondMax = 0x9F; // else a surrogate
                }
            } else if (lead >= 0xF0 && lead <= 0xF4) {
                following = 3;
                if (lead == 0xF0) {
                    secondMin = 0x90; // else overlong
                } else if (lead == 0xF4) {
                    secondMax = 0x8F; // else above U+10FFFF
                }
            } else {
                throw invalidUtf8();
            }
            if (end - i < following) {
                throw invalidUtf8();
            }
            int second = b[i++] & 0xFF;
            if (second < secondMin || second > secondMax) {
                throw invalidUtf8();
            }
            for (int k = 1; k < following; k++) {
                if ((b[i++] & 0xC0) != 0x80) {
                    throw invalidUtf8();
                }
            }
        }
    }

    /** Skips a field that is not decoded, checking its structure as protobuf-java does for unknown fields. */
    void skipField(int tag) throws InvalidProtocolBufferException {
        switch (tag & 7) {
            case VARINT:
                readVarint();
                return;
            case FIXED64:
                readFixed64();
                return;
            case LENGTH_DELIMITED: {
                int length = readLength();
                position += length;
                return;
            }
            case START_GROUP:
                skipGroup(tag >>> 3);
                return;
            case END_GROUP:
                // an end-group tag where no group is open
                throw endGroupMismatch();
            case FIXED32:
                readFixed32();
                return;
            default:
                throw new InvalidProtocolBufferException.InvalidWireTypeException(
                        "Protocol message tag had invalid wire type.");
        }
    }

    private void skipGroup(int fieldNumber) throws InvalidProtocolBufferException {
        if (nesting >= NESTING_LIMIT) {
            throw nestingTooDeep();
        }
        nesting++;
        while (position < limit) {
            int tag = readTag();
            if ((tag & 7) == END_GROUP) {
                if ((tag >>> 3) != fieldNumber) {
                    throw endGroupMismatch();
                }
                nesting--;
                return;
            }
            skipField(tag);
        }
        // the message ended inside the group
        throw endGroupMismatch();
    }

    static InvalidProtocolBufferException truncated() {
        return error("While parsing a protocol message, the input ended unexpectedly in the middle of a field.  "
                + "This could mean either that the input has been truncated or that an embedded message "
                + "misreported its own length.");
    }

    static InvalidProtocolBufferException endGroupMismatch() {
        return error("Protocol message end-group tag did not match expected tag.");
    }

    static InvalidProtocolBufferException invalidUtf8() {
        return error("Protocol message had invalid UTF-8.");
    }

    private static InvalidProtocolBufferException nestingTooDeep() {
        return error("Protocol message had too many levels of nesting.  May be malicious.  "
                + "Use setRecursionLimit() to increase the recursion depth limit.");
    }

    private static InvalidProtocolBufferException error(String message) {
        return new InvalidProtocolBufferException(message);
    }
}
