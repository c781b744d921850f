package org.tracefeatures.functions;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.apache.flink.types.Row;
import org.junit.jupiter.api.Test;
import org.tracefeatures.trace.dependencies.DependencyLinks;

/** As Flink's AggFunctionTestBase does: the same input whole, and split across accumulators. */
class DependencyLinksFunctionTest {
    private final DependencyLinksFunction function = new DependencyLinksFunction();

    private void trace1(DependencyLinks accumulator) {
        function.accumulate(accumulator, "ui", "frontend", 1L, 0L, "tracefeatures");
        function.accumulate(accumulator, "driver", "redis", 11L, 1L, "tracefeatures");
    }

    private void trace2(DependencyLinks accumulator) {
        function.accumulate(accumulator, "driver", "redis", 11L, 2L, "tracefeatures");
        function.accumulate(accumulator, "frontend", "route", 10L, 0L, "tracefeatures");
    }

    private void trace3(DependencyLinks accumulator) {
        function.accumulate(accumulator, "ui", "frontend", 1L, null, "tracefeatures");
        function.accumulate(accumulator, null, "frontend", 5L, 0L, "tracefeatures"); // no caller: skipped
        function.accumulate(accumulator, "ui", "frontend", 3L, 0L, "jaeger"); // another source: its own link
    }

    // by hand: driver->redis 11 + 11 calls, 1 + 2 errors; ui->frontend 1 + 1 calls from tracefeatures
    private static final List<Row> EXPECTED = List.of(
            Row.of("driver", "redis", 22L, 3L, "tracefeatures"),
            Row.of("frontend", "route", 10L, 0L, "tracefeatures"),
            Row.of("ui", "frontend", 3L, 0L, "jaeger"),
            Row.of("ui", "frontend", 2L, 0L, "tracefeatures"));

    @Test
    void sumsCallsAndErrorsPerLinkSorted() {
        DependencyLinks accumulator = function.createAccumulator();
        trace1(accumulator);
        trace2(accumulator);
        trace3(accumulator);

        assertThat(function.getValue(accumulator)).containsExactlyElementsOf(EXPECTED);
    }

    @Test
    void mergeOfSplitInputEqualsTheWholeInput() {
        DependencyLinks first = function.createAccumulator();
        trace3(first);
        DependencyLinks second = function.createAccumulator();
        trace1(second);
        DependencyLinks third = function.createAccumulator();
        trace2(third);

        DependencyLinks merged = function.createAccumulator();
        function.merge(merged, List.of(first, function.createAccumulator(), second, third));

        assertThat(function.getValue(merged)).containsExactlyElementsOf(EXPECTED);
    }

    @Test
    void noCallsGiveAnEmptyArray() {
        assertThat(function.getValue(function.createAccumulator())).isEmpty();
    }
}
