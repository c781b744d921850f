package org.tracefeatures.functions;

import org.apache.flink.metrics.MetricGroup;

/**
 * The one Flink metric group that the functions and the Elasticsearch sink count in, {@value #GROUP}: a user finds every
 * tracefeatures metric of a task under it (docs/bad-input-and-late-spans.md lists them and how they add up).
 */
public final class TracefeaturesMetrics {
    public static final String GROUP = "tracefeatures";

    private TracefeaturesMetrics() {}

    /** The tracefeatures group under a task's or operator's metric group. */
    public static MetricGroup of(MetricGroup parent) {
        return parent.addGroup(GROUP);
    }
}
