package org.tracefeatures.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;
import static org.assertj.core.api.Assertions.tuple;
import static org.tracefeatures.simulator.TraceShape.endNanos;
import static org.tracefeatures.simulator.TraceShape.hasError;
import static org.tracefeatures.simulator.TraceShape.instance;
import static org.tracefeatures.simulator.TraceShape.serviceOperation;
import static org.tracefeatures.simulator.TraceShape.startNanos;
import static org.tracefeatures.simulator.TraceShape.tag;

import io.jaegertracing.api_v2.KeyValue;
import io.jaegertracing.api_v2.Span;
import io.jaegertracing.api_v2.ValueType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.tracefeatures.jaeger.JaegerIds;

class TraceGeneratorTest {

    private static final Instant START = Instant.parse("2024-05-01T12:00:00Z");
    private static final long T0 = START.getEpochSecond() * 1_000_000_000L;
    private static final long MICROS = 1_000L;
    private static final long MILLIS = 1_000_000L;

    private static GeneratedTrace generate(SimulatorConfig config, long traceIndex, long seed) {
        return new TraceGenerator(config, "test").generate(traceIndex, new SplittableRandom(seed), START);
    }

    private static GeneratedTrace hotrod(String name, long traceIndex) {
        return generate(SimulatorConfig.load(name), traceIndex, 42 + traceIndex);
    }

    @Test
    void hotrodOriginalHasTheShapeItsConfigDescribes() {
        TraceShape trace = TraceShape.of(hotrod("hotrod-original", 0).spans());

        // 1 root + client/server pairs: test-executor->ui, ui->frontend, frontend->customer, customer->mysql,
        // frontend->driver, driver->redis 11 times (1 FindDriverIDs, 10 GetDriver), frontend->route 10 times
        assertThat(trace.spans).hasSize(1 + 2 * (1 + 1 + 1 + 1 + 1 + 11 + 10));
        assertThat(trace.spans).hasSize(53);
        assertThat(trace.countsByServiceOperation())
                .containsExactlyInAnyOrderEntriesOf(Map.ofEntries(
                        entry("test-executor::runTest", 1L),
                        entry("test-executor::HTTP GET", 1L),
                        entry("ui::/", 1L),
                        entry("ui::HTTP GET", 1L),
                        entry("frontend::/dispatch", 1L),
                        entry("frontend::HTTP GET", 12L),
                        entry("customer::/customer", 1L),
                        entry("customer::HTTP GET", 1L),
                        entry("mysql::/sql_select", 1L),
                        entry("driver::/FindNearest", 1L),
                        entry("driver::HTTP GET", 11L),
                        entry("redis::/FindDriverIDs", 1L),
                        entry("redis::/GetDriver", 10L),
                        entry("route::/GetShortestRoute", 10L)));
        assertThat(trace.services())
                .containsExactlyInAnyOrder(
                        "test-executor", "ui", "frontend", "customer", "mysql", "driver", "redis", "route");
        assertThat(trace.depth()).isEqualTo(9);
        assertThat(trace.maxFanOut()).isEqualTo(12);
        assertThat(serviceOperation(trace.widestSpan())).isEqualTo("frontend::/dispatch");
    }

    @Test
    void hotrodReducedHasFiveRouteCalls() {
        TraceShape trace = TraceShape.of(hotrod("hotrod-reduced", 0).spans());

        assertThat(trace.spans).hasSize(43);
        Map<String, Long> counts = trace.countsByServiceOperation();
        assertThat(counts)
                .containsEntry("route::/GetShortestRoute", 5L)
                .containsEntry("frontend::HTTP GET", 7L)
                .containsEntry("redis::/GetDriver", 10L)
                .containsEntry("frontend::/dispatch", 1L)
                .containsEntry("test-executor::HTTP GET", 1L);
        assertThat(trace.services()).hasSize(8);
        assertThat(trace.depth()).isEqualTo(9);
        // now /FindNearest, with 11 redis calls, fans out the most
        assertThat(trace.maxFanOut()).isEqualTo(11);
        assertThat(serviceOperation(trace.widestSpan())).isEqualTo("driver::/FindNearest");
    }

