package org.tracefeatures.jaeger;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class JaegerIdsTest {
    private static byte[] bytes(int... values) {
        byte[] out = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (byte) values[i];
        }
        return out;
    }

    @Test
    void a128BitTraceIdPrintsAll32HexDigits() {
        byte[] id = bytes(0x12, 0x34, 0x56, 0x78, 0x9a, 0xbc, 0xde, 0xf0, 0, 0, 0, 0, 0, 0, 0, 0x2a);
        assertThat(JaegerIds.traceId(id)).isEqualTo("123456789abcdef0000000000000002a");
    }

    @Test
    void aTraceIdWithZeroHighHalfPrints16HexDigitsAsJaegerDoes() {
        byte[] id = bytes(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01, 0xff);
        assertThat(JaegerIds.traceId(id)).isEqualTo("00000000000001ff");
    }

    @Test
    void an8ByteTraceIdIsTheLowHalf() {
        assertThat(JaegerIds.traceId(bytes(0xab, 0, 0, 0, 0, 0, 0, 0x01))).isEqualTo("ab00000000000001");
    }

    @Test
    void emptyZeroAndOddLengthTraceIdsAreMalformed() {
        assertThat(JaegerIds.traceId(new byte[0])).isNull();
        assertThat(JaegerIds.traceId(new byte[16])).isNull();
        assertThat(JaegerIds.traceId(bytes(1, 2, 3))).isNull();
        assertThat(JaegerIds.traceId(null)).isNull();
    }

    @Test
    void spanIdIs16HexDigits() {
        assertThat(JaegerIds.spanId(bytes(0, 0, 0, 0, 0, 0, 0x10, 0x0f))).isEqualTo("000000000000100f");
        assertThat(JaegerIds.spanId(bytes(1, 2))).isNull();
    }

    @Test
    void an8ByteAndA16ByteIdOfTheSameTraceAreTheSameTrace() {
        byte[] narrow = bytes(0, 0, 0, 0, 0, 0, 0, 7);
        byte[] wide = bytes(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 7);
        assertThat(JaegerIds.sameTrace(narrow, wide)).isTrue();
        assertThat(JaegerIds.sameTrace(narrow, bytes(0, 0, 0, 0, 0, 0, 0, 8))).isFalse();
    }

    @Test
    void idsFromNumbersAreBigEndianBytesHighHalfFirst() {
        assertThat(JaegerIds.traceIdBytes(0x0102030405060708L, 0x090a0b0c0d0e0f10L))
                .isEqualTo(bytes(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16));
        assertThat(JaegerIds.spanIdBytes(0x0102030405060708L)).isEqualTo(bytes(1, 2, 3, 4, 5, 6, 7, 8));
    }

    @Test
    void theTextOfNumbersIsAsJaegerPrintsIt() {
        assertThat(JaegerIds.traceId(0, 0xabcL)).isEqualTo("0000000000000abc");
        assertThat(JaegerIds.traceId(1, 0xabcL)).isEqualTo("00000000000000010000000000000abc");
        assertThat(JaegerIds.traceId(-1, -2)).isEqualTo("fffffffffffffffffffffffffffffffe");
    }
}
