package org.tracefeatures.functions;

import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.apache.flink.table.annotation.DataTypeHint;
import org.apache.flink.table.data.ArrayData;
import org.apache.flink.table.data.GenericMapData;
import org.apache.flink.table.data.MapData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.functions.ScalarFunction;
import org.tracefeatures.jaeger.KeyValues;
import org.tracefeatures.jaeger.TagValues;

/**
 * {@code TAGS_MAP(tags)}: Jaeger's typed key-values as a map from key to the value as text (see
 * {@link TagValues}); when a key repeats, the first value wins.
 *
 * <p>Takes and gives Flink's internal data, as Flink's built-in functions do: the span view calls it for
 * every span, and converting the tags to {@code Row[]} and the map back to binary form would cost several
 * times what the function itself does.
 *
 * <p>The planner inlines the span view's {@code TAGS_MAP(tags)} into every tag a query reads ({@code
 * span.kind}, {@code error}, {@code otel.status_code}, the peer's and {@code test_name} in the canonical view: a
 * dozen calls per span with the same argument), so the map of the last argument is kept and a call with the same array
 * object gives it again. That is safe because a Calc hands all calls of one row the array object it read
 * (and copied) for that row, and a new one for the next row; the map is only read.
 */
public class TagsMapFunction extends ScalarFunction {
    private static final StringData EMPTY = StringData.fromString("");
    private static final Set<StringData> NON_STRING_TYPES = Set.of(
            StringData.fromString("BOOL"),
            StringData.fromString("INT64"),
            StringData.fromString("FLOAT64"),
            StringData.fromString("BINARY"));

    /**
     * Up to this many tags the map is a {@link ShortStringMap}, searched key by key; beyond it (a span with
     * tags by the hundred would make that quadratic) a HashMap.
     */
    static final int SHORT_MAP_MAX_TAGS = 16;
    /** The map of a span without tags, one for all of them: nothing changes a map once it is handed to Flink. */
    private static final MapData NO_TAGS = new GenericMapData(Collections.emptyMap());

    private transient ArrayData lastTags;
    private transient MapData lastMap;

    public @DataTypeHint(value = "MAP<STRING, STRING>", bridgedTo = MapData.class) MapData eval(
            @DataTypeHint(value = KeyValues.SQL_TYPE, bridgedTo = ArrayData.class) ArrayData tags) {
        if (tags != null && tags == lastTags) {
            return lastMap;
        }
        if (tags == null || tags.size() == 0) {
            return NO_TAGS;
        }
        Map<StringData, StringData> map =
                tags.size() <= SHORT_MAP_MAX_TAGS ? new ShortStringMap(tags.size()) : new HashMap<>();
        for (int i = 0; i < tags.size(); i++) {
            if (tags.isNullAt(i)) {
                continue;
            }
            RowData tag = tags.getRow(i, KeyValues.FIELDS);
            if (tag.isNullAt(0)) {
                continue;
            }
            // the first value of a repeated key wins
            map.putIfAbsent(tag.getString(0), valueAsText(tag));
        }
        lastTags = tags;
        lastMap = new GenericMapData(map);
        return lastMap;
    }

    /**
     * Most tags are strings: their value is taken as it is, without decoding it to a Java string and back; the
     * other types are made text by {@link TagValues}.
     */
    private static StringData valueAsText(RowData tag) {
        if (tag.isNullAt(1) || !NON_STRING_TYPES.contains(tag.getString(1))) {
            return tag.isNullAt(2) ? EMPTY : tag.getString(2);
        }
        return StringData.fromString(TagValues.asText(
                tag.isNullAt(1) ? null : tag.getString(1).toString(),
                tag.isNullAt(2) ? null : tag.getString(2).toString(),
                tag.isNullAt(3) ? null : tag.getBoolean(3),
                tag.isNullAt(4) ? null : tag.getLong(4),
                tag.isNullAt(5) ? null : tag.getDouble(5),
                tag.isNullAt(6) ? null : tag.getBinary(6)));
    }
}
