package org.tracefeatures.jaeger;

import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Protobuf's JSON forms of {@code google.protobuf.Timestamp} and {@code Duration}, which Jaeger's
 * JSON span encoding uses for {@code startTime} ({@code "2024-05-01T12:00:00.123456Z"}) and
 * {@code duration} ({@code "0.022938s"}), read as microseconds the way the protobuf input reads the
 * seconds and nanos (sub-microsecond digits dropped). An absent value is protobuf's default, zero;
 * text in neither form gives null.
 */
public final class JsonTimes {
    // seconds, then 0 to 9 fractional digits, then "s"; "-0.5s" is negative
    private static final Pattern DURATION = Pattern.compile("(-)?(\\d+)(?:\\.(\\d{1,9}))?s");

    private JsonTimes() {}

    /** An RFC 3339 time as microseconds since the epoch; null if the text is not one. */
    public static Long timestampMicros(String text) {
        if (text == null) {
            return 0L;
        }
        try {
            OffsetDateTime time = OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME);
            return time.toEpochSecond() * 1_000_000 + time.getNano() / 1000;
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** A duration such as {@code "1.5s"} as microseconds; null if the text is not one. */
    public static Long durationMicros(String text) {
        if (text == null) {
            return 0L;
        }
        Matcher matcher = DURATION.matcher(text);
        if (!matcher.matches() || matcher.group(2).length() > 12) {
            return null; // protobuf's Duration spans +-315,576,000,000 s: 12 digits
        }
        long seconds = Long.parseLong(matcher.group(2));
        String fraction = matcher.group(3) == null ? "" : matcher.group(3);
        long nanos = fraction.isEmpty() ? 0 : Long.parseLong((fraction + "00000000").substring(0, 9));
        long micros = seconds * 1_000_000 + nanos / 1000;
        return matcher.group(1) == null ? micros : -micros;
    }
}
