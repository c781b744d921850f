package org.tracefeatures.functions;

import java.util.HashMap;
import java.util.Map;
import org.apache.flink.table.data.MapData;

/** Flink's internal data as plain Java, for assertions. */
public final class InternalData {
    private InternalData() {}

    /** A MAP<STRING, STRING> as a Java map. */
    public static Map<String, String> asJavaMap(MapData map) {
        Map<String, String> javaMap = new HashMap<>();
        for (int i = 0; i < map.size(); i++) {
            javaMap.put(
                    map.keyArray().getString(i).toString(),
                    map.valueArray().getString(i).toString());
        }
        return javaMap;
    }
}
