package org.tracefeatures.functions;

import org.apache.flink.table.api.DataTypes;
import org.apache.flink.table.catalog.DataTypeFactory;
import org.apache.flink.table.functions.AggregateFunction;
import org.apache.flink.table.types.DataType;
import org.apache.flink.table.types.inference.InputTypeStrategies;
import org.apache.flink.table.types.inference.TypeInference;
import org.apache.flink.table.types.inference.TypeStrategies;
import org.apache.flink.types.Row;
import org.tracefeatures.latency.LatencyExemplars;
import org.tracefeatures.latency.LatencyHistogram;

/**
 * {@code LATENCY_EXEMPLARS(trace_id, duration_micros)}: for each bucket of LATENCY_HISTOGRAM's bounds, the
 * slowest of the group's latencies that falls in it and its trace id, as a row {@code le2ms ... le15000ms, leInf}
 * of {@code ROW<traceId STRING, micros BIGINT>} (null for a bucket without latencies; see
 * {@link LatencyExemplars}: the buckets do not overlap). {@code LATENCY_EXEMPLARS(exemplars)} combines such rows,
 * for a stage that adds up the groups of an earlier one. Rows with a null latency or trace id are skipped.
 */
public class LatencyExemplarsFunction extends AggregateFunction<Row, LatencyExemplars> {
    /** One exemplar: the trace id and its latency in microseconds. */
    static final DataType EXEMPLAR = DataTypes.ROW(
            DataTypes.FIELD("traceId", DataTypes.STRING()), DataTypes.FIELD("micros", DataTypes.BIGINT()));

    /** The result: one exemplar per bucket, named as {@link LatencyHistogramFunction#rowType()} names the bounds. */
    static DataType rowType() {
        return LatencyHistogramFunction.bucketRow(EXEMPLAR);
    }

    /** A trace id and a latency in microseconds, or such rows of partial results; the same row type out. */
    @Override
    public TypeInference getTypeInference(DataTypeFactory typeFactory) {
        DataType row = rowType();
        return TypeInference.newBuilder()
                .inputTypeStrategy(InputTypeStrategies.or(
                        InputTypeStrategies.sequence(
                                InputTypeStrategies.explicit(DataTypes.STRING()),
                                InputTypeStrategies.explicit(DataTypes.BIGINT())),
                        InputTypeStrategies.sequence(InputTypeStrategies.explicit(row))))
                .accumulatorTypeStrategy(TypeStrategies.explicit(typeFactory.createDataType(LatencyExemplars.class)))
                .outputTypeStrategy(TypeStrategies.explicit(row))
                .build();
    }

    @Override
    public LatencyExemplars createAccumulator() {
        return new LatencyExemplars();
    }

    public void accumulate(LatencyExemplars accumulator, String traceId, Long micros) {
        if (micros != null) {
            accumulator.add(traceId, micros);
        }
    }

    public void accumulate(LatencyExemplars accumulator, Row partial) {
        if (partial == null) {
            return;
        }
        for (int i = 0; i < LatencyHistogram.SIZE; i++) {
            Row exemplar = (Row) partial.getField(i);
            if (exemplar != null && exemplar.getField(1) != null) {
                accumulator.offer(i, (String) exemplar.getField(0), (Long) exemplar.getField(1));
            }
        }
    }

    public void merge(LatencyExemplars accumulator, Iterable<LatencyExemplars> others) {
        for (LatencyExemplars other : others) {
            accumulator.addAll(other);
        }
    }

    @Override
    public Row getValue(LatencyExemplars accumulator) {
        Row row = new Row(LatencyHistogram.SIZE);
        for (int i = 0; i < LatencyHistogram.SIZE; i++) {
            if (accumulator.traceIds[i] != null) {
                row.setField(i, Row.of(accumulator.traceIds[i], accumulator.micros[i]));
            }
        }
        return row;
    }
}
