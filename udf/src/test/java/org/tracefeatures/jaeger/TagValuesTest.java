package org.tracefeatures.jaeger;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TagValuesTest {
    @Test
    void eachValueTypeReadsItsOwnField() {
        assertThat(TagValues.asText("STRING", "GET", true, 7L, 1.5, new byte[] {1}))
                .isEqualTo("GET");
        assertThat(TagValues.asText("BOOL", "", true, 0L, 0.0, null)).isEqualTo("true");
        assertThat(TagValues.asText("INT64", "", false, 404L, 0.0, null)).isEqualTo("404");
        assertThat(TagValues.asText("FLOAT64", "", false, 0L, 0.25, null)).isEqualTo("0.25");
        assertThat(TagValues.asText("BINARY", "", false, 0L, 0.0, new byte[] {(byte) 0xfb, (byte) 0xff}))
                .isEqualTo("+/8=");
    }

    @Test
    void aMissingTypeIsProtobufsDefaultString() {
        assertThat(TagValues.asText(null, "x", null, null, null, null)).isEqualTo("x");
    }

    @Test
    void aMissingValueIsProtobufsDefaultAsJaegersJsonLeavesItOut() {
        // {"key":"k","vType":"BOOL"} is false, {"key":"k","vType":"INT64"} is 0, {"key":"k"} is ""
        assertThat(TagValues.asText("BOOL", null, null, null, null, null)).isEqualTo("false");
        assertThat(TagValues.asText("INT64", null, null, null, null, null)).isEqualTo("0");
        assertThat(TagValues.asText("FLOAT64", null, null, null, null, null)).isEqualTo("0.0");
        assertThat(TagValues.asText("BINARY", null, null, null, null, null)).isEqualTo("");
        assertThat(TagValues.asText("STRING", null, null, null, null, null)).isEqualTo("");
        assertThat(TagValues.asText(null, null, null, null, null, null)).isEqualTo("");
    }

    @Test
    void anUnknownTypeReadsTheStringField() {
        // a v_type number the .proto does not know: protobuf keeps it, flink-protobuf names it UNRECOGNIZED
        assertThat(TagValues.asText("UNRECOGNIZED", "x", true, 7L, 1.5, null)).isEqualTo("x");
        assertThat(TagValues.asText("UNRECOGNIZED", null, true, 7L, 1.5, null)).isEqualTo("");
    }
}
