package org.tracefeatures.cli.report;

import java.util.List;
import java.util.Optional;

/**
 * A chart as the report shows it: its series, or the message that stands in for them.
 *
 * @param message present exactly when there is nothing to draw
 */
public record ChartContent(ChartDefinition definition, List<Series> series, Optional<String> message) {

    public static ChartContent drawn(ChartDefinition definition, List<Series> series) {
        return new ChartContent(definition, series, Optional.empty());
    }

    public static ChartContent empty(ChartDefinition definition, String message) {
        return new ChartContent(definition, List.of(), Optional.of(message));
    }
}