    @Test
    void theDeepestPathGoesThroughEveryHop() {
        TraceShape trace = TraceShape.of(hotrod("hotrod-original", 0).spans());

        List<String> path = new ArrayList<>();
        Span span = trace.withServiceOperation("redis::/GetDriver").get(0);
        while (true) {
            path.add(0, serviceOperation(span));
            if (span == trace.root) {
                break;
            }
            span = trace.parentOf(span);
        }
        assertThat(path)
                .containsExactly(
                        "test-executor::runTest",
                        "test-executor::HTTP GET",
                        "ui::/",
                        "ui::HTTP GET",
                        "frontend::/dispatch",
                        "frontend::HTTP GET",
                        "driver::/FindNearest",
                        "driver::HTTP GET",
                        "redis::/GetDriver");
    }

    @Test
    void everyCallIsAClientSpanInTheCallerWithOneServerSpanInTheCallee() {
        TraceShape trace = TraceShape.of(hotrod("hotrod-original", 0).spans());

        for (Span span : trace.spans) {
            if (span == trace.root) {
                continue;
            }
            Span parent = trace.parentOf(span);
            if (span.getOperationName().equals("HTTP GET")) {
                assertThat(tag(span, "span.kind")).map(KeyValue::getVStr).contains("client");
                assertThat(span.getProcess().getServiceName())
                        .isEqualTo(parent.getProcess().getServiceName());
                assertThat(trace.childrenOf(span))
                        .singleElement()
                        .satisfies(server -> assertThat(tag(server, "span.kind"))
                                .map(KeyValue::getVStr)
                                .contains("server"));
            } else {
                assertThat(tag(span, "span.kind")).map(KeyValue::getVStr).contains("server");
                assertThat(parent.getOperationName()).isEqualTo("HTTP GET");
            }
        }
    }

    @Test
    void theRootSpanNamesTheTestAndRunsInTheTestExecutor() {
        Span root = TraceShape.of(new TraceGenerator(SimulatorConfig.load("hotrod-original"), "checkout")
                        .generate(3, new SplittableRandom(1), START)
                        .spans())
                .root;

        assertThat(root.getOperationName()).isEqualTo("runTest");
        assertThat(root.getProcess().getServiceName()).isEqualTo("test-executor");
        assertThat(instance(root)).isEqualTo("test-executor-0");
        assertThat(tag(root, "test_name"))
                .contains(KeyValue.newBuilder()
                        .setKey("test_name")
                        .setVType(ValueType.STRING)
                        .setVStr("checkout")
                        .build());
        assertThat(startNanos(root)).isEqualTo(T0);
    }

    @Test
    void idsHaveJaegersSizesAndTheTraceIdMatchesItsText() {
        GeneratedTrace generated = hotrod("hotrod-original", 0);

        for (Span span : generated.spans()) {
            assertThat(span.getTraceId().size()).isEqualTo(16);
            assertThat(span.getSpanId().size()).isEqualTo(8);
            assertThat(JaegerIds.traceId(span.getTraceId().toByteArray())).isEqualTo(generated.traceIdString());
        }
        assertThat(generated.traceIdString()).matches("[0-9a-f]{16}|[0-9a-f]{32}");
    }

    @Test
    void spansComeInTheOrderTheyFinishWithTheRootLast() {
        for (long traceIndex = 0; traceIndex < 20; traceIndex++) {
            List<Span> spans = hotrod("hotrod-original", traceIndex).spans();
            TraceShape trace = TraceShape.of(spans);

            assertThat(spans).extracting(TraceShape::endNanos).isSorted();
            assertThat(spans.get(spans.size() - 1)).isSameAs(trace.root);
            for (Span span : spans) {
                for (Span child : trace.childrenOf(span)) {
                    assertThat(spans.indexOf(child)).isLessThan(spans.indexOf(span));
                }
            }
        }
    }

