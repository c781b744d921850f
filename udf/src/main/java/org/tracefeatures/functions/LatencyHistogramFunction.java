package org.tracefeatures.functions;

import org.apache.flink.table.annotation.DataTypeHint;
import org.apache.flink.table.annotation.FunctionHint;
import org.apache.flink.table.functions.AggregateFunction;
import org.apache.flink.types.Row;
import org.tracefeatures.metrics.LatencyHistogram;

/**
 * {@code LATENCY_HISTOGRAM(duration_micros)}: how many of the group's latencies are at or below each
 * bound of the OpenTelemetry spanmetrics default histogram, as a row of cumulative counts
 * {@code le2ms ... le15000ms, leInf} (see {@link LatencyHistogram}). {@code LATENCY_HISTOGRAM(histogram)}
 * adds up such rows, for a stage that adds up the groups of an earlier one. Nulls are skipped.
 */
@FunctionHint(
        accumulator = @DataTypeHint(bridgedTo = LatencyHistogram.class),
        output = @DataTypeHint(LatencyHistogramFunction.ROW_TYPE))
public class LatencyHistogramFunction extends AggregateFunction<Row, LatencyHistogram> {
    /** One field per bound of {@link LatencyHistogram#BOUNDS_MILLIS}, then +Inf. */
    static final String ROW_TYPE = "ROW<le2ms BIGINT, le4ms BIGINT, le6ms BIGINT, le8ms BIGINT, le10ms BIGINT,"
            + " le50ms BIGINT, le100ms BIGINT, le200ms BIGINT, le400ms BIGINT, le800ms BIGINT, le1000ms BIGINT,"
            + " le1400ms BIGINT, le2000ms BIGINT, le5000ms BIGINT, le10000ms BIGINT, le15000ms BIGINT, leInf BIGINT>";

    @Override
    public LatencyHistogram createAccumulator() {
        return new LatencyHistogram();
    }

    public void accumulate(LatencyHistogram accumulator, Long micros) {
        if (micros != null) {
            accumulator.add(micros);
        }
    }

    public void accumulate(LatencyHistogram accumulator, @DataTypeHint(ROW_TYPE) Row partial) {
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
