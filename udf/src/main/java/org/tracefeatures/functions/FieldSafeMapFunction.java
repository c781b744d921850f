package org.tracefeatures.functions;

import java.util.HashMap;
import java.util.Map;
import org.apache.flink.metrics.Counter;
import org.apache.flink.table.annotation.DataTypeHint;
import org.apache.flink.table.functions.FunctionContext;
import org.apache.flink.table.functions.ScalarFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tracefeatures.documents.FieldSafeMap;
import org.tracefeatures.documents.IndexKeyBudget;

/**
 * {@code FIELD_SAFE_MAP(counts, max_keys, start_micros, max_keys_per_day, max_keys_per_service)}: the map with '.'
 * in keys replaced by '@', fit to be indexed as an Elasticsearch object whose keys become fields of a daily index:
 * at most max_keys entries per row (the largest), and only keys that the index day of start_micros (UTC) admits: at
 * most max_keys_per_day distinct keys a day, max_keys_per_service of one service, none over 256 characters (see
 * {@link IndexKeyBudget}). The other keys' values are summed under "_other", so the values keep their total; each
 * such key is counted in the metric {@code tracefeatures.foldedKeys} and logged (the first 100 of a task, then every
 * 10,000th).
 *
 * <p>The budget belongs to the function instance, of which each task has its own; the calls of one query may share
 * one instance (the planner reuses equal functions), and then one set of admitted keys serves all their columns.
 */
public class FieldSafeMapFunction extends ScalarFunction {
    private static final Logger LOG = LoggerFactory.getLogger(FieldSafeMapFunction.class);
    public static final String FOLDED_KEYS = "foldedKeys";
    private static final int LOGGED_IN_FULL = 100;
    private static final int LOG_EVERY = 10_000;

    /** One budget per pair of limits, as calls with different limits may share this instance. */
    private transient Map<Long, IndexKeyBudget> budgets;

    private transient Counter foldedKeys;

    @Override
    public void open(FunctionContext context) {
        foldedKeys = TracefeaturesMetrics.of(context.getMetricGroup()).counter(FOLDED_KEYS);
    }

    public @DataTypeHint("MAP<STRING, BIGINT>") Map<String, Long> eval(
            @DataTypeHint("MAP<STRING, BIGINT>") Map<String, Long> values,
            int maxKeys,
            Long startMicros,
            int maxKeysPerDay,
            int maxKeysPerService) {
        if (values == null) {
            return null;
        }
        if (budgets == null) {
            budgets = new HashMap<>();
        }
        IndexKeyBudget budget = budgets.computeIfAbsent(
                ((long) maxKeysPerDay << 32) | (maxKeysPerService & 0xffffffffL),
                limits -> new IndexKeyBudget(maxKeysPerDay, maxKeysPerService));
        return FieldSafeMap.of(values, maxKeys, startMicros == null ? 0 : startMicros, budget, this::folded);
    }

    private void folded(String key) {
        long count = 0;
        if (foldedKeys != null) {
            foldedKeys.inc();
            count = foldedKeys.getCount();
        }
        if (count <= LOGGED_IN_FULL || count % LOG_EVERY == 0) {
            LOG.info(
                    "Summed key '{}' under _other instead of making it a field of the daily index ({} such keys of "
                            + "this column in this task so far): over the per-trace cap, over 256 characters, or over "
                            + "the day's budget of keys (FIELD_SAFE_MAP's arguments in the job's SQL).",
                    key.length() > 200 ? key.substring(0, 200) + "…(" + key.length() + " characters)" : key,
                    count);
        }
    }
}
