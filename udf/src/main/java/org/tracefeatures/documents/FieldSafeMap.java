package org.tracefeatures.documents;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Makes a map keyed by span data (service and operation names) safe to index as an Elasticsearch
 * object: a '.' in a key would open an object path, so it becomes '@' (Jaeger's own dot replacement
 * for tags stored as fields); and since each new key adds a mapped field of the daily index, a row keeps at most
 * {@code maxKeys} keys, and only those that the index day's {@link IndexKeyBudget} admits: the rest are summed under
 * {@value #OTHER}, which keeps the total. Keys that become equal after the replacement are summed.
 */
public final class FieldSafeMap {
    public static final String OTHER = "_other";
    public static final char DOT_REPLACEMENT = '@';

    private FieldSafeMap() {}

    /**
     * The map with '.' replaced in its keys, at most {@code maxKeys} of them (the largest values; over the cap one of
     * them is {@value #OTHER}), each admitted by {@code budget} to the index of the day of {@code micros}; every other
     * key's value is summed under {@value #OTHER}, and {@code folded} is told each such key. Keys are offered largest
     * value first, so the order in which a row's keys are admitted does not depend on the map's iteration order.
     */
    public static Map<String, Long> of(
            Map<String, Long> values, int maxKeys, long micros, IndexKeyBudget budget, Consumer<String> folded) {
        Map<String, Long> escaped = escaped(values);
        // over the cap, one of the maxKeys keys is _other
        int keysToKeep = escaped.size() <= maxKeys ? maxKeys : Math.max(0, maxKeys - 1);
        int kept = 0;
        Map<String, Long> admitted = new HashMap<>();
        for (Map.Entry<String, Long> entry : largestFirst(escaped)) {
            String key = entry.getKey();
            if (!key.equals(OTHER) && kept < keysToKeep && budget.admits(micros, key)) {
                admitted.put(key, entry.getValue());
                kept++;
            } else {
                admitted.merge(OTHER, entry.getValue(), Long::sum);
                if (!key.equals(OTHER)) {
                    folded.accept(key);
                }
            }
        }
        return admitted;
    }

    private static List<Map.Entry<String, Long>> largestFirst(Map<String, Long> values) {
        List<Map.Entry<String, Long>> largestFirst = new ArrayList<>(values.entrySet());
        largestFirst.sort(
                Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()));
        return largestFirst;
    }

    private static Map<String, Long> escaped(Map<String, Long> values) {
        Map<String, Long> escaped = new HashMap<>();
        for (Map.Entry<String, Long> entry : values.entrySet()) {
            if (entry.getKey() != null && entry.getValue() != null) {
                escaped.merge(entry.getKey().replace('.', DOT_REPLACEMENT), entry.getValue(), Long::sum);
            }
        }
        return escaped;
    }
}
