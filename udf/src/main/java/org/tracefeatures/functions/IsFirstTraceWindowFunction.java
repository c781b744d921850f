package org.tracefeatures.functions;

import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.table.functions.FunctionContext;
import org.apache.flink.table.functions.ScalarFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code IS_FIRST_TRACE_WINDOW(trace_window_number, trace_id, span_count)} (span_count: the window's spans, those
 * over the cap of COLLECT_TRACE included): TRUE for the first session window
 * of a trace id, the one whose document the jobs write; FALSE for a later window of the same trace (spans that
 * arrived after the gap closed the first one), which the traces view drops so that a partial trace never
 * overwrites the document of the whole one. The number comes from a running count per trace id (see
 * sql/init/traces.sql).
 *
 * <p>Metrics, per task, in group {@code tracefeatures}: {@code tracesEmitted} (first windows),
 * {@code lateTraceWindows} (later windows dropped) and {@code lateSpansDropped} (the spans in them). The first
 * {@value #LOGGED_IN_FULL} drops per task are logged with the trace id, then every {@value #LOG_EVERY}th.
 */
public class IsFirstTraceWindowFunction extends ScalarFunction {
    public static final String TRACES_EMITTED = "tracesEmitted";
    public static final String LATE_TRACE_WINDOWS = "lateTraceWindows";
    public static final String LATE_SPANS_DROPPED = "lateSpansDropped";
    static final int LOGGED_IN_FULL = 100;
    static final int LOG_EVERY = 1000;
    private static final Logger LOG = LoggerFactory.getLogger(IsFirstTraceWindowFunction.class);

    private transient Counter tracesEmitted;
    private transient Counter lateTraceWindows;
    private transient Counter lateSpansDropped;

    @Override
    public void open(FunctionContext context) {
        MetricGroup group = context.getMetricGroup().addGroup(SpanDefectFunction.METRIC_GROUP);
        tracesEmitted = group.counter(TRACES_EMITTED);
        lateTraceWindows = group.counter(LATE_TRACE_WINDOWS);
        lateSpansDropped = group.counter(LATE_SPANS_DROPPED);
    }

    public boolean eval(long traceWindowNumber, String traceId, Long spanCount) {
        if (traceWindowNumber <= 1) {
            tracesEmitted.inc();
            return true;
        }
        lateTraceWindows.inc();
        lateSpansDropped.inc(spanCount == null ? 0L : spanCount);
        long dropped = lateTraceWindows.getCount();
        if (dropped <= LOGGED_IN_FULL || dropped % LOG_EVERY == 0) {
            LOG.warn(
                    "Dropped {} span(s) of trace {} that arrived after its session window had closed and its"
                            + " documents had been written ({} late windows so far by this task; metrics {}.{} and"
                            + " {}.{}). If this is frequent, raise the session gap in sql/init/traces.sql.",
                    spanCount,
                    traceId,
                    dropped,
                    SpanDefectFunction.METRIC_GROUP,
                    LATE_TRACE_WINDOWS,
                    SpanDefectFunction.METRIC_GROUP,
                    LATE_SPANS_DROPPED);
        }
        return false;
    }

    @Override
    public boolean isDeterministic() {
        // counts and logs: must run once per window, never be folded or reused
        return false;
    }
}