    @Test
    void anEndpointRunsItsDependenciesThenDoesItsOwnWorkAndEachCallAddsNetworkAndSequenceTime() {
        SimulatorConfig config = SimulatorConfig.parse("""
                {"Services": [
                  {"Name": "ui", "Endpoints": [{"Name": "/", "Perf": {"Latency": {"Mean": 1000000, "StdDev": 0}},
                     "Depends": {"Seq": [{"Service": {"Name": "db"}}, {"Service": {"Name": "db"}}]}}]},
                  {"Name": "db", "Endpoints": [{"Name": "/q", "Perf": {"Latency": {"Mean": 2000000, "StdDev": 0}}}]}
                ]}""", "timing");

        TraceShape trace = TraceShape.of(generate(config, 0, 7).spans());

        // ui server: starts 50 us after the root call; calls db twice (each: 50 us out, 2 ms work, 50 us back)
        // with 10 us between the calls, then works 1 ms
        Span ui = trace.withServiceOperation("ui::/").get(0);
        assertThat(startNanos(ui)).isEqualTo(T0 + 50 * MICROS);
        assertThat(endNanos(ui)).isEqualTo(T0 + 50 * MICROS + 2 * (2 * MILLIS + 100 * MICROS) + 10 * MICROS + MILLIS);
        List<Span> dbCalls = trace.childrenOf(ui);
        assertThat(dbCalls).extracting(TraceShape::startNanos).containsExactly(T0 + 50 * MICROS, T0 + 2160 * MICROS);
        assertThat(dbCalls).extracting(TraceShape::endNanos).containsExactly(T0 + 2150 * MICROS, T0 + 4260 * MICROS);
        assertThat(trace.withServiceOperation("db::/q"))
                .extracting(TraceShape::startNanos)
                .containsExactlyInAnyOrder(T0 + 100 * MICROS, T0 + 2210 * MICROS);
        assertThat(endNanos(ui)).isEqualTo(T0 + 5260 * MICROS);
        // the root's call returns 50 us after ui is done, and the root span ends with it
        assertThat(endNanos(trace.childrenOf(trace.root).get(0))).isEqualTo(T0 + 5310 * MICROS);
        assertThat(endNanos(trace.root)).isEqualTo(T0 + 5310 * MICROS);
    }

    @Test
    void parallelItemsTakeTheLaneThatFreesUpFirst() {
        SimulatorConfig config = SimulatorConfig.parse("""
                {"Services": [
                  {"Name": "ui", "Endpoints": [{"Name": "/", "Perf": {"Latency": {"Mean": 0, "StdDev": 0}},
                     "Depends": {"Par": {"MaxPar": 2, "Items": [
                        {"Service": {"Name": "db", "Endpoint": "/slow"}}, {"Service": {"Name": "db", "Endpoint": "/fast"}},
                        {"Service": {"Name": "db", "Endpoint": "/fast"}}, {"Service": {"Name": "db", "Endpoint": "/fast"}}
                     ]}}}]},
                  {"Name": "db", "Endpoints": [
                    {"Name": "/slow", "Perf": {"Latency": {"Mean": 3000000, "StdDev": 0}}},
                    {"Name": "/fast", "Perf": {"Latency": {"Mean": 1000000, "StdDev": 0}}}]}
                ]}""", "lanes");

        TraceShape trace = TraceShape.of(generate(config, 0, 7).spans());

        // lane 1: /slow 0 .. 3.1 ms; lane 2: /fast 0 .. 1.1, /fast 1.1 .. 2.2, then the last /fast takes lane 2
        // again (free at 2.2 ms, before lane 1 at 3.1 ms): 2.2 .. 3.3 ms. Times from the ui server's start.
        Span ui = trace.withServiceOperation("ui::/").get(0);
        long uiStart = startNanos(ui);
        assertThat(trace.childrenOf(ui))
                .extracting(call -> startNanos(call) - uiStart)
                .containsExactly(0L, 0L, 1100 * MICROS, 2200 * MICROS);
        assertThat(endNanos(ui) - uiStart).isEqualTo(3300 * MICROS);
    }

    @Test
    void neverMoreThanMaxParRouteCallsAtOnce() {
        int mostEverSeen = 0;
        for (long traceIndex = 0; traceIndex < 30; traceIndex++) {
            TraceShape trace =
                    TraceShape.of(hotrod("hotrod-original", traceIndex).spans());
            Span dispatch = trace.withServiceOperation("frontend::/dispatch").get(0);
            List<Span> routeCalls = trace.childrenOf(dispatch).stream()
                    .filter(call ->
                            serviceOperation(trace.childrenOf(call).get(0)).equals("route::/GetShortestRoute"))
                    .toList();
            assertThat(routeCalls).hasSize(10);
            int overlap = mostOverlapping(routeCalls);
            assertThat(overlap).isLessThanOrEqualTo(3);
            mostEverSeen = Math.max(mostEverSeen, overlap);
        }
        assertThat(mostEverSeen).as("the route calls do run in parallel").isEqualTo(3);
    }

