package org.tracefeatures.bench.jmh;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.apache.flink.table.data.ArrayData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.StringData;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.tracefeatures.functions.CollectTraceFunction;
import org.tracefeatures.functions.SpanCountsFunction;
import org.tracefeatures.functions.TraceAccumulator;
import org.tracefeatures.trace.Span;
import org.tracefeatures.trace.Trace;
import org.tracefeatures.trace.features.TraceFeatures;

/**
 * The trace-assembly UDAF and the feature UDFs on one trace of 50 and of 5,000 spans: a random tree
 * (fixed seed) over 8 services with 4 operations each, client/server pairs across services.
 * Run: {@code java -cp ... org.openjdk.jmh.Main FunctionsBenchmark}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class FunctionsBenchmark {
    @Param({"50", "5000"})
    int spans;

    private final CollectTraceFunction collect = new CollectTraceFunction();
    private final SpanCountsFunction spanCounts = new SpanCountsFunction();
    private Span[] input;
    /** The input's strings as Flink hands them to COLLECT_TRACE: spanId, parent, reference, service, operation, kind, peer. */
    private StringData[][] inputStrings;

    private TraceAccumulator firstHalf;
    private TraceAccumulator secondHalf;
    private TraceAccumulator whole;
    private Span[] assembled;
    /** The assembled spans as SPAN_COUNTS gets them: COLLECT_TRACE's result, in Flink's internal form. */
    private ArrayData assembledRows;

    @Setup
    public void setUp() throws Exception {
        SplittableRandom random = new SplittableRandom(8);
        input = new Span[spans];
        for (int i = 0; i < spans; i++) {
            int parent = i == 0 ? -1 : random.nextInt(i);
            int service = random.nextInt(8);
            long start = 1_000_000L + i * 10L;
            input[i] = new Span(
                    String.format("%016x", i + 1),
                    parent < 0 ? null : String.format("%016x", parent + 1),
                    parent < 0 ? null : Span.CHILD_OF,
                    "service-" + service,
                    "operation-" + random.nextInt(4),
                    i % 2 == 0 ? Span.KIND_SERVER : Span.KIND_CLIENT,
                    random.nextInt(50) == 0,
                    start,
                    Math.max(1, 100_000L - i * 10L));
        }
        inputStrings = new StringData[spans][];
        for (int i = 0; i < spans; i++) {
            Span s = input[i];
            inputStrings[i] = new StringData[] {
                string(s.spanId),
                string(s.parentSpanId),
                string(s.referenceType),
                string(s.service),
                string(s.operation),
                string(s.spanKind),
                string(s.peer)
            };
        }
        firstHalf = accumulate(0, spans / 2);
        secondHalf = accumulate(spans / 2, spans);
        whole = accumulate(0, spans);
        assembled = input.clone();
        Arrays.sort(assembled, Trace.START_ORDER);
        assembledRows = collect.getValue(whole).getArray(0);
    }

    private static StringData string(String value) {
        return value == null ? null : StringData.fromBytes(value.getBytes(StandardCharsets.UTF_8));
    }

    private TraceAccumulator accumulate(int from, int to) throws Exception {
        TraceAccumulator accumulator = collect.createAccumulator();
        for (int i = from; i < to; i++) {
            StringData[] strings = inputStrings[i];
            Span s = input[i];
            collect.accumulate(
                    accumulator,
                    strings[0],
                    strings[1],
                    strings[2],
                    strings[3],
                    strings[4],
                    strings[5],
                    s.error,
                    s.startMicros,
                    s.durationMicros,
                    strings[6],
                    s.callsDatabase);
        }
        return accumulator;
    }

    /** COLLECT_TRACE.accumulate() of every span of the trace into a fresh accumulator. */
    @Benchmark
    public TraceAccumulator accumulateTrace() throws Exception {
        return accumulate(0, spans);
    }

    /** COLLECT_TRACE.merge() of two halves of the trace. */
    @Benchmark
    public TraceAccumulator mergeHalves() throws Exception {
        TraceAccumulator target = collect.createAccumulator();
        collect.merge(target, List.of(firstHalf, secondHalf));
        return target;
    }

    /** COLLECT_TRACE.getValue(): the spans sorted by start (and the count dropped over the cap, 0 here). */
    @Benchmark
    public RowData getValue() {
        return collect.getValue(whole);
    }

    /** SPAN_COUNTS(spans). */
    @Benchmark
    public Map<String, Long> spanCounts() {
        return spanCounts.eval(assembledRows);
    }

    /** What TRACE_FEATURES(spans) computes: TraceFeatures.of(Trace.of(spans)). */
    @Benchmark
    public TraceFeatures traceFeatures() {
        return TraceFeatures.of(Trace.of(Arrays.asList(assembled)));
    }
}
