package org.tracefeatures.functions;

import org.apache.flink.metrics.Counter;
import org.apache.flink.table.annotation.DataTypeHint;
import org.apache.flink.table.annotation.FunctionHint;
import org.apache.flink.table.functions.AggregateFunction;
import org.apache.flink.table.functions.FunctionContext;
import org.tracefeatures.trace.Span;
import org.tracefeatures.trace.Trace;

import java.util.Arrays;

/**
 * {@code COLLECT_TRACE(span_id, parent_span_id, reference_type, service, operation, span_kind,
 * is_error, start_micros, duration_micros)}: assembles the spans of one trace (one group, e.g. a
 * session window per trace id) into a {@code ROW<spans ARRAY<Span>, droppedSpanCount BIGINT>}: the
 * spans sorted by start time, and how many were left out over the cap. A span delivered twice counts
 * once; a Zipkin-style client and server span sharing one id are two spans.
 *
 * <p>At most {@value #DEFAULT_MAX_SPANS} spans per trace (job parameter {@value #MAX_SPANS_PARAMETER},
 * e.g. {@code SET 'pipeline.global-job-parameters' = 'tracefeatures.max-spans-per-trace:10000'}), so
 * that one runaway trace (a loop emitting spans) cannot exhaust the state's memory: beyond that the
 * trace keeps its earliest-starting spans (the root among them) and counts the rest in {@code
 * droppedSpanCount} and in the metric {@code tracefeatures.droppedSpans}.
 *
 * <p>{@code merge()} combines partial traces, which session windows need when a late span bridges two
 * sessions, and which two-phase aggregation uses.
 */
@FunctionHint(
        // RAW, not a structured type: see TraceAccumulatorSerializer for why
        accumulator = @DataTypeHint(value = "RAW", bridgedTo = TraceAccumulator.class,
                rawSerializer = TraceAccumulatorSerializer.class),
        output = @DataTypeHint(bridgedTo = CollectedTrace.class))
public class CollectTraceFunction extends AggregateFunction<CollectedTrace, TraceAccumulator> {
    public static final String MAX_SPANS_PARAMETER = "tracefeatures.max-spans-per-trace";
    public static final int DEFAULT_MAX_SPANS = 50_000;
    public static final String DROPPED_SPANS = "droppedSpans";

    private int maxSpans = DEFAULT_MAX_SPANS;
    private transient Counter droppedSpans;

    @Override
    public void open(FunctionContext context) {
        String configured = context.getJobParameter(MAX_SPANS_PARAMETER, String.valueOf(DEFAULT_MAX_SPANS));
        try {
            maxSpans = Integer.parseInt(configured.trim());
        } catch (NumberFormatException e) {
            maxSpans = 0;
        }
        if (maxSpans < 1) {
            throw new IllegalArgumentException("Job parameter " + MAX_SPANS_PARAMETER + " is '" + configured
                    + "': set it to a positive number of spans, or leave it out for " + DEFAULT_MAX_SPANS);
        }
        droppedSpans = context.getMetricGroup().addGroup(SpanDefectFunction.METRIC_GROUP).counter(DROPPED_SPANS);
    }

    @Override
    public TraceAccumulator createAccumulator() {
        return new TraceAccumulator();
    }

    public void accumulate(
            TraceAccumulator accumulator,
            String spanId,
            String parentSpanId,
            String referenceType,
            String service,
            String operation,
            String spanKind,
            Boolean error,
            Long startMicros,
            Long durationMicros) {
        Span span =
                new Span(
                        spanId,
                        parentSpanId,
                        referenceType,
                        service,
                        operation,
                        spanKind,
                        Boolean.TRUE.equals(error),
                        startMicros == null ? 0 : startMicros,
                        durationMicros == null ? 0 : durationMicros);
        countDropped(accumulator.add(span, maxSpans));
    }

    public void merge(TraceAccumulator accumulator, Iterable<TraceAccumulator> others) {
        for (TraceAccumulator other : others) {
            // the other's drops were counted in the metric when they happened
            accumulator.droppedSpanCount += other.droppedSpanCount;
            for (Span span : other.spans.values()) {
                countDropped(accumulator.add(span, maxSpans));
            }
        }
    }

    @Override
    public CollectedTrace getValue(TraceAccumulator accumulator) {
        // the accumulator holds each span once already; only the order is left to do (building a Trace for
        // it, with its parent index, was a fifth of the window operator's time)
        Span[] spans = accumulator.spans.values().toArray(new Span[0]);
        Arrays.sort(spans, Trace.START_ORDER);
        return new CollectedTrace(spans, accumulator.droppedSpanCount);
    }

    private void countDropped(int dropped) {
        if (dropped > 0 && droppedSpans != null) {
            droppedSpans.inc(dropped);
        }
    }
}
