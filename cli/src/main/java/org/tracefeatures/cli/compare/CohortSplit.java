package org.tracefeatures.cli.compare;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Map;
import org.tracefeatures.documents.FieldSafeMap;

/** How the traces are split into the two cohorts compared: the first is the baseline, the second the change. */
public sealed interface CohortSplit {

    /** The label of each cohort, for the output. */
    String firstLabel();

    String secondLabel();

    /** A dimension's two values: traces with {@code field = first} against traces with {@code field = second}. */
    record ByValue(String field, String first, String second) implements CohortSplit {
        /**
         * A dimension as the user names it: {@code version:SERVICE} (the service's service.version), {@code
         * tag:NAME} (a tag of the trace's dimensions in sql/init/traces.sql), or a field of the documents as it is
         * (testName, environment, rootService, rootOperation, patternId, ...).
         */
        public static ByValue of(String dimension, String first, String second) {
            return new ByValue(field(dimension), first, second);
        }

        static String field(String dimension) {
            if (dimension.startsWith("version:")) {
                return "serviceVersions."
                        + dimension.substring("version:".length()).replace('.', FieldSafeMap.DOT_REPLACEMENT);
            }
            if (dimension.startsWith("tag:")) {
                return "tags." + dimension.substring("tag:".length());
            }
            return dimension;
        }

        @Override
        public String firstLabel() {
            return field + " = " + first;
        }

        @Override
        public String secondLabel() {
            return field + " = " + second;
        }
    }

    /** Before a time (say a deploy's) against from that time on, by the traces' @timestamp. */
    record ByTime(Instant at) implements CohortSplit {
        @Override
        public String firstLabel() {
            return "before " + at;
        }

        @Override
        public String secondLabel() {
            return "from " + at;
        }
    }

    /** Traces without a span with the error flag against traces with one. */
    record ByErrors() implements CohortSplit {
        @Override
        public String firstLabel() {
            return "without errors";
        }

        @Override
        public String secondLabel() {
            return "with errors";
        }
    }

    /**
     * Traces at or under their root operation's p95 duration against those above it, each root operation's p95 taken
     * over the traces of the time range (see {@link TraceFeaturesReader#p95DurationByRootOperation}).
     */
    record BySlowness(Map<String, Double> p95ByRootOperation) implements CohortSplit {
        @Override
        public String firstLabel() {
            return "durationMicros <= p95 of its root operation";
        }

        @Override
        public String secondLabel() {
            return "durationMicros > p95 of its root operation";
        }
    }

    /** The query of each cohort. */
    default ObjectNode query(boolean second) {
        JsonNodeFactory json = JsonNodeFactory.instance;
        ObjectNode query = json.objectNode();
        if (this instanceof ByValue byValue) {
            // a trace with both values (a field with several, like an array) belongs to neither cohort
            ObjectNode bool = query.putObject("bool");
            bool.putArray("filter")
                    .addObject()
                    .putObject("term")
                    .put(byValue.field(), second ? byValue.second() : byValue.first());
            bool.putArray("must_not")
                    .addObject()
                    .putObject("term")
                    .put(byValue.field(), second ? byValue.first() : byValue.second());
        } else if (this instanceof ByTime byTime) {
            query.putObject("range")
                    .putObject("@timestamp")
                    .put(second ? "gte" : "lt", byTime.at().toString());
        } else if (this instanceof ByErrors) {
            query.putObject("range").putObject("errorCount").put(second ? "gt" : "lte", 0);
        } else {
            // over its root operation's p95, for any root operation
            ArrayNode slow = json.arrayNode();
            ((BySlowness) this).p95ByRootOperation().forEach((operation, p95) -> {
                ArrayNode both = slow.addObject().putObject("bool").putArray("filter");
                both.addObject().putObject("term").put("rootOperation", operation);
                both.addObject().putObject("range").putObject("durationMicros").put("gt", p95);
            });
            ObjectNode bool = query.putObject("bool");
            if (second) {
                bool.set("should", slow);
                bool.put("minimum_should_match", 1);
            } else {
                bool.set("must_not", slow);
            }
        }
        return query;
    }
}
