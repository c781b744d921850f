package org.tracefeatures.functions;

import org.apache.flink.table.annotation.DataTypeHint;
import org.apache.flink.table.functions.ScalarFunction;
import org.apache.flink.types.Row;
import org.tracefeatures.jaeger.TagValues;

import java.util.HashMap;
import java.util.Map;

/**
 * {@code TAGS_MAP(tags)}: Jaeger's typed key-values as a map from key to the value as text (see
 * {@link TagValues}); when a key repeats, the first value wins.
 */
public class TagsMapFunction extends ScalarFunction {
    static final String KEY_VALUES =
            "ARRAY<ROW<key STRING, v_type STRING, v_str STRING, v_bool BOOLEAN, v_int64 BIGINT,"
                    + " v_float64 DOUBLE, v_binary BYTES>>";

    public @DataTypeHint("MAP<STRING, STRING>") Map<String, String> eval(
            @DataTypeHint(KEY_VALUES) Row[] tags) {
        Map<String, String> map = new HashMap<>();
        if (tags == null) {
            return map;
        }
        for (Row tag : tags) {
            String key = tag == null ? null : (String) tag.getField(0);
            if (key == null || map.containsKey(key)) {
                continue;
            }
            map.put(
                    key,
                    TagValues.asText(
                            (String) tag.getField(1),
                            (String) tag.getField(2),
                            (Boolean) tag.getField(3),
                            (Long) tag.getField(4),
                            (Double) tag.getField(5),
                            (byte[]) tag.getField(6)));
        }
        return map;
    }
}
