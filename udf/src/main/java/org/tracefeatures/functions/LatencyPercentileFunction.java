package org.tracefeatures.functions;

import org.apache.flink.table.functions.ScalarFunction;
import org.tracefeatures.latency.LatencySketch;

/**
 * {@code LATENCY_PERCENTILE(sketch, q)}: the nearest-rank percentile q (0.95 for p95) of a
 * {@code LATENCY_SKETCH}, within 1/128 of the exact value (see {@link LatencySketch#percentile}); null
 * for an empty or null sketch. A q outside 0..1 fails the job with a message saying so.
 */
public class LatencyPercentileFunction extends ScalarFunction {
    public Long eval(LatencySketch sketch, Double q) {
        if (sketch == null || q == null) {
            return null;
        }
        return sketch.percentile(q);
    }
}
