package org.tracefeatures.functions;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.table.api.DataTypes;
import org.apache.flink.table.catalog.DataTypeFactory;
import org.apache.flink.table.data.ArrayData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.functions.ScalarFunction;
import org.apache.flink.table.types.inference.InputTypeStrategies;
import org.apache.flink.table.types.inference.TypeInference;
import org.apache.flink.table.types.inference.TypeStrategies;
import org.tracefeatures.trace.Span;
import org.tracefeatures.trace.SpanCounts;

/**
 * {@code SPAN_COUNTS(spans)}: "service::operation" to the number of such spans in the trace, as
 * {@link SpanCounts} counts them. Takes {@code COLLECT_TRACE}'s output, where each span is there once already.
 *
 * <p>Takes the spans in Flink's internal form and reads only their service and operation, decoding each
 * distinct pair once: {@link Span} objects would decode every string of every span to use two of them.
 */
public class SpanCountsFunction extends ScalarFunction {

    /** Declares the argument as {@code Span[]} would be, handed over in Flink's internal form. */
    @Override
    public TypeInference getTypeInference(DataTypeFactory typeFactory) {
        return TypeInference.newBuilder()
                .inputTypeStrategy(InputTypeStrategies.explicitSequence(SpanRow.spansType(typeFactory)))
                .outputTypeStrategy(TypeStrategies.explicit(DataTypes.MAP(DataTypes.STRING(), DataTypes.BIGINT())))
                .build();
    }

    public Map<String, Long> eval(ArrayData spans) {
        if (spans == null) {
            return null;
        }
        Map<ServiceOperation, Long> counts = new HashMap<>();
        for (int i = 0; i < spans.size(); i++) {
            RowData span = spans.getRow(i, SpanRow.FIELDS);
            counts.merge(
                    new ServiceOperation(string(span, SpanRow.SERVICE), string(span, SpanRow.OPERATION)),
                    1L,
                    Long::sum);
        }
        Map<String, Long> byName = new TreeMap<>();
        counts.forEach((key, count) -> byName.merge(key.name(), count, Long::sum));
        return byName;
    }

    private static StringData string(RowData span, int field) {
        return span.isNullAt(field) ? null : span.getString(field);
    }

    private record ServiceOperation(StringData service, StringData operation) {
        String name() {
            return Span.serviceOperation(service, operation);
        }
    }
}
