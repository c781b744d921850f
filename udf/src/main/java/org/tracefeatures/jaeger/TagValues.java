package org.tracefeatures.jaeger;

import java.util.Base64;

/** The value of a {@code jaeger.api_v2.KeyValue} as text, by its {@code v_type}. */
public final class TagValues {
    private TagValues() {}

    /**
     * Text of a typed tag value: strings as they are, booleans as true/false, numbers in Java's
     * shortest round-trip form, binary as base64 (as the Jaeger UI shows it). A missing type or value
     * is protobuf's default, as proto3 defines it: a missing type means STRING, a missing value false,
     * 0, 0.0 or empty. Protobuf always carries the defaults; Jaeger's JSON leaves them out. A type
     * number the .proto does not know (flink-protobuf gives {@code UNRECOGNIZED}) reads the string field,
     * like STRING: the tag stays usable rather than failing the span.
     */
    public static String asText(String type, String str, Boolean bool, Long int64, Double float64, byte[] binary) {
        if (type == null) {
            return str == null ? "" : str;
        }
        switch (type) {
            case "BOOL":
                return String.valueOf(bool != null && bool);
            case "INT64":
                return String.valueOf(int64 == null ? 0L : int64);
            case "FLOAT64":
                return String.valueOf(float64 == null ? 0.0 : float64);
            case "BINARY":
                return binary == null ? "" : Base64.getEncoder().encodeToString(binary);
            default:
                return str == null ? "" : str;
        }
    }
}