    /** The most spans running at one instant; a span ending when another starts does not overlap it. */
    private static int mostOverlapping(List<Span> spans) {
        TreeMap<Long, Integer> changes = new TreeMap<>();
        for (Span span : spans) {
            changes.merge(startNanos(span), 1, Integer::sum);
            changes.merge(endNanos(span), -1, Integer::sum);
        }
        int running = 0;
        int most = 0;
        for (int change : changes.values()) {
            running += change;
            most = Math.max(most, running);
        }
        return most;
    }

    @Test
    void sequenceItemsRunOneAfterAnotherInConfigOrder() {
        TraceShape trace = TraceShape.of(hotrod("hotrod-original", 0).spans());

        Span dispatch = trace.withServiceOperation("frontend::/dispatch").get(0);
        List<Span> dispatchCalls = trace.childrenOf(dispatch);
        assertThat(dispatchCalls)
                .extracting(call -> serviceOperation(trace.childrenOf(call).get(0)))
                .startsWith("customer::/customer", "driver::/FindNearest");
        Span customerCall = dispatchCalls.get(0);
        Span driverCall = dispatchCalls.get(1);
        assertThat(startNanos(driverCall)).isGreaterThanOrEqualTo(endNanos(customerCall));
        for (Span routeCall : dispatchCalls.subList(2, dispatchCalls.size())) {
            assertThat(startNanos(routeCall)).isGreaterThanOrEqualTo(endNanos(driverCall));
        }

        List<Span> redisCalls = trace.childrenOf(
                trace.withServiceOperation("driver::/FindNearest").get(0));
        assertThat(redisCalls)
                .extracting(call -> trace.childrenOf(call).get(0).getOperationName())
                .containsExactly(
                        "/FindDriverIDs",
                        "/GetDriver",
                        "/GetDriver",
                        "/GetDriver",
                        "/GetDriver",
                        "/GetDriver",
                        "/GetDriver",
                        "/GetDriver",
                        "/GetDriver",
                        "/GetDriver",
                        "/GetDriver");
        for (int i = 1; i < redisCalls.size(); i++) {
            assertThat(startNanos(redisCalls.get(i))).isGreaterThanOrEqualTo(endNanos(redisCalls.get(i - 1)));
        }
    }

    @Test
    void workTimesFollowTheConfiguredNormalDistribution() {
        long total = 0;
        int count = 0;
        for (long traceIndex = 0; traceIndex < 100; traceIndex++) {
            for (Span route : TraceShape.of(
                            hotrod("hotrod-original", traceIndex).spans())
                    .withServiceOperation("route::/GetShortestRoute")) {
                total += endNanos(route) - startNanos(route);
                count++;
            }
        }
        // mean 4 ms, standard deviation 1 ms: the mean of 1000 draws is within 0.1 ms with near certainty
        assertThat((double) total / count).isBetween(3.9 * MILLIS, 4.1 * MILLIS);
    }

    @Test
    void workTimesAreClippedAtZero() {
        SimulatorConfig config = SimulatorConfig.parse("""
                {"Services": [{"Name": "ui", "Endpoints": [
                   {"Name": "/", "Perf": {"Latency": {"Mean": 0, "StdDev": 1000000}}}]}]}""", "clipped");

        long zeroLength = 0;
        for (long seed = 0; seed < 50; seed++) {
            Span ui = TraceShape.of(generate(config, 0, seed).spans())
                    .withServiceOperation("ui::/")
                    .get(0);
            assertThat(ui.getDuration().getSeconds()).isZero();
            assertThat(ui.getDuration().getNanos()).isNotNegative();
            zeroLength += ui.getDuration().getNanos() == 0 ? 1 : 0;
        }
        assertThat(zeroLength).as("about half the draws are negative").isBetween(10L, 40L);
    }

