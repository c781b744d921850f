package org.tracefeatures.functions;

import java.util.ArrayList;
import java.util.List;
import org.apache.flink.table.data.ArrayData;
import org.apache.flink.table.data.RowData;
import org.tracefeatures.jaeger.SpanReference;

/**
 * The {@code references} column of the raw Jaeger span table, as flink-protobuf maps it, in Flink's
 * internal form (the functions that read it run for every span; see {@link TagsMapFunction}).
 */
final class References {
    static final String TYPE = "ARRAY<ROW<trace_id BYTES, span_id BYTES, ref_type STRING>>";
    private static final int REFERENCE_FIELDS = 3;

    private References() {}

    static SpanReference parent(byte[] traceId, ArrayData references) {
        if (references == null || references.size() == 0) {
            return null;
        }
        List<SpanReference> list = new ArrayList<>(references.size());
        for (int i = 0; i < references.size(); i++) {
            if (references.isNullAt(i)) {
                continue;
            }
            RowData reference = references.getRow(i, REFERENCE_FIELDS);
            list.add(new SpanReference(
                    reference.isNullAt(0) ? null : reference.getBinary(0),
                    reference.isNullAt(1) ? null : reference.getBinary(1),
                    reference.isNullAt(2) ? null : reference.getString(2).toString()));
        }
        return SpanReference.parentOf(traceId, list);
    }
}
