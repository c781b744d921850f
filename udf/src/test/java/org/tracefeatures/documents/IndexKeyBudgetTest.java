package org.tracefeatures.documents;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class IndexKeyBudgetTest {
    /** 2026-12-05T10:00:00Z and the next day, in microseconds since the epoch. */
    private static final long DAY_1 = 1_796_464_800_000_000L;

    private static final long DAY_2 = DAY_1 + 86_400_000_000L;

    @Test
    void aServiceThatPutsIdsIntoItsOperationNamesFillsOnlyItsOwnShare() {
        IndexKeyBudget budget = new IndexKeyBudget(20, 3);
        // users admits its first three operations, then none
        assertThat(budget.admits(DAY_1, "users::GET /users/1")).isTrue();
        assertThat(budget.admits(DAY_1, "users::GET /users/2")).isTrue();
        assertThat(budget.admits(DAY_1, "users::GET /users/3")).isTrue();
        for (int id = 4; id < 1000; id++) {
            assertThat(budget.admits(DAY_1, "users::GET /users/" + id)).isFalse();
        }
        // other services still get theirs, and admitted keys stay admitted
        assertThat(budget.admits(DAY_1, "route::/GetShortestRoute")).isTrue();
        assertThat(budget.admits(DAY_1, "frontend::HTTP GET /dispatch")).isTrue();
        assertThat(budget.admits(DAY_1, "users::GET /users/2")).isTrue();
    }

    @Test
    void aDayAdmitsAtMostMaxKeysAndTheNextDayStartsAfresh() {
        IndexKeyBudget budget = new IndexKeyBudget(5, 100);
        for (int service = 0; service < 5; service++) {
            assertThat(budget.admits(DAY_1, "s" + service + "::op")).isTrue();
        }
        assertThat(budget.admits(DAY_1, "s5::op")).isFalse();
        assertThat(budget.admits(DAY_1, "s0::op")).isTrue();
        assertThat(budget.admits(DAY_2, "s5::op")).isTrue();
    }

    @Test
    void keysLongerThan256CharactersAreNeverFields() {
        IndexKeyBudget budget = new IndexKeyBudget(10, 10);
        assertThat(budget.admits(DAY_1, "x".repeat(256))).isTrue();
        assertThat(budget.admits(DAY_1, "y".repeat(257))).isFalse();
    }

    @Test
    void keysTheBudgetRefusesAreSummedUnderOtherSoTheTotalStays() {
        IndexKeyBudget budget = new IndexKeyBudget(100, 2);
        List<String> folded = new ArrayList<>();
        Map<String, Long> counts = new HashMap<>();
        counts.put("users::GET /users/1", 4L);
        counts.put("users::GET /users/2", 3L);
        counts.put("users::GET /users/3", 2L);
        counts.put("route::/GetShortestRoute", 10L);
        counts.put("db::" + "SELECT ".repeat(100), 1L);

        Map<String, Long> safe = FieldSafeMap.of(counts, 1000, DAY_1, budget, folded::add);

        // users' two largest keep their keys; its third (2) and the 700-character key (1) go to _other
        assertThat(safe)
                .containsOnly(
                        Map.entry("route::/GetShortestRoute", 10L),
                        Map.entry("users::GET /users/1", 4L),
                        Map.entry("users::GET /users/2", 3L),
                        Map.entry("_other", 3L));
        assertThat(folded).containsExactly("users::GET /users/3", "db::" + "SELECT ".repeat(100));
    }

    @Test
    void otherFromThePerTraceCapIsAddedToOtherFromTheBudget() {
        IndexKeyBudget budget = new IndexKeyBudget(1, 1);
        // per trace 2 keys: a::x 5 and _other 3 (b::y 2 + c::z 1); then the budget admits a::x only
        List<String> folded = new ArrayList<>();
        Map<String, Long> safe =
                FieldSafeMap.of(Map.of("a::x", 5L, "b::y", 2L, "c::z", 1L), 2, DAY_1, budget, folded::add);
        assertThat(safe).containsOnly(Map.entry("a::x", 5L), Map.entry("_other", 3L));
        assertThat(folded).containsExactly("b::y", "c::z");
        // the next trace's b::y is no longer admitted that day
        assertThat(FieldSafeMap.of(Map.of("b::y", 7L), 2, DAY_1, budget, folded::add))
                .containsOnly(Map.entry("_other", 7L));
        assertThat(folded).containsExactly("b::y", "c::z", "b::y");
    }
}
