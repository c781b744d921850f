package org.tracefeatures.cli.report;

import java.util.List;
import org.tracefeatures.cli.report.ChartDefinition.Metric;
import org.tracefeatures.cli.report.ChartDefinition.SeriesOrder;

/**
 * The report's charts: the book's chart and other charts of the Kibana dashboard
 * (docker/kibana/saved-objects.ndjson), with the same titles, metrics and series. The dashboard shows the critical
 * path as a pie of the whole time range; here it is a stacked area over time, so the share's change shows.
 */
public final class ReportCharts {
    public static final String ROUTE_CALLS_FIELD = "spanCounts.route::/GetShortestRoute";

    private ReportCharts() {}

    /**
     * The charts over the given indexes (the sink tables' defaults: trace-summaries, trace-features,
     * trace-critical-path, service-graph).
     */
    public static List<ChartDefinition> over(
            String summariesIndex, String featuresIndex, String criticalPathIndex, String serviceGraphIndex) {
        return List.of(
                new ChartDefinition(
                        "route-calls",
                        "Spans of route::/GetShortestRoute per trace, by test",
                        "The book's chart (Mastering Distributed Tracing, ch. 12): how many times a trace calls route"
                                + " /GetShortestRoute, averaged over the traces of each time bucket, one line per testName."
                                + " A change that cuts the calls shows as a step from one line to the other.",
                        summariesIndex,
                        "sql/span_count.sql",
                        "testName",
                        SeriesOrder.BY_NAME,
                        Metric.AVG,
                        ROUTE_CALLS_FIELD,
                        "average " + ROUTE_CALLS_FIELD,
                        false,
                        false),
                new ChartDefinition(
                        "duration",
                        "Trace duration by root operation",
                        "Average of durationMicros (latest span end minus earliest span start) per time bucket,"
                                + " one line per rootOperation.",
                        featuresIndex,
                        "sql/trace_features.sql",
                        "rootOperation",
                        SeriesOrder.BY_METRIC,
                        Metric.AVG,
                        "durationMicros",
                        "average durationMicros (µs)",
                        false,
                        false),
                new ChartDefinition(
                        "errors",
                        "Error spans by root operation",
                        "Sum of errorCount (spans with the error flag) per time bucket, one line per rootOperation.",
                        featuresIndex,
                        "sql/trace_features.sql",
                        "rootOperation",
                        SeriesOrder.BY_METRIC,
                        Metric.SUM,
                        "errorCount",
                        "sum of errorCount (spans)",
                        false,
                        false),
                new ChartDefinition(
                        "critical-path",
                        "Critical-path share by service",
                        "Sum of micros (time on the root span's critical path) per time bucket, stacked by service:"
                                + " which services the traces wait for.",
                        criticalPathIndex,
                        "sql/trace_features.sql",
                        "service",
                        SeriesOrder.BY_METRIC,
                        Metric.SUM,
                        "micros",
                        "sum of micros (µs), stacked",
                        true,
                        false),
                new ChartDefinition(
                        "edge-latency",
                        "Edge latency (client p95) per edge",
                        "Average of clientP95Micros (per minute and edge of the service graph, the 95th percentile of"
                                + " the client spans' durations: the latency the caller sees) over the minutes in each"
                                + " time bucket, one line per edge (client -> server), the slowest first; the line (none)"
                                + " is the client spans whose callee is unknown, and requests from user (a caller that"
                                + " reports no spans) have no client latency: a line without points. A document is a"
                                + " minute, stamped with the minute's start: the chart takes the whole minute the"
                                + " report's range starts in.",
                        serviceGraphIndex,
                        "sql/service_dependencies.sql",
                        "edge",
                        SeriesOrder.BY_METRIC,
                        Metric.AVG,
                        "clientP95Micros",
                        "average clientP95Micros (µs)",
                        false,
                        true));
    }
}
