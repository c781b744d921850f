package org.tracefeatures.functions;

import org.apache.flink.table.annotation.DataTypeHint;
import org.apache.flink.table.data.ArrayData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.functions.ScalarFunction;
import org.tracefeatures.jaeger.JaegerIds;
import org.tracefeatures.jaeger.SpanReference;

/**
 * {@code PARENT_SPAN_ID(references, trace_id)}: the span id (hex) of the span's parent, its first
 * reference to a span of the same trace (CHILD_OF before FOLLOWS_FROM); NULL for a root.
 */
public class ParentSpanIdFunction extends ScalarFunction {
    public @DataTypeHint(value = "STRING", bridgedTo = StringData.class) StringData eval(
            @DataTypeHint(value = References.TYPE, bridgedTo = ArrayData.class) ArrayData references, byte[] traceId) {
        SpanReference parent = References.parent(traceId, references);
        return parent == null ? null : StringData.fromBytes(JaegerIds.spanIdDigits(parent.spanId));
    }
}
