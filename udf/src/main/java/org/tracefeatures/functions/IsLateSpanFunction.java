package org.tracefeatures.functions;

import java.time.Instant;
import org.apache.flink.metrics.Counter;
import org.apache.flink.table.annotation.DataTypeHint;
import org.apache.flink.table.functions.FunctionContext;
import org.apache.flink.table.functions.ScalarFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code IS_LATE_SPAN(window_end, CURRENT_WATERMARK(event_time), trace_id, kafka_partition, kafka_offset)}: TRUE
 * for a span behind the watermark, one whose event-time window (ending at {@code window_end}, exclusive) has
 * already fired, so that Flink's window operator would drop it and count it only in its own
 * {@code numLateRecordsDropped}; FALSE for every other span, and while there is no watermark yet.
 *
 * <p>The views filter such spans out before their windows, so that no span is dropped unseen: each is counted in
 * the metric {@code tracefeatures.spansBehindWatermark} and logged with its trace id and place in Kafka, the first
 * {@value #LOGGED_IN_FULL} per task and then every {@value #LOG_EVERY}th. The watermark a source task sees is never
 * behind the one the window operator after it sees (which is the least of all source tasks'), so a span this
 * function lets through is never late at the window.
 */
public class IsLateSpanFunction extends ScalarFunction {
    public static final String SPANS_BEHIND_WATERMARK = "spansBehindWatermark";
    static final int LOGGED_IN_FULL = 100;
    static final int LOG_EVERY = 1000;
    private static final Logger LOG = LoggerFactory.getLogger(IsLateSpanFunction.class);

    private transient Counter spansBehindWatermark;

    @Override
    public void open(FunctionContext context) {
        spansBehindWatermark = TracefeaturesMetrics.of(context.getMetricGroup()).counter(SPANS_BEHIND_WATERMARK);
    }

    /** The times as milliseconds since the epoch, as Flink holds a TIMESTAMP_LTZ: no conversion per span. */
    public boolean eval(
            @DataTypeHint(value = "TIMESTAMP_LTZ(3)", bridgedTo = Long.class) Long windowEnd,
            @DataTypeHint(value = "TIMESTAMP_LTZ(3)", bridgedTo = Long.class) Long watermark,
            String traceId,
            Integer kafkaPartition,
            Long kafkaOffset) {
        // a window fires once the watermark reaches its last millisecond, end - 1
        if (watermark == null || windowEnd == null || windowEnd - 1 > watermark) {
            return false;
        }
        spansBehindWatermark.inc();
        long count = spansBehindWatermark.getCount();
        if (count <= LOGGED_IN_FULL || count % LOG_EVERY == 0) {
            LOG.warn(
                    "Dropped a span of trace {} at Kafka partition {} offset {}: its window ends at {}, and the"
                            + " watermark had passed it ({}). Its producer's clock is behind, or its partition was read"
                            + " late ({} spans behind the watermark so far by this task; metric {}.{}). Give the topic"
                            + " message.timestamp.type=LogAppendTime (docs/bad-input-and-late-spans.md).",
                    traceId,
                    kafkaPartition,
                    kafkaOffset,
                    Instant.ofEpochMilli(windowEnd),
                    Instant.ofEpochMilli(watermark),
                    count,
                    TracefeaturesMetrics.GROUP,
                    SPANS_BEHIND_WATERMARK);
        }
        return true;
    }

    @Override
    public boolean isDeterministic() {
        // counts and logs, and the watermark moves: must run once per span, never be folded or reused
        return false;
    }
}
