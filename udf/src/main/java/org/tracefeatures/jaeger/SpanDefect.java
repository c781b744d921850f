package org.tracefeatures.jaeger;

/**
 * Why a Kafka record cannot join a trace. Such a record is skipped and counted rather than failing the
 * job, and rather than being merged with other broken spans into one giant trace under an empty id.
 */
public enum SpanDefect {
    UNDECODABLE("not a span in the input's encoding"),
    EMPTY_TRACE_ID("empty or all-zero trace id"),
    MALFORMED_TRACE_ID("trace id is not 8 or 16 bytes"),
    MALFORMED_SPAN_ID("span id is not 8 bytes"),
    MISSING_PROCESS("span has no process or no service name");

    private final String description;

    SpanDefect(String description) {
        this.description = description;
    }

    public String description() {
        return description;
    }

    /** Metric-friendly name, e.g. {@code emptyTraceId}. */
    public String metricName() {
        StringBuilder name = new StringBuilder();
        for (String word : name().toLowerCase().split("_")) {
            name.append(name.length() == 0 ? word : Character.toUpperCase(word.charAt(0)) + word.substring(1));
        }
        return name.toString();
    }

    /**
     * The first defect of a decoded record, or null for a span fit to use. {@code parseError} is set
     * when the record did not decode at all; {@code serviceNamed}, when its process names a service (a
     * name that is neither null nor empty).
     */
    public static SpanDefect of(String parseError, byte[] traceId, byte[] spanId, boolean serviceNamed) {
        if (parseError != null) {
            return UNDECODABLE;
        }
        if (traceId == null || traceId.length == 0 || JaegerIds.isZero(traceId, 0, traceId.length)) {
            return EMPTY_TRACE_ID;
        }
        if (!JaegerIds.isTraceId(traceId)) {
            return MALFORMED_TRACE_ID;
        }
        if (!JaegerIds.isSpanId(spanId)) {
            return MALFORMED_SPAN_ID;
        }
        if (!serviceNamed) {
            return MISSING_PROCESS;
        }
        return null;
    }
}
