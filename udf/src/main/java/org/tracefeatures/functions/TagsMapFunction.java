package org.tracefeatures.functions;

import org.apache.flink.table.annotation.DataTypeHint;
import org.apache.flink.table.data.ArrayData;
import org.apache.flink.table.data.GenericMapData;
import org.apache.flink.table.data.MapData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.functions.ScalarFunction;
import org.tracefeatures.jaeger.TagValues;

import java.util.HashMap;
import java.util.Map;

/**
 * {@code TAGS_MAP(tags)}: Jaeger's typed key-values as a map from key to the value as text (see
 * {@link TagValues}); when a key repeats, the first value wins.
 *
 * <p>Takes and gives Flink's internal data, as Flink's built-in functions do: the span view calls it for
 * every span (once per tag it reads), and converting the tags to {@code Row[]} and the map back to
 * binary form cost several times what the function itself does.
 */
public class TagsMapFunction extends ScalarFunction {
    static final String KEY_VALUES =
            "ARRAY<ROW<key STRING, v_type STRING, v_str STRING, v_bool BOOLEAN, v_int64 BIGINT,"
                    + " v_float64 DOUBLE, v_binary BYTES>>";
    private static final int KEY_VALUE_FIELDS = 7;

    public @DataTypeHint(value = "MAP<STRING, STRING>", bridgedTo = MapData.class) MapData eval(
            @DataTypeHint(value = KEY_VALUES, bridgedTo = ArrayData.class) ArrayData tags) {
        Map<StringData, StringData> map = new HashMap<>();
        if (tags == null) {
            return new GenericMapData(map);
        }
        for (int i = 0; i < tags.size(); i++) {
            if (tags.isNullAt(i)) {
                continue;
            }
            RowData tag = tags.getRow(i, KEY_VALUE_FIELDS);
            if (tag.isNullAt(0)) {
                continue;
            }
            StringData key = tag.getString(0);
            if (!map.containsKey(key)) {
                map.put(key, StringData.fromString(valueAsText(tag)));
            }
        }
        return new GenericMapData(map);
    }

    private static String valueAsText(RowData tag) {
        return TagValues.asText(
                tag.isNullAt(1) ? null : tag.getString(1).toString(),
                tag.isNullAt(2) ? null : tag.getString(2).toString(),
                tag.isNullAt(3) ? null : tag.getBoolean(3),
                tag.isNullAt(4) ? null : tag.getLong(4),
                tag.isNullAt(5) ? null : tag.getDouble(5),
                tag.isNullAt(6) ? null : tag.getBinary(6));
    }
}
