package org.tracefeatures.functions;

import org.apache.flink.table.annotation.DataTypeHint;
import org.apache.flink.table.functions.ScalarFunction;
import org.tracefeatures.elasticsearch.FieldSafeMap;

import java.util.Map;

/**
 * {@code FIELD_SAFE_MAP(counts, max_keys)}: the map with '.' in keys replaced by '@' and at most
 * max_keys entries (the rest summed under "_other"), fit to be indexed as an Elasticsearch object.
 */
public class FieldSafeMapFunction extends ScalarFunction {
    public @DataTypeHint("MAP<STRING, BIGINT>") Map<String, Long> eval(
            @DataTypeHint("MAP<STRING, BIGINT>") Map<String, Long> values, int maxKeys) {
        return values == null ? null : FieldSafeMap.of(values, maxKeys);
    }
}
