package org.tracefeatures.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import org.junit.jupiter.api.Test;

class JaegerIdsTest {

    @Test
    void aTraceIdWithoutHighBitsPrintsAs16HexDigits() {
        assertThat(JaegerIds.traceIdString(0, 0xabcL)).isEqualTo("0000000000000abc");
    }

    @Test
    void aTraceIdWithHighBitsPrintsAs32HexDigits() {
        assertThat(JaegerIds.traceIdString(1, 0xabcL)).isEqualTo("00000000000000010000000000000abc");
        assertThat(JaegerIds.traceIdString(-1, -2)).isEqualTo("fffffffffffffffffffffffffffffffe");
    }

    @Test
    void idsAreBigEndianBytesHighHalfFirst() {
        assertThat(JaegerIds.traceIdBytes(0x0102030405060708L, 0x090a0b0c0d0e0f10L)).isEqualTo(ByteString.copyFrom(
                new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16}));
        assertThat(JaegerIds.spanIdBytes(0x0102030405060708L))
                .isEqualTo(ByteString.copyFrom(new byte[] {1, 2, 3, 4, 5, 6, 7, 8}));
    }

    @Test
    void theTextOfTheBytesIsTheTextOfTheNumbers() {
        assertThat(JaegerIds.traceIdString(JaegerIds.traceIdBytes(0, 42))).isEqualTo("000000000000002a");
        assertThat(JaegerIds.traceIdString(JaegerIds.traceIdBytes(0x7f, 42)))
                .isEqualTo("000000000000007f000000000000002a");
    }
}
