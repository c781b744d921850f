package org.tracefeatures.cli.compare;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.tracefeatures.elasticsearch.ElasticsearchClient;

/**
 * Reads cohorts of sql/trace_features.sql's per-trace documents from Elasticsearch: a count, then a scroll of the
 * fields compared, a page of {@value #PAGE} documents at a time. A cohort of more traces than the limit is sampled
 * uniformly in Elasticsearch (each trace kept with probability limit / count, by a hash of its trace id).
 */
public final class TraceFeaturesReader {
    /** The numeric fields of a document that are features; a document may lack the latencies. */
    public static final List<String> SCALARS = List.of(
            "spanCount",
            "durationMicros",
            "rootDurationMicros",
            "rootCount",
            "droppedSpanCount",
            "serviceCount",
            "operationCount",
            "errorCount",
            "depth",
            "serviceDepth",
            "maxFanOut",
            "orphanSpanCount",
            "networkLatencyMaxMicros",
            "networkLatencyAvgMicros");
    /** The maps whose keys are features, named field.key (0 where a trace lacks the key). */
    public static final List<String> MAPS = List.of("spanCounts", "criticalPath", "criticalPathServices");

    static final int PAGE = 5_000;
    private static final long SAMPLING_SEED = 20_261_206L;

    private final ElasticsearchClient elasticsearch;
    private final String index;
    private final PrintWriter progress;

    public TraceFeaturesReader(ElasticsearchClient elasticsearch, String index, PrintWriter progress) {
        this.elasticsearch = elasticsearch;
        this.index = index;
        this.progress = progress;
    }

    /** Both cohorts' queries: the split's, within the time range and root operation given. */
    public record Filter(Optional<Instant> since, Optional<Instant> until, Optional<String> rootOperation) {
        ObjectNode and(ObjectNode query) {
            ObjectNode bool = JsonNodeFactory.instance.objectNode();
            ArrayNode filters = bool.putObject("bool").putArray("filter");
            filters.add(query);
            if (since.isPresent() || until.isPresent()) {
                ObjectNode range = filters.addObject().putObject("range").putObject("@timestamp");
                since.ifPresent(t -> range.put("gte", t.toString()));
                until.ifPresent(t -> range.put("lt", t.toString()));
            }
            rootOperation.ifPresent(op -> filters.addObject().putObject("term").put("rootOperation", op));
            return bool;
        }
    }

