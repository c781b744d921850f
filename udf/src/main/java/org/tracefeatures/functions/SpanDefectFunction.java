package org.tracefeatures.functions;

import java.util.EnumMap;
import java.util.Map;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.table.annotation.DataTypeHint;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.data.binary.BinaryStringData;
import org.apache.flink.table.functions.FunctionContext;
import org.apache.flink.table.functions.ScalarFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tracefeatures.jaeger.SpanDefect;

/**
 * {@code SPAN_DEFECT(parse_error, trace_id, span_id, service, kafka_partition, kafka_offset)}: NULL for
 * a span fit to join a trace; otherwise the defect, which it also counts and logs with the record's
 * place in Kafka. The span view keeps the rows for which it is NULL.
 *
 * <p>As it sees every row the input reads, it also counts them: {@code tracefeatures.spansRead}, one per span (for
 * Jaeger's encodings one per Kafka record) and one per record that does not decode. The other metrics of the
 * group account for where each went (see docs/bad-input-and-late-spans.md, Accounting).
 *
 * <p>Metrics, per task: {@code tracefeatures.skippedSpanRecords} and one counter per defect under
 * {@code tracefeatures.skippedByDefect.<defect>} (e.g. {@code emptyTraceId}). Logging stops
 * after {@value #LOGGED_IN_FULL} records per task and then logs every {@value #LOG_EVERY}th, so a
 * flood of garbage does not flood the log; the counters always count.
 */
public class SpanDefectFunction extends ScalarFunction {
    public static final String SKIPPED = "skippedSpanRecords";
    public static final String SPANS_READ = "spansRead";
    static final int LOGGED_IN_FULL = 100;
    static final int LOG_EVERY = 1000;
    private static final Logger LOG = LoggerFactory.getLogger(SpanDefectFunction.class);

    private transient Counter spansRead;
    private transient Counter skipped;
    private transient Map<SpanDefect, Counter> skippedByDefect;

    @Override
    public void open(FunctionContext context) {
        MetricGroup group = TracefeaturesMetrics.of(context.getMetricGroup());
        spansRead = group.counter(SPANS_READ);
        skipped = group.counter(SKIPPED);
        skippedByDefect = new EnumMap<>(SpanDefect.class);
        MetricGroup byDefect = group.addGroup("skippedByDefect");
        for (SpanDefect defect : SpanDefect.values()) {
            skippedByDefect.put(defect, byDefect.counter(defect.metricName()));
        }
    }

    public String eval(
            String parseError,
            byte[] traceId,
            byte[] spanId,
            // Flink's own string, not a Java one: only whether it is empty matters, which needs no decoding
            // of every span's service name into a java.lang.String
            @DataTypeHint(value = "STRING", bridgedTo = StringData.class) StringData service,
            Integer kafkaPartition,
            Long kafkaOffset) {
        // Flink's internal strings are binary strings; their size in bytes needs no decoding
        spansRead.inc();
        boolean serviceNamed = service != null && ((BinaryStringData) service).getSizeInBytes() > 0;
        SpanDefect defect = SpanDefect.of(parseError, traceId, spanId, serviceNamed);
        if (defect == null) {
            return null;
        }
        skipped.inc();
        skippedByDefect.get(defect).inc();
        long count = skipped.getCount();
        if (count <= LOGGED_IN_FULL || count % LOG_EVERY == 0) {
            LOG.warn(
                    "Skipped the Kafka record at partition {} offset {}: {}{} ({} records skipped so far"
                            + " by this task; metric {}.{})",
                    kafkaPartition,
                    kafkaOffset,
                    defect.description(),
                    parseError == null ? "" : ": " + parseError,
                    count,
                    TracefeaturesMetrics.GROUP,
                    SKIPPED);
        }
        return defect.name();
    }

    @Override
    public boolean isDeterministic() {
        // counts and logs: must run once per record, never be folded or reused
        return false;
    }
}
