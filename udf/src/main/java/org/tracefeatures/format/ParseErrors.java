package org.tracefeatures.format;

/**
 * The texts of {@code parse_error}: why a Kafka record is not a span of its input. Shared by the
 * tolerant formats and the inputs that decode records in a function (OTLP), so that every input
 * reports a bad record in the same words.
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