    public long count(ObjectNode query) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("size", 0).put("track_total_hits", true).set("query", query);
        return elasticsearch
                .search(index, body.toString())
                .path("hits")
                .path("total")
                .path("value")
                .asLong();
    }

    /** The most common values of a field among the traces of a query, most common first, with their counts. */
    public Map<String, Long> commonValues(String field, ObjectNode query, int size) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("size", 0).set("query", query);
        body.putObject("aggs")
                .putObject("values")
                .putObject("terms")
                .put("field", field)
                .put("size", size);
        Map<String, Long> values = new LinkedHashMap<>();
        for (JsonNode bucket : elasticsearch
                .search(index, body.toString())
                .path("aggregations")
                .path("values")
                .path("buckets")) {
            values.put(bucket.path("key").asText(), bucket.path("doc_count").asLong());
        }
        return values;
    }

    /** The earliest and latest @timestamp of every trace in the index, if it has any. */
    public Optional<Instant[]> timeRange() {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("size", 0);
        ObjectNode aggs = body.putObject("aggs");
        aggs.putObject("first").putObject("min").put("field", "@timestamp");
        aggs.putObject("last").putObject("max").put("field", "@timestamp");
        JsonNode response = elasticsearch.search(index, body.toString());
        JsonNode first = response.path("aggregations").path("first").path("value_as_string");
        JsonNode last = response.path("aggregations").path("last").path("value_as_string");
        if (first.isMissingNode() || first.isNull()) {
            return Optional.empty();
        }
        return Optional.of(new Instant[] {Instant.parse(first.asText()), Instant.parse(last.asText())});
    }

    /**
     * Each root operation's p95 of durationMicros among the traces of a query (Elasticsearch's HDR histogram with 3
     * significant digits: within 0.1 %), for at most 1,000 root operations.
     */
    public Map<String, Double> p95DurationByRootOperation(ObjectNode query) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("size", 0).set("query", query);
        ObjectNode terms = body.putObject("aggs").putObject("operations");
        terms.putObject("terms").put("field", "rootOperation").put("size", 1_000);
        ObjectNode percentiles = terms.putObject("aggs").putObject("p95").putObject("percentiles");
        percentiles.put("field", "durationMicros").putArray("percents").add(95);
        percentiles.putObject("hdr").put("number_of_significant_value_digits", 3);
        Map<String, Double> p95 = new LinkedHashMap<>();
        for (JsonNode bucket : elasticsearch
                .search(index, body.toString())
                .path("aggregations")
                .path("operations")
                .path("buckets")) {
            p95.put(
                    bucket.path("key").asText(),
                    bucket.path("p95").path("values").path("95.0").asDouble());
        }
        return p95;
    }

    /**
     * Every field of the index's mapping with its type: a leaf's Elasticsearch type, or {@code object} for an object
     * (serviceVersions, tags, the maps of numbers). Fields mapped differently in two daily indexes keep the first.
     */
    public Map<String, String> fieldTypes() {
        Map<String, String> types = new java.util.TreeMap<>();
        JsonNode mappings = elasticsearch.get("/" + index + "/_mapping?ignore_unavailable=true");
        for (JsonNode indexMapping : mappings) {
            collectTypes("", indexMapping.path("mappings").path("properties"), types);
        }
        return types;
    }

    private static void collectTypes(String prefix, JsonNode properties, Map<String, String> types) {
        for (Iterator<Map.Entry<String, JsonNode>> it = properties.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            String name = prefix + field.getKey();
            types.putIfAbsent(name, field.getValue().path("type").asText("object"));
            collectTypes(name + ".", field.getValue().path("properties"), types);
        }
    }

    /**
     * The dimensions among the fields of {@link #fieldTypes()}: the keyword fields that hold one value per trace (not traceId, the shape,
     * or the lists errorServices and warnings).
     */
    public static List<String> dimensions(Map<String, String> fieldTypes) {
        List<String> dimensions = new ArrayList<>();
        fieldTypes.forEach((field, type) -> {
            if (type.equals("keyword") && !MULTI_VALUED_OR_UNIQUE.contains(field)) {
                dimensions.add(field);
            }
        });
        return dimensions;
    }

    private static final java.util.Set<String> MULTI_VALUED_OR_UNIQUE =
            java.util.Set.of("traceId", "patternShape", "errorServices", "warnings");

    /** Reads a cohort's traces, at most {@code limit} of them (a uniform sample when more match). */
    public Cohort read(String label, ObjectNode query, long limit) {
        long matching = count(query);
        Cohort cohort = new Cohort(label);
        cohort.setMatching(matching);
        ObjectNode search = JsonNodeFactory.instance.objectNode();
        search.put("size", PAGE);
        search.putArray("sort").add("_doc");
        ArrayNode source = search.putArray("_source");
        List.of("traceId", "patternId", "patternShape", "samplingWeight").forEach(source::add);
        SCALARS.forEach(source::add);
        MAPS.forEach(source::add);
        if (matching > limit) {
            ObjectNode functionScore = search.putObject("query").putObject("function_score");
            functionScore.set("query", query);
            functionScore.putObject("random_score").put("seed", SAMPLING_SEED).put("field", "traceId");
            functionScore.put("boost_mode", "replace");
            search.put("min_score", 1 - (double) limit / matching);
            search.put("track_scores", true);
        } else {
            search.set("query", query);
        }
        JsonNode page =
                elasticsearch.post("/" + index + "/_search?scroll=2m&ignore_unavailable=true", search.toString());
        String scrollId = page.path("_scroll_id").asText(null);
        long lastReport = System.nanoTime();
        try {
            while (page.path("hits").path("hits").size() > 0) {
                for (JsonNode hit : page.path("hits").path("hits")) {
                    add(cohort, hit.path("_source"));
                }
                if (System.nanoTime() - lastReport > 2_000_000_000L) {
                    progress.printf(
                            "compare: %s: %,d of %,d traces read%n", label, cohort.size(), Math.min(matching, limit));
                    lastReport = System.nanoTime();
                }
                ObjectNode next = JsonNodeFactory.instance
                        .objectNode()
                        .put("scroll", "2m")
                        .put("scroll_id", scrollId);
                page = elasticsearch.post("/_search/scroll", next.toString());
                scrollId = page.path("_scroll_id").asText(scrollId);
            }
        } finally {
            if (scrollId != null) {
                try {
                    elasticsearch.send(
                            "DELETE",
                            "/_search/scroll",
                            JsonNodeFactory.instance
                                    .objectNode()
                                    .put("scroll_id", scrollId)
                                    .toString());
                } catch (java.io.IOException e) {
                    // the scroll expires by itself after 2 minutes
                }
            }
        }
        return cohort;
    }

    private static void add(Cohort cohort, JsonNode document) {
        Map<String, Double> scalars = new HashMap<>();
        for (String name : SCALARS) {
            JsonNode value = document.path(name);
            scalars.put(name, value.isNumber() ? value.asDouble() : null);
        }
        Map<String, Double> keys = new HashMap<>();
        for (String map : MAPS) {
            for (Iterator<Map.Entry<String, JsonNode>> it = document.path(map).fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> entry = it.next();
                if (entry.getValue().isNumber()) {
                    keys.put(map + "." + entry.getKey(), entry.getValue().asDouble());
                }
            }
        }
        cohort.add(
                document.path("traceId").asText(),
                document.path("patternId").asText(null),
                document.path("patternShape").asText(null),
                scalars,
                keys);
        // 1 for documents written before sampling weights existed, as for a trace without a sampling decision
        cohort.addSamplingWeight(document.path("samplingWeight").asDouble(1.0));
    }
}