    private static final String FAILING_SEQUENCE = """
            {"Services": [
              {"Name": "ui", "Endpoints": [{"Name": "/", "Perf": {"Latency": {"Mean": 5000000, "StdDev": 0}},
                 "Depends": {"Seq": [{"Service": {"Name": "db", "Endpoint": "/broken"}},
                                     {"Service": {"Name": "db", "Endpoint": "/ok"}}]}}]},
              {"Name": "db", "Endpoints": [
                {"Name": "/broken", "Perf": {"Latency": {"Mean": 1000000, "StdDev": 0},
                                             "Failure": {"Probability": 1, "Messages": ["disk full"]}}},
                {"Name": "/ok"}]}
            ]}""";

    @Test
    void aFailureMarksTheFailingSpanAndEveryCallerUpToTheRootAndStopsTheSequence() {
        GeneratedTrace generated = generate(SimulatorConfig.parse(FAILING_SEQUENCE, "failing"), 0, 3);
        TraceShape trace = TraceShape.of(generated.spans());

        assertThat(generated.failed()).isTrue();
        // the sequence stopped: /ok was never called
        assertThat(trace.spans)
                .extracting(TraceShape::serviceOperation)
                .containsExactlyInAnyOrder(
                        "test-executor::runTest", "test-executor::HTTP GET", "ui::/", "ui::HTTP GET", "db::/broken");
        assertThat(trace.spans)
                .allSatisfy(span ->
                        assertThat(hasError(span)).as(serviceOperation(span)).isTrue());
        assertThat(tag(trace.root, "error"))
                .contains(KeyValue.newBuilder()
                        .setKey("error")
                        .setVType(ValueType.BOOL)
                        .setVBool(true)
                        .build());

        Span broken = trace.withServiceOperation("db::/broken").get(0);
        assertThat(broken.getLogsList()).singleElement().satisfies(log -> {
            assertThat(log.getFieldsList())
                    .extracting(KeyValue::getKey, KeyValue::getVStr)
                    .containsExactly(tuple("event", "error"), tuple("message", "disk full"));
            long logNanos = log.getTimestamp().getSeconds() * 1_000_000_000L
                    + log.getTimestamp().getNanos();
            assertThat(logNanos).as("logged when the work is done").isEqualTo(endNanos(broken));
        });
        // only the endpoint that failed logs the error; the callers just carry error=true
        assertThat(trace.spans)
                .filteredOn(span -> span != broken)
                .allSatisfy(span -> assertThat(span.getLogsList()).isEmpty());
        // a caller whose dependency failed skips its own 5 ms of work
        Span ui = trace.withServiceOperation("ui::/").get(0);
        assertThat(endNanos(ui) - startNanos(ui)).isEqualTo(MILLIS + 100 * MICROS);
    }

    @Test
    void aFailureInAParallelGroupLetsTheOtherItemsRun() {
        SimulatorConfig config = SimulatorConfig.parse("""
                {"Services": [
                  {"Name": "ui", "Endpoints": [{"Name": "/", "Depends": {"Par": {"Items": [
                     {"Service": {"Name": "db", "Endpoint": "/ok"}}, {"Service": {"Name": "db", "Endpoint": "/broken"}},
                     {"Service": {"Name": "db", "Endpoint": "/ok"}}]}}}]},
                  {"Name": "db", "Endpoints": [
                    {"Name": "/ok"},
                    {"Name": "/broken", "Perf": {"Failure": {"Probability": 1}}}]}
                ]}""", "failing-par");

        TraceShape trace = TraceShape.of(generate(config, 0, 3).spans());

        assertThat(trace.withServiceOperation("db::/ok"))
                .hasSize(2)
                .allSatisfy(ok -> assertThat(hasError(ok)).isFalse());
        Span broken = trace.withServiceOperation("db::/broken").get(0);
        assertThat(hasError(broken)).isTrue();
        assertThat(broken.getLogs(0).getFieldsList())
                .extracting(KeyValue::getVStr)
                .contains("simulated failure");
        assertThat(hasError(trace.withServiceOperation("ui::/").get(0))).isTrue();
        assertThat(hasError(trace.root)).isTrue();
        assertThat(trace.childrenOf(trace.withServiceOperation("ui::/").get(0)))
                .filteredOn(call -> !hasError(call))
                .hasSize(2);
    }

