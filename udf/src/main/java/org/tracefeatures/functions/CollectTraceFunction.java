package org.tracefeatures.functions;

import org.apache.flink.table.annotation.DataTypeHint;
import org.apache.flink.table.annotation.FunctionHint;
import org.apache.flink.table.catalog.DataTypeFactory;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.data.binary.BinaryArrayData;
import org.apache.flink.table.data.writer.BinaryArrayWriter;
import org.apache.flink.table.functions.AggregateFunction;
import org.apache.flink.table.functions.FunctionContext;
import org.apache.flink.table.types.inference.TypeInference;
import org.apache.flink.table.types.inference.TypeStrategies;

/**
 * {@code COLLECT_TRACE(span_id, parent_span_id, reference_type, service, operation, span_kind,
 * is_error, start_micros, duration_micros, peer, calls_database)}: assembles the spans of one trace (one group, e.g. a
 * session window per trace id) into a {@code ROW<spans ARRAY<Span>, droppedSpanCount BIGINT,
 * repeatedSpanCount BIGINT>}: the spans sorted by start time, how many were left out over the cap, and how
 * many deliveries repeated a span the trace had (a span delivered twice is in spans once; a Zipkin-style
 * client and server span sharing one id are two spans). Every span given is in one of the three.
 *
 * <p>At most {@value #DEFAULT_MAX_SPANS} spans per trace (job parameter {@value #MAX_SPANS_PARAMETER},
 * e.g. {@code SET 'pipeline.global-job-parameters' = 'tracefeatures.max-spans-per-trace:10000'}), so
 * that one runaway trace (a loop emitting spans) cannot exhaust the state's memory: beyond that the
 * trace keeps its earliest-starting spans (the root among them) and counts the rest in {@code
 * droppedSpanCount} (IS_FIRST_TRACE_WINDOW adds the counts to the job's metrics). While the window is open the
 * state holds at most twice the cap ({@link TraceAccumulator} compacts it there).
 *
 * <p>The spans are in a list state of their own, so each span costs one append on any state backend, RocksDB
 * included, rather than a rewrite of the trace so far. {@code merge()} combines partial traces, which session
 * windows need when a late span bridges two sessions.
 */
@FunctionHint(output = @DataTypeHint(bridgedTo = CollectedTrace.class))
public class CollectTraceFunction extends AggregateFunction<RowData, TraceAccumulator> {
    public static final String MAX_SPANS_PARAMETER = "tracefeatures.max-spans-per-trace";
    public static final int DEFAULT_MAX_SPANS = 50_000;

    private int maxSpans = DEFAULT_MAX_SPANS;

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
    }

    /**
     * The annotations' type inference, except that the result ({@link CollectedTrace}, as declared) is
     * handed over in Flink's internal form: getValue() copies the spans' binary rows into the result as they
     * are, instead of Flink converting Java objects (and encoding every string again) for each trace.
     */
    @Override
    public TypeInference getTypeInference(DataTypeFactory typeFactory) {
        TypeInference annotated = super.getTypeInference(typeFactory);
        TypeInference.Builder builder = TypeInference.newBuilder()
                .inputTypeStrategy(annotated.getInputTypeStrategy())
                .outputTypeStrategy(TypeStrategies.explicit(SpanRow.collectedTraceType(typeFactory)));
        annotated.getAccumulatorTypeStrategy().ifPresent(builder::accumulatorTypeStrategy);
        annotated.getTypedArguments().ifPresent(builder::typedArguments);
        annotated.getNamedArguments().ifPresent(builder::namedArguments);
        annotated.getOptionalArguments().ifPresent(builder::optionalArguments);
        return builder.build();
    }

    @Override
    public TraceAccumulator createAccumulator() {
        return new TraceAccumulator();
    }

    /** Takes the strings in Flink's internal form, to keep their bytes as they are (see {@link SpanRow}). */
    public void accumulate(
            TraceAccumulator accumulator,
            @DataTypeHint(value = "STRING", bridgedTo = StringData.class) StringData spanId,
            @DataTypeHint(value = "STRING", bridgedTo = StringData.class) StringData parentSpanId,
            @DataTypeHint(value = "STRING", bridgedTo = StringData.class) StringData referenceType,
            @DataTypeHint(value = "STRING", bridgedTo = StringData.class) StringData service,
            @DataTypeHint(value = "STRING", bridgedTo = StringData.class) StringData operation,
            @DataTypeHint(value = "STRING", bridgedTo = StringData.class) StringData spanKind,
            Boolean error,
            Long startMicros,
            Long durationMicros,
            @DataTypeHint(value = "STRING", bridgedTo = StringData.class) StringData peer,
            Boolean callsDatabase)
            throws Exception {
        SpanRow span = SpanRow.of(
                spanId,
                parentSpanId,
                referenceType,
                service,
                operation,
                spanKind,
                Boolean.TRUE.equals(error),
                startMicros == null ? 0 : startMicros,
                durationMicros == null ? 0 : durationMicros,
                peer,
                Boolean.TRUE.equals(callsDatabase));
        accumulator.add(span, maxSpans);
    }

    public void merge(TraceAccumulator accumulator, Iterable<TraceAccumulator> others) throws Exception {
        for (TraceAccumulator other : others) {
            accumulator.addAll(other, maxSpans);
        }
    }

    /** A {@link CollectedTrace} in Flink's internal form: the spans, sorted by start, and the counts. */
    @Override
    public RowData getValue(TraceAccumulator accumulator) {
        TraceAccumulator.Collected collected;
        try {
            collected = accumulator.collect(maxSpans);
        } catch (TraceAccumulator.OtherLayoutException e) {
            throw e; // says itself what to do
        } catch (Exception e) {
            throw new IllegalStateException("Could not read the spans of a trace from the state backend", e);
        }
        SpanRow[] spans = collected.spans();
        BinaryArrayData array = new BinaryArrayData();
        BinaryArrayWriter writer = new BinaryArrayWriter(array, spans.length, 8);
        for (int i = 0; i < spans.length; i++) {
            writer.writeRow(i, spans[i].row, SpanRow.SERIALIZER);
        }
        writer.complete();
        return GenericRowData.of(array, collected.droppedSpanCount(), collected.repeatedSpanCount());
    }
}
