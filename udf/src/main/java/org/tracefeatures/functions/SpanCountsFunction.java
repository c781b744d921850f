package org.tracefeatures.functions;

import org.apache.flink.table.annotation.DataTypeHint;
import org.apache.flink.table.functions.ScalarFunction;
import org.tracefeatures.trace.Span;
import org.tracefeatures.trace.SpanCounts;
import org.tracefeatures.trace.Trace;

import java.util.Arrays;
import java.util.Map;

/** {@code SPAN_COUNTS(spans)}: "service::operation" to the number of such spans in the trace. */
public class SpanCountsFunction extends ScalarFunction {
    public @DataTypeHint("MAP<STRING, BIGINT>") Map<String, Long> eval(Span[] spans) {
        return SpanCounts.of(Trace.of(Arrays.asList(spans)));
    }
}
