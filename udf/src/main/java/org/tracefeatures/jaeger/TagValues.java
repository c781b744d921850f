package org.tracefeatures.jaeger;

import java.util.Base64;

/** The value of a {@code jaeger.api_v2.KeyValue} as text, by its {@code v_type}. */
public final class TagValues {
    private TagValues() {}

    /**
     * Text of a typed tag value: strings as they are, booleans as true/false, numbers in Java's
     * shortest round-trip form, binary as base64 (as the Jaeger UI shows it). A missing type means
     * STRING, protobuf's default.
     */
    public static String asText(
            String type, String str, Boolean bool, Long int64, Double float64, byte[] binary) {
        if (type == null) {
            return str;
        }
        switch (type) {
            case "BOOL":
                return bool == null ? null : bool.toString();
            case "INT64":
                return int64 == null ? null : int64.toString();
            case "FLOAT64":
                return float64 == null ? null : float64.toString();
            case "BINARY":
                return binary == null ? null : Base64.getEncoder().encodeToString(binary);
            default:
                return str;
        }
    }
}
