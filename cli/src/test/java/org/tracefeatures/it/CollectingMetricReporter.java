package org.tracefeatures.it;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Metric;
import org.apache.flink.metrics.MetricConfig;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.reporter.MetricReporter;
import org.apache.flink.metrics.reporter.MetricReporterFactory;
import org.tracefeatures.runner.RunOptions;

/**
 * A Flink metric reporter that keeps every counter registered in this JVM, so a test can read the
 * counts of a job that ran on a local MiniCluster after it finished. Enabled with
 * {@code metrics.reporter.collect.factory.class}.
 */
public class CollectingMetricReporter implements MetricReporter, MetricReporterFactory {
    public static final String CONFIG_KEY = "metrics.reporter.collect.factory.class";
    private static final Map<String, Counter> COUNTERS = new ConcurrentHashMap<>();

    @Override
    public MetricReporter createMetricReporter(Properties properties) {
        return this;
    }

    @Override
    public void open(MetricConfig config) {}

    @Override
    public void close() {}

    @Override
    public void notifyOfAddedMetric(Metric metric, String metricName, MetricGroup group) {
        if (metric instanceof Counter) {
            COUNTERS.put(group.getMetricIdentifier(metricName), (Counter) metric);
        }
    }

    @Override
    public void notifyOfRemovedMetric(Metric metric, String metricName, MetricGroup group) {
        // kept: the test reads them after the job ended
    }

    public static void clear() {
        COUNTERS.clear();
    }

    /**
     * The options of a bounded run on a MiniCluster in this JVM whose counters this reporter collects ({@code moreArgs}:
     * further options, then the job), after clearing the counters of earlier runs.
     */
    public static RunOptions boundedRun(String... moreArgs) {
        clear();
        List<String> args = new ArrayList<>(
                List.of("--bounded", "--set", CONFIG_KEY + "=" + CollectingMetricReporter.class.getName()));
        args.addAll(List.of(moreArgs));
        return RunOptions.parse(args.toArray(String[]::new));
    }

    /** The sum over all subtasks of the counters whose identifier ends with {@code suffix}. */
    public static long sum(String suffix) {
        return COUNTERS.entrySet().stream()
                .filter(e -> e.getKey().endsWith(suffix))
                .mapToLong(e -> e.getValue().getCount())
                .sum();
    }
}
