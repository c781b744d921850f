package org.tracefeatures.functions;

import org.apache.flink.table.annotation.DataTypeHint;
import org.apache.flink.table.data.ArrayData;
import org.apache.flink.table.functions.ScalarFunction;
import org.tracefeatures.jaeger.SpanReference;

/**
 * {@code PARENT_REFERENCE_TYPE(references, trace_id)}: CHILD_OF or FOLLOWS_FROM, the type of the
 * reference {@code PARENT_SPAN_ID} chose; NULL for a root.
 */
public class ParentReferenceTypeFunction extends ScalarFunction {
    public String eval(
            @DataTypeHint(value = References.TYPE, bridgedTo = ArrayData.class) ArrayData references, byte[] traceId) {
        SpanReference parent = References.parent(traceId, references);
        return parent == null ? null : (parent.type == null ? "CHILD_OF" : parent.type);
    }
}