    @Test
    void hotrodConfigsNeverFail() {
        for (long traceIndex = 0; traceIndex < 50; traceIndex++) {
            GeneratedTrace generated = hotrod("hotrod-original", traceIndex);
            assertThat(generated.failed()).isFalse();
            assertThat(generated.spans()).noneMatch(TraceShape::hasError);
        }
    }

    @Test
    void instancesAreChosenRoundRobinStartingAtTheTraceIndex() {
        TraceShape first = TraceShape.of(hotrod("hotrod-original", 0).spans());
        TraceShape second = TraceShape.of(hotrod("hotrod-original", 1).spans());

        // 10 route calls over 3 instances, round-robin from route-0 in trace 0 and from route-1 in trace 1
        assertThat(instanceCounts(first, "route::/GetShortestRoute"))
                .isEqualTo(Map.of("route-0", 4L, "route-1", 3L, "route-2", 3L));
        assertThat(instanceCounts(second, "route::/GetShortestRoute"))
                .isEqualTo(Map.of("route-1", 4L, "route-2", 3L, "route-0", 3L));
        assertThat(instanceCounts(first, "driver::/FindNearest")).isEqualTo(Map.of("driver-0", 1L));
        assertThat(instanceCounts(second, "driver::/FindNearest")).isEqualTo(Map.of("driver-1", 1L));
        // a client span runs in the calling instance
        assertThat(instanceCounts(second, "driver::HTTP GET")).isEqualTo(Map.of("driver-1", 11L));
        assertThat(instanceCounts(first, "redis::/GetDriver")).isEqualTo(Map.of("redis-0", 10L));
    }

    private static Map<String, Long> instanceCounts(TraceShape trace, String serviceOperation) {
        Map<String, Long> counts = new TreeMap<>();
        trace.withServiceOperation(serviceOperation).forEach(span -> counts.merge(instance(span), 1L, Long::sum));
        return counts;
    }

    @Test
    void theSameRandomStateGivesTheSameBytes() {
        SimulatorConfig config = SimulatorConfig.load("hotrod-original");

        assertThat(generate(config, 5, 99)).isEqualTo(generate(config, 5, 99));
        assertThat(generate(config, 5, 99).traceIdString())
                .isNotEqualTo(generate(config, 5, 100).traceIdString());
    }

    @Test
    void spanTimesAreProtobufTimestampsAndDurations() {
        Span root = hotrod("hotrod-original", 0).spans().stream()
                .max(Comparator.comparingLong(TraceShape::endNanos))
                .orElseThrow();

        assertThat(root.getStartTime().getSeconds()).isEqualTo(START.getEpochSecond());
        assertThat(root.getDuration().getNanos()).isBetween(0, 999_999_999);
        assertThat(root.getFlags()).isEqualTo(1);
    }

    @Test
    void versionsAndTheEnvironmentAreProcessTagsAndSamplingIsTheRootsTags() {
        SimulatorConfig config = SimulatorConfig.parse(
                "{\"Environment\": \"staging\", \"Services\": ["
                        + "{\"Name\": \"ui\", \"Version\": \"1.5\","
                        + " \"Endpoints\": [{\"Name\": \"/\", \"Depends\": {\"Service\": {\"Name\": \"db\"}}}]},"
                        + "{\"Name\": \"db\"}]}",
                "versions");

        List<Span> spans = new TraceGenerator(config, "v", 0.25)
                .generate(0, new SplittableRandom(1), START)
                .spans();

        Map<String, List<String>> processTagsByService = new TreeMap<>();
        for (Span span : spans) {
            processTagsByService.put(
                    span.getProcess().getServiceName(),
                    span.getProcess().getTagsList().stream()
                            .filter(t -> !t.getKey().equals("service-instance"))
                            .map(t -> t.getKey() + "=" + t.getVStr())
                            .toList());
        }
        // ui has a Version; db and the test executor do not; the environment is everyone's
        assertThat(processTagsByService)
                .containsExactlyEntriesOf(new TreeMap<>(Map.of(
                        "db", List.of("deployment.environment=staging"),
                        "test-executor", List.of("deployment.environment=staging"),
                        "ui", List.of("service.version=1.5", "deployment.environment=staging"))));
        Span root = TraceShape.of(spans).root;
        assertThat(tag(root, "sampler.type")).map(KeyValue::getVStr).contains("probabilistic");
        assertThat(tag(root, "sampler.param")).map(KeyValue::getVStr).contains("0.25");
        // only the root records the decision
        assertThat(spans.stream().filter(s -> tag(s, "sampler.type").isPresent()))
                .containsExactly(root);
    }

