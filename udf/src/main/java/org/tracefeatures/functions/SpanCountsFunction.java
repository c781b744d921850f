package org.tracefeatures.functions;

import org.apache.flink.table.annotation.DataTypeHint;
import org.apache.flink.table.functions.ScalarFunction;
import org.tracefeatures.trace.Span;
import org.tracefeatures.trace.SpanCounts;

import java.util.Arrays;
import java.util.Map;

/**
 * {@code SPAN_COUNTS(spans)}: "service::operation" to the number of such spans in the trace. Takes
 * {@code COLLECT_TRACE}'s output, where each span is there once already.
 */
public class SpanCountsFunction extends ScalarFunction {
    public @DataTypeHint("MAP<STRING, BIGINT>") Map<String, Long> eval(Span[] spans) {
        return SpanCounts.of(Arrays.asList(spans));
    }
}
