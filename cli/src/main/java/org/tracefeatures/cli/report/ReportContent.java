package org.tracefeatures.cli.report;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Everything one report page shows.
 *
 * @param range the documents' time range; empty when no index holds a document (since {@code since})
 * @param interval the histogram bucket width, present with the range
 * @param slowestTraces the table below the charts
 * @param comparison the section of report --compare-by, if asked for
 */
public record ReportContent(
        Instant generatedAt,
        URI elasticsearch,
        Optional<Instant> since,
        Optional<TimeRange> range,
        Optional<HistogramInterval> interval,
        List<ChartContent> charts,
        SlowestTraces slowestTraces,
        Optional<ComparisonSection> comparison) {}
