package org.tracefeatures.simulator;

import java.time.Duration;
import java.util.Map;

/**
 * What a run wrote to Kafka, every span acknowledged.
 *
 * @param failedTraces traces in which some endpoint failed (their root span has {@code error=true})
 * @param tracesByTestName traces per value of the root span's {@code test_name} tag
 */
public record SimulationSummary(
        long traces, long spans, long failedTraces, Duration elapsed, Map<String, Long> tracesByTestName) {

    public SimulationSummary {
        tracesByTestName = Map.copyOf(tracesByTestName);
    }

    public double seconds() {
        return elapsed.toNanos() / 1e9;
    }
}
