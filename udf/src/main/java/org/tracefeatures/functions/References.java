package org.tracefeatures.functions;

import org.apache.flink.types.Row;
import org.tracefeatures.jaeger.SpanReference;

import java.util.ArrayList;
import java.util.List;

/** The {@code references} column of the raw Jaeger span table, as flink-protobuf maps it. */
final class References {
    static final String TYPE = "ARRAY<ROW<trace_id BYTES, span_id BYTES, ref_type STRING>>";

    private References() {}

    static SpanReference parent(byte[] traceId, Row[] references) {
        if (references == null || references.length == 0) {
            return null;
        }
        List<SpanReference> list = new ArrayList<>(references.length);
        for (Row reference : references) {
            if (reference != null) {
                list.add(
                        new SpanReference(
                                (byte[]) reference.getField(0),
                                (byte[]) reference.getField(1),
                                (String) reference.getField(2)));
            }
        }
        return SpanReference.parentOf(traceId, list);
    }
}
