package org.tracefeatures.functions;

import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.table.functions.FunctionContext;
import org.apache.flink.table.functions.ScalarFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code IS_FIRST_TRACE_WINDOW(trace_window_number, trace_id, span_count, dropped_span_count,
 * repeated_span_count)} (the counts of COLLECT_TRACE's result: spans kept, dropped over the cap, repeats): TRUE
 * for the first session window of a trace id, the one whose document the jobs write; FALSE for a later window of
 * the same trace (spans that arrived after the gap closed the first one), which the traces view drops so that a
 * partial trace never overwrites the document of the whole one. The number comes from a running count per trace
 * id (see sql/init/traces.sql).
 *
 * <p>It accounts for every span that reached trace assembly, in metrics of the group {@code tracefeatures}, per
 * task: {@code tracesEmitted} (first windows) and {@code spansInTraces} (their kept spans, those the documents
 * describe); {@code lateTraceWindows} (later windows dropped) and {@code lateSpansDropped} (their kept spans);
 * {@code droppedSpans} (over the cap of spans per trace) and {@code repeatedSpans} (repeat deliveries), of
 * either kind of window. A window with late, dropped or repeated spans is logged with its trace id, the first
 * {@value #LOGGED_IN_FULL} per task and then every {@value #LOG_EVERY}th.
 */
public class IsFirstTraceWindowFunction extends ScalarFunction {
    public static final String TRACES_EMITTED = "tracesEmitted";
    public static final String SPANS_IN_TRACES = "spansInTraces";
    public static final String LATE_TRACE_WINDOWS = "lateTraceWindows";
    public static final String LATE_SPANS_DROPPED = "lateSpansDropped";
    public static final String DROPPED_SPANS = "droppedSpans";
    public static final String REPEATED_SPANS = "repeatedSpans";
    static final int LOGGED_IN_FULL = 100;
    static final int LOG_EVERY = 1000;
    private static final Logger LOG = LoggerFactory.getLogger(IsFirstTraceWindowFunction.class);

    private transient Counter tracesEmitted;
    private transient Counter spansInTraces;
    private transient Counter lateTraceWindows;
    private transient Counter lateSpansDropped;
    private transient Counter droppedSpans;
    private transient Counter repeatedSpans;
    private transient long windowsLogged;

    @Override
    public void open(FunctionContext context) {
        MetricGroup group = TracefeaturesMetrics.of(context.getMetricGroup());
        tracesEmitted = group.counter(TRACES_EMITTED);
        spansInTraces = group.counter(SPANS_IN_TRACES);
        lateTraceWindows = group.counter(LATE_TRACE_WINDOWS);
        lateSpansDropped = group.counter(LATE_SPANS_DROPPED);
        droppedSpans = group.counter(DROPPED_SPANS);
        repeatedSpans = group.counter(REPEATED_SPANS);
    }

    public boolean eval(
            long traceWindowNumber, String traceId, Integer spanCount, Long droppedSpanCount, Long repeatedSpanCount) {
        long kept = spanCount == null ? 0 : spanCount;
        long dropped = droppedSpanCount == null ? 0 : droppedSpanCount;
        long repeated = repeatedSpanCount == null ? 0 : repeatedSpanCount;
        droppedSpans.inc(dropped);
        repeatedSpans.inc(repeated);
        boolean first = traceWindowNumber <= 1;
        if (first) {
            tracesEmitted.inc();
            spansInTraces.inc(kept);
        } else {
            lateTraceWindows.inc();
            lateSpansDropped.inc(kept);
        }
        if ((!first || dropped > 0 || repeated > 0) && shouldLog()) {
            log(traceId, first, kept, dropped, repeated);
        }
        return first;
    }

    private boolean shouldLog() {
        windowsLogged++;
        return windowsLogged <= LOGGED_IN_FULL || windowsLogged % LOG_EVERY == 0;
    }

    private void log(String traceId, boolean first, long kept, long dropped, long repeated) {
        String metrics = "metrics " + TracefeaturesMetrics.GROUP + ".*";
        if (!first) {
            LOG.warn(
                    "Dropped {} span(s) of trace {} that arrived after its session window had closed and its"
                            + " documents had been written, {} over the cap, {} repeated ({} late windows so far by"
                            + " this task; {}). If this is frequent, raise the session gap in sql/init/traces.sql.",
                    kept,
                    traceId,
                    dropped,
                    repeated,
                    lateTraceWindows.getCount(),
                    metrics);
        } else if (dropped > 0) {
            LOG.warn(
                    "Trace {} has {} span(s) over the cap of spans per trace: its documents describe its {}"
                            + " earliest-starting spans ({} repeated deliveries left out; {}). Raise the job parameter"
                            + " {} if such traces are expected.",
                    traceId,
                    dropped,
                    kept,
                    repeated,
                    metrics,
                    CollectTraceFunction.MAX_SPANS_PARAMETER);
        } else {
            LOG.info(
                    "Trace {}: {} repeated deliveries of its spans left out, each span counted once ({}).",
                    traceId,
                    repeated,
                    metrics);
        }
    }

    @Override
    public boolean isDeterministic() {
        // counts and logs: must run once per window, never be folded or reused
        return false;
    }
}
