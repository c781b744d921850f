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
 */
public record ReportContent(
        Instant generatedAt,
        URI elasticsearch,
        Optional<Instant> since,
        Optional<TimeRange> range,
        Optional<HistogramInterval> interval,
        List<ChartContent> charts,
        SlowestTraces slowestTraces) {}
