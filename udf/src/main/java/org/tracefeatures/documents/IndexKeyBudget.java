package org.tracefeatures.documents;

import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Which keys of a per-key map (spanCounts, criticalPath, ...) may become fields of a daily index. Every key that
 * becomes a field stays in the index's mapping for the index's life, and Elasticsearch refuses documents beyond
 * the index's field limit; operation names with ids in them (GET /users/81723) would reach it within hours. So a
 * key is admitted on its first sight in an index day while the day has room: at most {@code maxKeys} keys a day,
 * at most {@code maxKeysPerService} of them of one service (the part before "::"), and none longer than
 * {@value #MAX_KEY_CHARS} characters. A key once admitted stays admitted for that day; the rest go to
 * {@value FieldSafeMap#OTHER}. One service that puts ids into its operation names thus fills only its own share, and
 * the other services' operations keep their fields.
 *
 * <p>The budget lives in the memory of one task: each parallel task, and each restart, admits on its own, so an
 * index may hold up to (parallelism x restarts in the day) times the day's budget; the index template's field
 * limit leaves room for that, and the sink folds a document that still exceeds it (see RefusedDocumentHandler).
 */
public final class IndexKeyBudget {
    /** Longer keys (a logged SQL statement as an operation name) are never fields. */
    public static final int MAX_KEY_CHARS = 256;
    /** Index days remembered; a replay over older days starts their budgets afresh. */
    private static final int DAYS_KEPT = 7;

    private static final long MICROS_PER_DAY = 86_400_000_000L;

    private final int maxKeys;
    private final int maxKeysPerService;
    private final Map<Long, Day> days = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, Day> eldest) {
            return size() > DAYS_KEPT;
        }
    };

    public IndexKeyBudget(int maxKeys, int maxKeysPerService) {
        this.maxKeys = maxKeys;
        this.maxKeysPerService = maxKeysPerService;
    }

    /** True when {@code key} is, or now becomes, a field of the index of the UTC day that holds {@code micros}. */
    public boolean admits(long micros, String key) {
        return days.computeIfAbsent(Math.floorDiv(micros, MICROS_PER_DAY), day -> new Day())
                .admits(key);
    }

    private final class Day {
        private final Set<String> admitted = new HashSet<>();
        private final Map<String, Integer> perService = new HashMap<>();

        boolean admits(String key) {
            if (admitted.contains(key)) {
                return true;
            }
            if (key.length() > MAX_KEY_CHARS || admitted.size() >= maxKeys) {
                return false;
            }
            int separator = key.indexOf("::");
            String service = separator < 0 ? key : key.substring(0, separator);
            int ofService = perService.getOrDefault(service, 0);
            if (ofService >= maxKeysPerService) {
                return false;
            }
            perService.put(service, ofService + 1);
            admitted.add(key);
            return true;
        }
    }
}
