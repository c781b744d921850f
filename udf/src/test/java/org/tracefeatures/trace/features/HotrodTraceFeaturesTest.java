package org.tracefeatures.trace.features;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;
import static org.tracefeatures.trace.features.Spans.client;
import static org.tracefeatures.trace.features.Spans.server;
import static org.tracefeatures.trace.features.Spans.span;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tracefeatures.trace.Span;
import org.tracefeatures.trace.Trace;

/**
 * A trace shaped like one HotROD "dispatch" request driven by a test executor, built by hand:
 *
 * <pre>
 * test-executor runTest                                  [0,1000]   root
 *  test-executor HTTP GET (client)                       [10,990]
 *   ui / (server)                                        [20,980]
 *    ui HTTP GET (client)                                [30,970]
 *     frontend /dispatch (server)                        [40,960]   12 client children:
 *      frontend /customer (client)                       [50,350]
 *       customer /customer (server)                      [55,345]
 *        customer /sql_select (client)                   [60,340]
 *         mysql /sql_select (server)                     [62,338]
 *      frontend /FindNearest (client)                    [360,700]
 *       driver /FindNearest (server)                     [365,695]  11 client children:
 *        driver /FindDriverIDs (client)                  [370,400]  > redis server [372,398]
 *        driver /GetDriver (client) k = 0..9             [410+28k, 435+28k] > redis server +2/-2
 *      frontend /route (client) j = 0..9                 [710+20j, 770+20j] > route server +3/-3
 * </pre>
 *
 * Spans: 5 down to /dispatch + 12 frontend clients + customer, its client, mysql (3) + driver
 * server (1) + 11 driver clients + 11 redis servers + 10 route servers = 53.
 */
class HotrodTraceFeaturesTest {

    static List<Span> hotrod() {
        List<Span> spans = new ArrayList<>();
        spans.add(span("runtest", null, "test-executor", "runTest", 0, 1000));
        spans.add(client(span("te-get", "runtest", "test-executor", "HTTP GET", 10, 990)));
        spans.add(server(span("ui-root", "te-get", "ui", "/", 20, 980)));
        spans.add(client(span("ui-get", "ui-root", "ui", "HTTP GET", 30, 970)));
        spans.add(server(span("dispatch", "ui-get", "frontend", "/dispatch", 40, 960)));

        spans.add(client(span("fe-customer", "dispatch", "frontend", "/customer", 50, 350)));
        spans.add(server(span("customer", "fe-customer", "customer", "/customer", 55, 345)));
        spans.add(client(span("sql", "customer", "customer", "/sql_select", 60, 340)));
        spans.add(server(span("mysql", "sql", "mysql", "/sql_select", 62, 338)));

        spans.add(client(span("fe-driver", "dispatch", "frontend", "/FindNearest", 360, 700)));
        spans.add(server(span("driver", "fe-driver", "driver", "/FindNearest", 365, 695)));
        spans.add(client(span("ids", "driver", "driver", "/FindDriverIDs", 370, 400)));
        spans.add(server(span("redis-ids", "ids", "redis", "/FindDriverIDs", 372, 398)));
        for (int k = 0; k < 10; k++) {
            long start = 410 + 28L * k;
            spans.add(client(span("get" + k, "driver", "driver", "/GetDriver", start, start + 25)));
            spans.add(server(span("redis-get" + k, "get" + k, "redis", "/GetDriver", start + 2, start + 23)));
        }

        for (int j = 0; j < 10; j++) {
            long start = 710 + 20L * j;
            spans.add(client(span("fe-route" + j, "dispatch", "frontend", "/route", start, start + 60)));
            spans.add(server(span("route" + j, "fe-route" + j, "route", "/route", start + 3, start + 57)));
        }
        return spans;
    }

    @Test
    void hotrodDispatch() {
        TraceFeatures f = TraceFeatures.of(Trace.of(hotrod()));

        assertThat(f.getSpanCount()).isEqualTo(53);
        // test-executor, ui, frontend, customer, mysql, driver, redis, route
        assertThat(f.getServiceCount()).isEqualTo(8);
        // runTest > HTTP GET > / > HTTP GET > /dispatch > /FindNearest (client) > /FindNearest
        // (server) > /GetDriver (client) > /GetDriver (redis server) = 9
        assertThat(f.getDepth()).isEqualTo(9);
        // test-executor, ui, frontend, driver, redis
        assertThat(f.getServiceDepth()).isEqualTo(5);
        assertThat(f.getMaxFanOut()).isEqualTo(12);
        assertThat(f.getErrorCount()).isZero();
        assertThat(f.getErrorServices()).isEmpty();
        assertThat(f.getRootCount()).isEqualTo(1);
        assertThat(f.getOrphanSpanCount()).isZero();
        assertThat(f.getWarnings()).isEmpty();
        assertThat(f.getRootService()).isEqualTo("test-executor");
        assertThat(f.getRootOperation()).isEqualTo("runTest");
        assertThat(f.getRootDurationMicros()).isEqualTo(1000);
        assertThat(f.getDurationMicros()).isEqualTo(1000);
        assertThat(f.getSpanCounts())
                .contains(
                        entry("frontend::/route", 10L),
                        entry("route::/route", 10L),
                        entry("driver::/GetDriver", 10L),
                        entry("redis::/GetDriver", 10L),
                        entry("mysql::/sql_select", 1L));

        // client -> server pairs: te->ui 10, ui->frontend 10, frontend->customer 5, customer->mysql
        // 2, frontend->driver 5, driver->redis 2 (x11), frontend->route 3 (x10): max 10;
        // mean (10 + 10 + 5 + 2 + 5 + 11*2 + 10*3) / 26 = 84 / 26
        assertThat(f.getNetworkLatencyMaxMicros()).isEqualTo(10L);
        assertThat(f.getNetworkLatencyAvgMicros()).isEqualTo(84.0 / 26);

        long sum =
                f.getCriticalPath().values().stream().mapToLong(Long::longValue).sum();
        assertThat(sum).isEqualTo(f.getRootDurationMicros());
        long serviceSum = f.getCriticalPathServices().values().stream()
                .mapToLong(Long::longValue)
                .sum();
        assertThat(serviceSum).isEqualTo(1000);
        // the walk through /dispatch: route 9 [890,950], route 5 [810,870], route 1 [730,790], then
        // the driver call, then the customer call, so every service is on the path
        assertThat(f.getCriticalPathServices())
                .containsOnlyKeys("test-executor", "ui", "frontend", "customer", "mysql", "driver", "redis", "route");
        // route servers 9, 5, 1 own 54 each (their clients keep 3 + 3)
        assertThat(f.getCriticalPath()).containsEntry("route::/route", 3 * 54L);
        // /dispatch owns the gaps between its calls on the path:
        // [950,960] + [870,890] + [790,810] + [700,730] + [350,360] + [40,50] = 100
        assertThat(f.getCriticalPath()).containsEntry("frontend::/dispatch", 100L);
    }
}
