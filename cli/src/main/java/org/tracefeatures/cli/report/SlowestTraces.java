package org.tracefeatures.cli.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.tracefeatures.elasticsearch.ElasticsearchClient;

/**
 * The report's table of slowest traces, from sql/span_metrics.sql's documents: per service and operation the slowest
 * span, the {@value #MAX_ROWS} slowest first, each with the trace it belongs to (the exemplar of the highest bucket of
 * durationExemplars), which the page links to the Jaeger UI.
 *
 * @param index the Elasticsearch index it reads
 * @param rows the slowest first; none when the message is present
 * @param message present exactly when there is no row
 */
public record SlowestTraces(String index, List<Row> rows, Optional<String> message) {
    public static final String JOB = "sql/span_metrics.sql";
    public static final int MAX_ROWS = 20;

    private static final Comparator<JsonNode> SLOWEST_FIRST = Comparator.<JsonNode>comparingLong(
                    exemplar -> exemplar.get("micros").asLong())
            .reversed()
            .thenComparing(exemplar -> exemplar.get("traceId").asText());

    /**
     * @param micros the slowest span's duration, microseconds
     * @param minute the start ({@code @timestamp}) of the minute whose document holds the span
     * @param traceId its trace; empty for a document written before span_metrics.sql kept durationExemplars
     */
    public record Row(String service, String operation, long micros, Instant minute, Optional<String> traceId) {}

    /**
     * The documents of the minutes since {@code since} (the minute it falls in included: its document may hold spans
     * after it), or all: one search, whose rows are {@link #rows}; the no-data message of the charts when none.
     */
    static SlowestTraces read(ElasticsearchClient elasticsearch, String index, Optional<Instant> since) {
        JsonNode response = elasticsearch.search(index, query(since));
        List<Row> rows = ChartDefinition.hasDocuments(response) ? rows(response) : List.of();
        return new SlowestTraces(
                index, rows, rows.isEmpty() ? Optional.of(ChartDefinition.noDataMessage(JOB)) : Optional.empty());
    }

    /**
     * Terms on service, then on operation, both ordered by their largest maxMicros, and the document of the largest:
     * the top {@value #MAX_ROWS} operations of the top {@value #MAX_ROWS} services hold the {@value #MAX_ROWS} slowest
     * of all.
     */
    static String query(Optional<Instant> since) {
        ObjectNode body = TimeRange.JSON.createObjectNode();
        body.put("size", 0);
        since.ifPresent(start -> body.putObject("query")
                .putObject("range")
                .putObject("@timestamp")
                .put("gte", start.truncatedTo(ChronoUnit.MINUTES).toEpochMilli())
                .put("format", "epoch_millis"));
        ObjectNode operationAggs =
                bySlowest(bySlowest(body.putObject("aggs"), "services", "service"), "operations", "operation");
        ObjectNode topHits = operationAggs.putObject("slowest_document").putObject("top_hits");
        topHits.put("size", 1);
        topHits.putArray("sort").add(order("maxMicros", "desc")).add(order("@timestamp", "asc"));
        topHits.putObject("_source").putArray("includes").add("durationExemplars");
        return body.toString();
    }

    /** A terms aggregation {@code name} of {@code field} in {@code aggs}, by its max of maxMicros; returns its aggs. */
    private static ObjectNode bySlowest(ObjectNode aggs, String name, String field) {
        ObjectNode aggregation = aggs.putObject(name);
        ObjectNode terms = aggregation.putObject("terms");
        terms.put("field", field);
        terms.put("size", MAX_ROWS);
        terms.put("missing", ChartDefinition.MISSING_SPLIT_VALUE);
        terms.putArray("order").add(order("slowest", "desc")).add(order("_key", "asc"));
        ObjectNode subAggs = aggregation.putObject("aggs");
        subAggs.putObject("slowest").putObject("max").put("field", "maxMicros");
        return subAggs;
    }

    private static ObjectNode order(String key, String direction) {
        return TimeRange.JSON.createObjectNode().put(key, direction);
    }

    /** The rows in the answer to {@link #query}, the slowest first (then by service and operation). */
    static List<Row> rows(JsonNode response) {
        List<Row> rows = new ArrayList<>();
        for (JsonNode service : response.at("/aggregations/services/buckets")) {
            for (JsonNode operation : service.at("/operations/buckets")) {
                JsonNode slowest = operation.at("/slowest/value");
                if (!slowest.isNumber()) {
                    continue; // no document of the operation has maxMicros
                }
                JsonNode hit = operation.at("/slowest_document/hits/hits/0");
                // the slowest of the buckets' slowest spans; equal durations to the trace id that sorts first
                List<JsonNode> exemplars = new ArrayList<>();
                hit.at("/_source/durationExemplars").forEach(exemplar -> {
                    if (exemplar.path("traceId").isTextual()
                            && exemplar.path("micros").isNumber()) {
                        exemplars.add(exemplar);
                    }
                });
                Optional<JsonNode> exemplar = exemplars.stream().min(SLOWEST_FIRST);
                rows.add(new Row(
                        service.get("key").asText(),
                        operation.get("key").asText(),
                        exemplar.map(e -> e.get("micros").asLong()).orElse(slowest.asLong()),
                        Instant.ofEpochMilli(hit.at("/sort/1").asLong()),
                        exemplar.map(e -> e.get("traceId").asText())));
            }
        }
        rows.sort(Comparator.comparingLong(Row::micros)
                .reversed()
                .thenComparing(Row::service)
                .thenComparing(Row::operation));
        return List.copyOf(rows.subList(0, Math.min(MAX_ROWS, rows.size())));
    }
}
