package org.tracefeatures.it;

import java.util.Map;
import java.util.TreeMap;

/**
 * What one trace of the simulator's HotROD configs holds, worked out by hand from the configs: ui "/"
 * calls frontend "/dispatch", which calls customer "/customer" (-> mysql "/sql_select"), driver
 * "/FindNearest" (-> redis "/FindDriverIDs", then 10 x redis "/GetDriver") and then N x route
 * "/GetShortestRoute" (N = 10 original, 5 reduced). Every call is a client span "HTTP GET" in the caller
 * and a server span named after the endpoint in the callee; the root is test-executor "runTest".
 */
final class HotrodExpectations {
    private HotrodExpectations() {}

    static Map<String, Long> spanCounts(int routeCalls) {
        Map<String, Long> counts = new TreeMap<>();
        counts.put("test-executor::runTest", 1L);
        counts.put("test-executor::HTTP GET", 1L); // -> ui
        counts.put("ui::/", 1L);
        counts.put("ui::HTTP GET", 1L); // -> frontend
        counts.put("frontend::/dispatch", 1L);
        counts.put("frontend::HTTP GET", 2L + routeCalls); // -> customer, driver, N x route
        counts.put("customer::/customer", 1L);
        counts.put("customer::HTTP GET", 1L); // -> mysql
        counts.put("mysql::/sql_select", 1L);
        counts.put("driver::/FindNearest", 1L);
        counts.put("driver::HTTP GET", 11L); // -> FindDriverIDs, 10 x GetDriver
        counts.put("redis::/FindDriverIDs", 1L);
        counts.put("redis::/GetDriver", 10L);
        counts.put("route::/GetShortestRoute", (long) routeCalls);
        return counts;
    }

    /** 53 for the original (10 route calls), 43 for the reduced (5). */
    static long spanCount(int routeCalls) {
        return 33 + 2L * routeCalls;
    }
}
