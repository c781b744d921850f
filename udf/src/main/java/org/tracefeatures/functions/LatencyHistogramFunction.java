package org.tracefeatures.functions;

import java.util.ArrayList;
import java.util.List;
import org.apache.flink.table.api.DataTypes;
import org.apache.flink.table.catalog.DataTypeFactory;
import org.apache.flink.table.functions.AggregateFunction;
import org.apache.flink.table.types.DataType;
import org.apache.flink.table.types.inference.InputTypeStrategies;
import org.apache.flink.table.types.inference.TypeInference;
import org.apache.flink.table.types.inference.TypeStrategies;
import org.apache.flink.types.Row;
import org.tracefeatures.latency.LatencyHistogram;

/**
 * {@code LATENCY_HISTOGRAM(duration_micros)}: how many of the group's latencies are at or below each
 * bound of the OpenTelemetry spanmetrics default histogram, as a row of cumulative counts
 * {@code le2ms ... le15000ms, leInf} (see {@link LatencyHistogram}). {@code LATENCY_HISTOGRAM(histogram)}
 * adds up such rows, for a stage that adds up the groups of an earlier one. Nulls are skipped.
 */
public class LatencyHistogramFunction extends AggregateFunction<Row, LatencyHistogram> {
    /** The result: one BIGINT field per bound of {@link LatencyHistogram#BOUNDS_MILLIS} (le2ms ...), then leInf. */
    static DataType rowType() {
        return bucketRow(DataTypes.BIGINT());
    }

    /** A row with a field of type {@code each} per bucket: le2ms ... per bound, then leInf. */
    static DataType bucketRow(DataType each) {
        List<DataTypes.Field> fields = new ArrayList<>();
        for (long bound : LatencyHistogram.BOUNDS_MILLIS) {
            fields.add(DataTypes.FIELD("le" + bound + "ms", each));
        }
        fields.add(DataTypes.FIELD("leInf", each));
        return DataTypes.ROW(fields.toArray(DataTypes.Field[]::new));
    }

    /** Latencies in microseconds, or such rows of partial results; the same row type out. */
    @Override
    public TypeInference getTypeInference(DataTypeFactory typeFactory) {
        DataType row = rowType();
        return TypeInference.newBuilder()
                .inputTypeStrategy(InputTypeStrategies.or(
                        InputTypeStrategies.sequence(InputTypeStrategies.explicit(DataTypes.BIGINT())),
                        InputTypeStrategies.sequence(InputTypeStrategies.explicit(row))))
                .accumulatorTypeStrategy(TypeStrategies.explicit(typeFactory.createDataType(LatencyHistogram.class)))
                .outputTypeStrategy(TypeStrategies.explicit(row))
                .build();
    }

    @Override
    public LatencyHistogram createAccumulator() {
        return new LatencyHistogram();
    }

    public void accumulate(LatencyHistogram accumulator, Long micros) {
        if (micros != null) {
            accumulator.add(micros);
        }
    }

    public void accumulate(LatencyHistogram accumulator, Row partial) {
        if (partial == null) {
            return;
        }
        long[] counts = new long[partial.getArity()];
        for (int i = 0; i < counts.length; i++) {
            Long count = (Long) partial.getField(i);
            counts[i] = count == null ? 0 : count;
        }
        accumulator.addCounts(counts);
    }

    public void merge(LatencyHistogram accumulator, Iterable<LatencyHistogram> others) {
        for (LatencyHistogram other : others) {
            accumulator.addCounts(other.counts);
        }
    }

    @Override
    public Row getValue(LatencyHistogram accumulator) {
        Row row = new Row(LatencyHistogram.SIZE);
        for (int i = 0; i < LatencyHistogram.SIZE; i++) {
            row.setField(i, accumulator.counts[i]);
        }
        return row;
    }
}
