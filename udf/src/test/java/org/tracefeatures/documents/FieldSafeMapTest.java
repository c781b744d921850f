package org.tracefeatures.documents;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FieldSafeMapTest {
    @Test
    void dotsBecomeAtSignsSoThatNoKeyOpensAnObjectPath() {
        Map<String, Long> safe = of(Map.of("api.v2::GET /x.json", 3L, "route::/GetShortestRoute", 10L), 100);
        assertThat(safe).containsOnly(Map.entry("api@v2::GET /x@json", 3L), Map.entry("route::/GetShortestRoute", 10L));
    }

    @Test
    void keysThatCollideAfterReplacementAreSummed() {
        assertThat(of(Map.of("a.b::op", 1L, "a@b::op", 2L), 100)).containsOnly(Map.entry("a@b::op", 3L));
    }

    @Test
    void beyondMaxKeysTheSmallestAreSummedUnderOtherAndTheTotalIsKept() {
        Map<String, Long> counts = new HashMap<>();
        for (int i = 0; i < 10_000; i++) {
            counts.put("svc::op" + i, 1L);
        }
        counts.put("svc::hot", 50L);
        counts.put("svc::warm", 20L);

        Map<String, Long> safe = of(counts, 3);

        // two kept (the largest), the 10,000 ones summed: 3 keys, total 50 + 20 + 10,000
        assertThat(safe)
                .containsOnly(Map.entry("svc::hot", 50L), Map.entry("svc::warm", 20L), Map.entry("_other", 10_000L));
    }

    /** The per-row cap alone: a budget that admits every key. */
    private static Map<String, Long> of(Map<String, Long> values, int maxKeys) {
        return FieldSafeMap.of(values, maxKeys, 0, new IndexKeyBudget(Integer.MAX_VALUE, Integer.MAX_VALUE), key -> {});
    }
}