    @Test
    void aCallToAnUninstrumentedServiceIsTheClientSpanAloneWithTheServicesClientTags() {
        SimulatorConfig config = SimulatorConfig.parse("""
                {"Services": [
                  {"Name": "api", "Endpoints": [{"Name": "/", "Perf": {"Latency": {"Mean": 1000000, "StdDev": 0}},
                     "Depends": {"Seq": [{"Service": {"Name": "mysql"}}, {"Service": {"Name": "kafka"}}]}}]},
                  {"Name": "mysql", "Instrumented": false,
                   "ClientTags": {"peer.service": "mysql", "db.system": "mysql"},
                   "Endpoints": [{"Name": "/select", "Perf": {"Latency": {"Mean": 2000000, "StdDev": 0}}}]},
                  {"Name": "kafka", "Instrumented": false,
                   "ClientTags": {"span.kind": "producer", "messaging.system": "kafka",
                                  "messaging.destination.name": "orders"},
                   "Endpoints": [{"Name": "/send", "Perf": {"Latency": {"Mean": 3000000, "StdDev": 0}}}]}
                ]}""", "peers");

        TraceShape trace = TraceShape.of(generate(config, 0, 7).spans());

        // test-executor's client span, api's server span, and api's two calls: no span of mysql or kafka
        assertThat(trace.spans).hasSize(5);
        assertThat(trace.spans)
                .noneMatch(span -> span.getProcess().getServiceName().equals("mysql"));
        assertThat(trace.spans)
                .noneMatch(span -> span.getProcess().getServiceName().equals("kafka"));
        Span api = trace.withServiceOperation("api::/").get(0);
        List<Span> calls = trace.childrenOf(api);
        assertThat(calls).extracting(call -> call.getProcess().getServiceName()).containsExactly("api", "api");
        assertThat(calls).allSatisfy(call -> assertThat(trace.childrenOf(call)).isEmpty());
        Map<String, String> mysqlTags = stringTags(calls.get(0));
        assertThat(mysqlTags)
                .containsExactlyEntriesOf(
                        new TreeMap<>(Map.of("span.kind", "client", "peer.service", "mysql", "db.system", "mysql")));
        Map<String, String> kafkaTags = stringTags(calls.get(1));
        assertThat(kafkaTags)
                .containsExactlyEntriesOf(new TreeMap<>(Map.of(
                        "span.kind", "producer", "messaging.system", "kafka", "messaging.destination.name", "orders")));
        // each call: 50 us out, the endpoint's work, 50 us back; 10 us between the calls of the Seq
        assertThat(startNanos(calls.get(0))).isEqualTo(T0 + 50 * MICROS);
        assertThat(endNanos(calls.get(0))).isEqualTo(T0 + 50 * MICROS + 2 * MILLIS + 100 * MICROS);
        assertThat(startNanos(calls.get(1))).isEqualTo(T0 + 2160 * MICROS);
        assertThat(endNanos(calls.get(1))).isEqualTo(T0 + 2160 * MICROS + 3 * MILLIS + 100 * MICROS);
    }

    private static Map<String, String> stringTags(Span span) {
        Map<String, String> tags = new TreeMap<>();
        span.getTagsList().forEach(tag -> tags.put(tag.getKey(), tag.getVStr()));
        return tags;
    }

    @Test
    void withoutSamplingTheRootHasNoSamplerTags() {
        Span root = TraceShape.of(hotrod("hotrod-original", 0).spans()).root;

        assertThat(tag(root, "sampler.type")).isEmpty();
        assertThat(tag(root, "sampler.param")).isEmpty();
    }
}
