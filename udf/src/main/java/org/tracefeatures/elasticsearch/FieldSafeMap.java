package org.tracefeatures.elasticsearch;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Makes a map keyed by span data (service and operation names) safe to index as an Elasticsearch
 * object: a '.' in a key would open an object path, so it becomes '@' (Jaeger's own dot replacement
 * for tags stored as fields); and since each new key adds a mapped field, one trace may add at most
 * {@code maxKeys}: the largest values keep their keys and the rest are summed under {@value #OTHER},
 * which keeps the total. Keys that become equal after the replacement are summed.
 */
public final class FieldSafeMap {
    public static final String OTHER = "_other";
    public static final char DOT_REPLACEMENT = '@';

    private FieldSafeMap() {}

    public static Map<String, Long> of(Map<String, Long> values, int maxKeys) {
        Map<String, Long> escaped = new HashMap<>();
        for (Map.Entry<String, Long> entry : values.entrySet()) {
            if (entry.getKey() != null && entry.getValue() != null) {
                escaped.merge(entry.getKey().replace('.', DOT_REPLACEMENT), entry.getValue(), Long::sum);
            }
        }
        if (escaped.size() <= maxKeys) {
            return escaped;
        }
        List<Map.Entry<String, Long>> largestFirst = new ArrayList<>(escaped.entrySet());
        largestFirst.sort(
                Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()));
        Map<String, Long> capped = new HashMap<>();
        int kept = Math.max(0, maxKeys - 1);
        for (int i = 0; i < largestFirst.size(); i++) {
            Map.Entry<String, Long> entry = largestFirst.get(i);
            if (i < kept) {
                capped.put(entry.getKey(), entry.getValue());
            } else {
                capped.merge(OTHER, entry.getValue(), Long::sum);
            }
        }
        return capped;
    }
}
