package org.tracefeatures.functions;

import org.junit.jupiter.api.Test;
import org.tracefeatures.trace.Span;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** As Flink's AggFunctionTestBase does: the same input whole, and split across accumulators. */
class CollectTraceFunctionTest {
    private final CollectTraceFunction function = new CollectTraceFunction();

    private static final Span ROOT = new Span("0000000000000001", null, null, "ui", "/", "server", false, 1000, 500);
    private static final Span CLIENT =
            new Span("0000000000000002", "0000000000000001", "CHILD_OF", "ui", "HTTP GET", "client", false, 1100, 300);
    // Zipkin-style: the server half shares the client's span id
    private static final Span SERVER =
            new Span("0000000000000002", "0000000000000001", "CHILD_OF", "frontend", "/dispatch", "server", true, 1150, 200);
    private static final Span LEAF =
            new Span("0000000000000003", "0000000000000002", "CHILD_OF", "frontend", "sql", null, false, 1200, 10);

    private void add(TraceAccumulator accumulator, Span span) {
        function.accumulate(
                accumulator,
                span.spanId,
                span.parentSpanId,
                span.referenceType,
                span.service,
                span.operation,
                span.spanKind,
                span.error,
                span.startMicros,
                span.durationMicros);
    }

    @Test
    void collectsEachSpanOnceSortedByStart() {
        TraceAccumulator accumulator = function.createAccumulator();
        for (Span span : List.of(LEAF, ROOT, SERVER, CLIENT, LEAF)) {
            add(accumulator, span);
        }

        assertThat(function.getValue(accumulator)).containsExactly(ROOT, CLIENT, SERVER, LEAF);
    }

    @Test
    void mergeOfSplitInputEqualsTheWholeInput() {
        TraceAccumulator first = function.createAccumulator();
        add(first, LEAF);
        add(first, ROOT);
        TraceAccumulator second = function.createAccumulator();
        add(second, SERVER);
        add(second, LEAF); // delivered twice, once into each session
        TraceAccumulator third = function.createAccumulator();
        add(third, CLIENT);
        TraceAccumulator empty = function.createAccumulator();

        TraceAccumulator merged = function.createAccumulator();
        function.merge(merged, List.of(first, second, empty, third));

        assertThat(function.getValue(merged)).containsExactly(ROOT, CLIENT, SERVER, LEAF);
    }

    @Test
    void missingTimesAndErrorFlagAreZeroAndFalse() {
        TraceAccumulator accumulator = function.createAccumulator();
        function.accumulate(accumulator, "0000000000000009", null, null, "svc", "op", null, null, null, null);

        assertThat(function.getValue(accumulator))
                .containsExactly(new Span("0000000000000009", null, null, "svc", "op", null, false, 0, 0));
    }
}
