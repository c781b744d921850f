package org.tracefeatures.functions;

import org.apache.flink.table.annotation.DataTypeHint;
import org.apache.flink.table.annotation.FunctionHint;
import org.apache.flink.table.functions.AggregateFunction;
import org.tracefeatures.trace.Span;
import org.tracefeatures.trace.Trace;

/**
 * {@code COLLECT_TRACE(span_id, parent_span_id, reference_type, service, operation, span_kind,
 * is_error, start_micros, duration_micros)}: assembles the spans of one trace (one group, e.g. a
 * session window per trace id) into an {@code ARRAY} of spans sorted by start time. A span delivered
 * twice counts once; a Zipkin-style client and server span sharing one id are two spans.
 *
 * <p>{@code merge()} combines partial traces, which session windows need when a late span bridges two
 * sessions, and which two-phase aggregation uses.
 */
@FunctionHint(
        // RAW, not a structured type: see TraceAccumulatorSerializer for why
        accumulator = @DataTypeHint(value = "RAW", bridgedTo = TraceAccumulator.class,
                rawSerializer = TraceAccumulatorSerializer.class),
        output = @DataTypeHint(bridgedTo = Span[].class))
public class CollectTraceFunction extends AggregateFunction<Span[], TraceAccumulator> {

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
        accumulator.spans.putIfAbsent(span.identity(), span);
    }

    public void merge(TraceAccumulator accumulator, Iterable<TraceAccumulator> others) {
        for (TraceAccumulator other : others) {
            for (Span span : other.spans.values()) {
                accumulator.spans.putIfAbsent(span.identity(), span);
            }
        }
    }

    @Override
    public Span[] getValue(TraceAccumulator accumulator) {
        return Trace.of(accumulator.spans.values()).spans().toArray(new Span[0]);
    }
}
