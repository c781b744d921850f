package org.tracefeatures.functions;

import org.apache.flink.table.functions.AggregateFunction;
import org.tracefeatures.latency.LatencySketch;

/**
 * {@code LATENCY_SKETCH(duration_micros)}: a sketch of the group's latencies from which
 * {@code LATENCY_PERCENTILE} reads percentiles within 1/128 (see {@link LatencySketch}).
 * {@code LATENCY_SKETCH(sketch)} merges sketches, for a stage that adds up the groups of an earlier
 * one; the result equals the sketch of all their latencies at once. Nulls are skipped; an empty group
 * gives an empty sketch.
 */
public class LatencySketchFunction extends AggregateFunction<LatencySketch, LatencySketch> {

    @Override
    public LatencySketch createAccumulator() {
        return new LatencySketch();
    }

    public void accumulate(LatencySketch accumulator, Long latency) {
        if (latency != null) {
            accumulator.add(latency);
        }
    }

    public void accumulate(LatencySketch accumulator, LatencySketch partial) {
        if (partial != null) {
            accumulator.addAll(partial);
        }
    }

    public void merge(LatencySketch accumulator, Iterable<LatencySketch> others) {
        for (LatencySketch other : others) {
            accumulator.addAll(other);
        }
    }

    @Override
    public LatencySketch getValue(LatencySketch accumulator) {
        return accumulator.copy();
    }
}
