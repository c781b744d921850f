package org.tracefeatures.functions;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.table.functions.FunctionContext;
import org.junit.jupiter.api.Test;
import org.tracefeatures.trace.Span;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

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

        CollectedTrace trace = function.getValue(accumulator);
        assertThat(trace.spans).containsExactly(ROOT, CLIENT, SERVER, LEAF);
        assertThat(trace.droppedSpanCount).isZero();
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

        assertThat(function.getValue(merged).spans).containsExactly(ROOT, CLIENT, SERVER, LEAF);
    }

    @Test
    void missingTimesAndErrorFlagAreZeroAndFalse() {
        TraceAccumulator accumulator = function.createAccumulator();
        function.accumulate(accumulator, "0000000000000009", null, null, "svc", "op", null, null, null, null);

        assertThat(function.getValue(accumulator).spans)
                .containsExactly(new Span("0000000000000009", null, null, "svc", "op", null, false, 0, 0));
    }

    private static CollectTraceFunction withMaxSpans(String maxSpans) {
        Configuration jobParameters = new Configuration();
        jobParameters.setString(CollectTraceFunction.MAX_SPANS_PARAMETER, maxSpans);
        CollectTraceFunction capped = new CollectTraceFunction();
        capped.open(new FunctionContext(null, null, jobParameters));
        return capped;
    }

    @Test
    void overTheCapTheEarliestStartingSpansStayAndTheOthersAreCounted() {
        CollectTraceFunction capped = withMaxSpans("2");
        TraceAccumulator accumulator = capped.createAccumulator();
        // arrival order as Jaeger sends them, root last but one: LEAF (1200), ROOT (1000), SERVER (1150) makes
        // three, LEAF starts latest and goes; CLIENT (1100) makes three again, SERVER goes
        for (Span span : List.of(LEAF, ROOT, SERVER, CLIENT)) {
            capped.accumulate(accumulator, span.spanId, span.parentSpanId, span.referenceType, span.service,
                    span.operation, span.spanKind, span.error, span.startMicros, span.durationMicros);
        }

        CollectedTrace trace = capped.getValue(accumulator);
        assertThat(trace.spans).containsExactly(ROOT, CLIENT);
        assertThat(trace.droppedSpanCount).isEqualTo(2);
    }

    @Test
    void overTheCapMergeOfSplitInputEqualsTheWholeInput() {
        CollectTraceFunction capped = withMaxSpans("2");
        TraceAccumulator first = capped.createAccumulator();
        for (Span span : List.of(LEAF, ROOT, SERVER)) { // over the cap on its own: LEAF dropped
            capped.accumulate(first, span.spanId, span.parentSpanId, span.referenceType, span.service,
                    span.operation, span.spanKind, span.error, span.startMicros, span.durationMicros);
        }
        TraceAccumulator second = capped.createAccumulator();
        capped.accumulate(second, CLIENT.spanId, CLIENT.parentSpanId, CLIENT.referenceType, CLIENT.service,
                CLIENT.operation, CLIENT.spanKind, CLIENT.error, CLIENT.startMicros, CLIENT.durationMicros);

        TraceAccumulator merged = capped.createAccumulator();
        capped.merge(merged, List.of(first, second));

        // LEAF dropped in the first part, SERVER in the merge: the same two as from the whole input
        CollectedTrace trace = capped.getValue(merged);
        assertThat(trace.spans).containsExactly(ROOT, CLIENT);
        assertThat(trace.droppedSpanCount).isEqualTo(2);
    }

    @Test
    void theCapDefaultsTo50000() {
        CollectTraceFunction uncapped = new CollectTraceFunction();
        uncapped.open(new FunctionContext(null, null, new Configuration()));
        TraceAccumulator accumulator = uncapped.createAccumulator();
        for (int i = 0; i < 50_001; i++) {
            uncapped.accumulate(accumulator, String.format("%016x", i + 1), null, null, "svc", "op", null, false,
                    (long) (50_001 - i), 1L); // the first span starts latest
        }

        CollectedTrace trace = uncapped.getValue(accumulator);
        assertThat(trace.spans).hasSize(50_000);
        assertThat(trace.droppedSpanCount).isEqualTo(1);
        assertThat(trace.spans[0].spanId).isEqualTo(String.format("%016x", 50_001));
        assertThat(trace.spans).noneMatch(span -> span.spanId.equals("0000000000000001"));
    }

    @Test
    void aCapThatIsNotAPositiveNumberIsAClearError() {
        assertThatThrownBy(() -> withMaxSpans("lots"))
                .hasMessageContaining("tracefeatures.max-spans-per-trace")
                .hasMessageContaining("positive number");
        assertThatThrownBy(() -> withMaxSpans("0")).hasMessageContaining("positive number");
    }
}
