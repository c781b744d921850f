package org.tracefeatures.format;

/**
 * The texts of {@code parse_error}: why a Kafka record is not a span of its input, in the same words for
 * every tolerant format (protobuf, JSON, OTLP).
 */
public final class ParseErrors {
    private ParseErrors() {}

    /** A record without a value. */
    public static String tombstone() {
        return "the record has no value (a Kafka tombstone)";
    }

    /** A record whose decoding failed: the root cause's type and message, and the record's size. */
    public static String of(Exception e, int length) {
        Throwable cause = e;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause.getClass().getSimpleName() + ": " + cause.getMessage() + " (" + length + " bytes)";
    }
}
