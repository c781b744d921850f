package org.tracefeatures.cli.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Optional;

/** The first and last {@code @timestamp} of the documents a report shows, in epoch milliseconds. */
public record TimeRange(long firstMillis, long lastMillis) {
    static final ObjectMapper JSON = new ObjectMapper();

    public TimeRange {
        if (lastMillis < firstMillis) {
            throw new IllegalArgumentException(
                    "the range ends (" + lastMillis + ") before it starts (" + firstMillis + ")");
        }
    }

    /** The search that finds the range: min and max of @timestamp, of documents since {@code since} if given. */
    public static String query(Optional<Instant> since) {
        ObjectNode body = JSON.createObjectNode();
        body.put("size", 0);
        since.ifPresent(start -> body.putObject("query")
                .putObject("range")
                .putObject("@timestamp")
                .put("gte", start.toEpochMilli())
                .put("format", "epoch_millis"));
        ObjectNode aggs = body.putObject("aggs");
        aggs.putObject("first").putObject("min").put("field", "@timestamp");
        aggs.putObject("last").putObject("max").put("field", "@timestamp");
        return body.toString();
    }

    /**
     * The range in the answer to {@link #query}; empty when no document matched (min and max are null then) or
     * no index existed (Elasticsearch then leaves the aggregations out).
     */
    public static Optional<TimeRange> from(JsonNode response) {
        JsonNode first = response.at("/aggregations/first/value");
        JsonNode last = response.at("/aggregations/last/value");
        if (!first.isNumber() || !last.isNumber()) {
            return Optional.empty();
        }
        return Optional.of(new TimeRange(first.asLong(), last.asLong()));
    }

    /**
     * The bool filter that keeps a chart's documents within this range; with {@code wholeFirstMinute}, from the start
     * of the minute the range starts in (for documents stamped with their minute's start).
     */
    ObjectNode filter(boolean wholeFirstMinute) {
        ObjectNode range = JSON.createObjectNode();
        range.putObject("range")
                .putObject("@timestamp")
                .put("gte", wholeFirstMinute ? firstMillis - Math.floorMod(firstMillis, 60_000L) : firstMillis)
                .put("lte", lastMillis)
                .put("format", "epoch_millis");
        return range;
    }
}
