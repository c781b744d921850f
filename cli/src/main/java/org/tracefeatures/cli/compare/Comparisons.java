package org.tracefeatures.cli.compare;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Reads the two cohorts of a split and compares them, refusing with a message of what to change when there is
 * nothing meaningful to compare: no documents, a time range without traces, a dimension no trace has, a value no
 * trace has, or a cohort of fewer than {@value CohortComparison#MIN_TRACES} traces.
 */
public final class Comparisons {
    private Comparisons() {}

    /** What compare says it did besides the result: how many traces matched and whether they were sampled. */
    public record Outcome(CohortComparison.Result result, long limit) {
        public boolean sampled() {
            return result.first().matching() > result.first().size()
                    || result.second().matching() > result.second().size();
        }
    }

    public static Outcome run(
            TraceFeaturesReader reader,
            String index,
            CohortSplit split,
            TraceFeaturesReader.Filter filter,
            long limit) {
        Optional<Instant[]> range = reader.timeRange();
        if (range.isEmpty()) {
            throw new CompareException("no trace in index " + index + ": run sql/trace_features.sql first"
                    + " (bin/tracefeatures run trace_features.sql), or name the index with --features-index");
        }
        long inRange = reader.count(filter.and(matchAll()));
        if (inRange == 0) {
            throw new CompareException("no trace" + describe(filter) + "; the traces in " + index + " start from "
                    + range.get()[0] + " to " + range.get()[1] + ": change --since, --until or --root-operation");
        }
        if (split instanceof CohortSplit.ByValue byValue) {
            checkDimension(reader, index, byValue, filter);
        }
        if (split instanceof CohortSplit.BySlowness) {
            split = new CohortSplit.BySlowness(reader.p95DurationByRootOperation(filter.and(matchAll())));
        }
        Cohort first = reader.read(split.firstLabel(), filter.and(split.query(false)), limit);
        Cohort second = reader.read(split.secondLabel(), filter.and(split.query(true)), limit);
        for (Cohort cohort : List.of(first, second)) {
            if (cohort.size() < CohortComparison.MIN_TRACES) {
                throw new CompareException("cohort '" + cohort.label() + "' has " + cohort.size() + " trace"
                        + (cohort.size() == 1 ? "" : "s") + describe(filter) + ", fewer than the "
                        + CohortComparison.MIN_TRACES + " a comparison needs: widen the time range (--since,"
                        + " --until) or pick values with more traces");
            }
        }
        return new Outcome(CohortComparison.compare(first, second, new HashSet<>(TraceFeaturesReader.SCALARS)), limit);
    }

    private static void checkDimension(
            TraceFeaturesReader reader, String index, CohortSplit.ByValue split, TraceFeaturesReader.Filter filter) {
        if (split.first().equals(split.second())) {
            throw new CompareException(
                    "both cohorts are " + split.field() + " = " + split.first() + ": give two different values");
        }
        Map<String, String> fieldTypes = reader.fieldTypes();
        String type = fieldTypes.get(split.field());
        List<String> dimensions = TraceFeaturesReader.dimensions(fieldTypes);
        String known = "; the dimensions the traces in " + index + " carry: " + String.join(", ", dimensions)
                + " (version:SERVICE stands for serviceVersions.SERVICE, tag:NAME for tags.NAME)";
        if (type == null) {
            throw new CompareException("no trace" + describe(filter) + " has " + split.field() + known);
        }
        if (!dimensions.contains(split.field())) {
            throw new CompareException(
                    split.field() + " is " + (type.equals("object") ? "an object" : "of type " + type)
                            + ", not a keyword dimension with one value per trace" + known);
        }
        ObjectNode exists = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
        exists.putObject("exists").put("field", split.field());
        if (reader.count(filter.and(exists)) == 0) {
            throw new CompareException("no trace" + describe(filter) + " has " + split.field() + known);
        }
        Map<String, Long> common = reader.commonValues(split.field(), filter.and(exists), 10);
        for (String value : List.of(split.first(), split.second())) {
            if (!common.containsKey(value)
                    && reader.count(filter.and(split.query(value.equals(split.second())))) == 0) {
                throw new CompareException("no trace" + describe(filter) + " has " + split.field() + " = " + value
                        + "; its most common values: "
                        + common.entrySet().stream()
                                .map(e -> e.getKey() + " (" + e.getValue() + " traces)")
                                .collect(Collectors.joining(", ")));
            }
        }
    }

    private static String describe(TraceFeaturesReader.Filter filter) {
        StringBuilder text = new StringBuilder();
        filter.rootOperation()
                .ifPresent(op -> text.append(" of root operation ").append(op));
        filter.since().ifPresent(t -> text.append(" from ").append(t));
        filter.until().ifPresent(t -> text.append(" until ").append(t));
        return text.toString();
    }

    private static ObjectNode matchAll() {
        ObjectNode query = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
        query.putObject("match_all");
        return query;
    }
}
