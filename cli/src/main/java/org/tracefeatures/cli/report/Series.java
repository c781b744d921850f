package org.tracefeatures.cli.report;

import java.util.List;
import java.util.Objects;

/** One line (or stacked area) of a chart: a value per histogram bucket, null where the bucket has none. */
public record Series(String name, List<Point> points) {

    /** @param timeMillis the bucket's start, epoch milliseconds */
    public record Point(long timeMillis, Double value) {}

    public boolean hasValues() {
        return points.stream().map(Point::value).anyMatch(Objects::nonNull);
    }
}
