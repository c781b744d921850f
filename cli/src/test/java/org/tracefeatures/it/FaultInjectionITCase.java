package org.tracefeatures.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.api.parallel.ResourceAccessMode;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.tracefeatures.cli.ClusterSubmission;
import org.tracefeatures.runner.RunOptions;
import org.tracefeatures.runner.SqlJobRunner;
import org.tracefeatures.simulator.EncodedRecord;
import org.tracefeatures.simulator.GeneratedTrace;
import org.tracefeatures.simulator.JaegerProtoSpanEncoder;
import org.tracefeatures.simulator.SimulatorConfig;
import org.tracefeatures.simulator.TraceGenerator;
import org.tracefeatures.simulator.TraceSimulator;
import org.tracefeatures.stack.LocalStack;
import org.tracefeatures.stack.LocalStackConfig;

/**
 * Nothing lost, nothing counted twice, on real processes: sql/span_count.sql, trace_features.sql and
 * service_dependencies.sql run streaming (not bounded) on a Flink standalone cluster of separate JVMs (the one of
 * `cluster up`), each submitted on its own as `run --target cluster` does, read a real Kafka broker and write a real
 * Elasticsearch node, and a fault hits them in the middle of the traffic: the TaskManager killed, the Kafka broker or
 * the Elasticsearch node stopped and started again, the jobs cancelled and resumed. Every simulated trace must end up
 * as exactly one trace-summaries and one trace-features document with exactly the values that the simulator config
 * implies (HotROD original: 53 spans, 10 route calls, ...), one trace-critical-path document per service, and the
 * dependency documents must count exactly the calls of those traces.
 *
 * <p>A streaming job writes a trace once its session window closes, and a dependency bucket once a minute step of it
 * ends, which takes later traffic (the watermark follows the Kafka record times): the tests keep sending one-trace
 * "tick"s, which they leave out of the counts, and after their last batch one tick dated 90 s ahead, which closes every
 * window of what came before it (instead of waiting up to a minute for the dependency job's step to end). A tick
 * (src/test/resources/simulator/tick.json) is the test executor calling a service "tick": its documents have test name
 * "tick", and its one call is the link test-executor -> tick, which no HotROD trace has, so the HotROD links stay exact
 * whatever number of ticks a dependency document holds.
 */
@ExtendWith({RealStack.class, RealFlinkCluster.class})
@Timeout(value = 10, unit = TimeUnit.MINUTES)
// beside the other integration test classes; a test that kills or stops a process of the stack holds
// RealStack.SHARED_PROCESSES alone, the others share it, each on a topic, indexes and slots of its own
@Execution(ExecutionMode.CONCURRENT)
class FaultInjectionITCase {
    private static final int REST_PORT = RealFlinkCluster.REST_PORT;
    /** Each its own submission and job, as a user runs them. */
    private static final List<String> JOBS =
            List.of("span_count.sql", "trace_features.sql", "service_dependencies.sql");

    private static final int TRACES_PER_BATCH = 10;
    /** Three batches: before the fault, during it, after it. */
    private static final int EXPECTED_TRACES = 3 * TRACES_PER_BATCH;
    /** HotROD original: 33 + 2 x 10 route calls, worked out in HotrodExpectations. */
    private static final long SPANS_PER_TRACE = 53;
    /**
     * test-executor, ui, frontend, customer, mysql, driver, redis, route: every one is on the critical path, as all
     * calls of the config are sequential but the route calls, and the last of those ends the parallel block.
     */
    private static final Set<String> SERVICES =
            Set.of("test-executor", "ui", "frontend", "customer", "mysql", "driver", "redis", "route");
    /** Nothing dropped: 53 spans are far below the cap of spans per trace (sql/init/traces.sql). */
    private static final Map<String, String> EXPECTED_SUMMARY =
            Map.of("spanCount", String.valueOf(SPANS_PER_TRACE), "droppedSpanCount", "0");
    /** What every trace-features document of hotrod-original holds, from the config (as in TraceFeaturesITCase). */
    private static final Map<String, String> EXPECTED_FEATURES = Map.ofEntries(
            Map.entry("spanCount", "53"),
            Map.entry("droppedSpanCount", "0"),
            Map.entry("serviceCount", "8"),
            Map.entry("operationCount", "14"), // the keys of HotrodExpectations.spanCounts
            // runTest > HTTP GET > / > HTTP GET > /dispatch > HTTP GET > /FindNearest > HTTP GET > /GetDriver
            Map.entry("depth", "9"),
            Map.entry("serviceDepth", "5"), // the same chain by service
            Map.entry("maxFanOut", "12"), // /dispatch calls customer, driver and 10 x route
            Map.entry("rootService", "test-executor"),
            Map.entry("rootOperation", "runTest"),
            Map.entry("rootCount", "1"),
            Map.entry("errorCount", "0"), // the config's failure probabilities are 0
            Map.entry("orphanSpanCount", "0"));
    /**
     * The calls of one hotrod-original trace, as sql/service_dependencies.sql's header works them out: every request is
     * one client -> server hop between two services.
     */
    private static final Map<String, Long> CALLS_PER_TRACE = Map.of(
            "test-executor -> ui", 1L,
            "ui -> frontend", 1L,
            "frontend -> customer", 1L,
            "customer -> mysql", 1L,
            "frontend -> driver", 1L,
            "driver -> redis", 11L, // FindDriverIDs and 10 x GetDriver
            "frontend -> route", 10L);

    private static final Map<String, Long> EXPECTED_CALLS = CALLS_PER_TRACE.entrySet().stream()
            .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue() * EXPECTED_TRACES, Long::sum, TreeMap::new));
    private static final String TICK_LINK = "test-executor -> tick";
    /** The one link of the id traffic of {@link #twentyThousandOperationNamesNeitherStopTheJobsNorExhaustTheIndex}. */
    private static final String ID_LINK = "api -> users";

    private static final Duration RECOVERY_TIMEOUT = Duration.ofMinutes(4);
    private static final Duration KAFKA_OUTAGE = Duration.ofSeconds(20);
    private static final Duration ELASTICSEARCH_OUTAGE = Duration.ofSeconds(30);
    /** More than the dependency job's 1 min step plus the 5 s session gap and the watermark delay. */
    private static final Duration FLUSH_AHEAD = Duration.ofSeconds(90);

    private static final Duration WRITE_BLOCK = Duration.ofSeconds(30);
    /** The id traffic: 200 traces of 100 spans, every operation name distinct: 20,000 names. */
    private static final int ID_TRACES = 200;

    private static final int SPANS_PER_ID_TRACE = 100;
    private static final long TTL_TRACE_LOW = 0x7711L;
    private static final int SKEW_TRACES = 10;
    private static final String TTL_TRACE = "0000000000007711";
    /** Far more than the 2 s state TTL of the straggler test. */
    private static final Duration STRAGGLER_DELAY = Duration.ofSeconds(20);

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    /** Each tick a trace of its own, whichever test sends it. */
    private static final AtomicInteger TICK_SEEDS = new AtomicInteger(10_000);
    /** The ticks sent per scope's topic: tests run side by side. */
    private static final Map<String, AtomicInteger> TICKS_SENT = new ConcurrentHashMap<>();

    @Test
    @ResourceLock(value = RealStack.SHARED_PROCESSES, mode = ResourceAccessMode.READ_WRITE)
    void killingTheTaskManagerMidRunLosesNothingAndCountsNothingTwice() throws Exception {
        String testName = "tm-kill";
        RealStack.Scope scope = RealStack.newScope("tm-kill");
        List<String> jobIds = submitAll(scope);
        try {
            firstBatchCheckpointed(scope, testName, 101, jobIds);

            // the second batch is on its way while the TaskManager dies
            CompletableFuture<Void> duringFault = CompletableFuture.runAsync(
                    () -> scope.simulate("hotrod-original", TRACES_PER_BATCH, testName, 102));
            Thread.sleep(300);
            List<ProcessHandle> killed = RealFlinkCluster.cluster().runningTaskManagers();
            assertThat(killed).hasSize(1);
            killed.forEach(ProcessHandle::destroyForcibly); // SIGKILL, as kill -9
            for (ProcessHandle taskManager : killed) {
                assertThat(taskManager.onExit().get(30, TimeUnit.SECONDS).isAlive())
                        .isFalse();
            }
            duringFault.get(2, TimeUnit.MINUTES);
            RealFlinkCluster.cluster().addTaskManager();
            scope.simulate("hotrod-original", TRACES_PER_BATCH, testName, 103);
            flushTick(scope);

            Contents contents = awaitComplete(scope, testName, jobIds);

            List<Recovery> recoveries = recoveries(scope, jobIds);
            report("kill -9 of the TaskManager (" + killed.size() + " process); " + describe(recoveries), contents);
            for (Recovery recovery : recoveries) {
                assertThat(recovery.failures)
                        .as(
                                "%s: job failures in the exception history: the kill must have hit" + " every job",
                                recovery.job)
                        .isGreaterThanOrEqualTo(1);
                assertRestoredFromCheckpoint(recovery);
            }
            assertEffectivelyOnce(contents);
            assertRunning(jobIds);
        } finally {
            cancelAll(jobIds);
        }
    }

    @Test
    @ResourceLock(value = RealStack.SHARED_PROCESSES, mode = ResourceAccessMode.READ_WRITE)
    void stoppingTheKafkaBrokerMidRunLosesNothingAndCountsNothingTwice() throws Exception {
        String testName = "kafka-outage";
        RealStack.Scope scope = RealStack.newScope("kafka-outage");
        List<String> jobIds = submitAll(scope);
        try {
            firstBatchCheckpointed(scope, testName, 301, jobIds);
            long recordsBeforeSecondBatch = endOffset(scope.topic);
            OptionalLong brokerBefore = RealStack.status().kafka().pid();

            // the second batch is on its way, and the jobs read it, while the broker goes away
            CompletableFuture<Void> duringFault = CompletableFuture.runAsync(
                    () -> scope.simulate("hotrod-original", TRACES_PER_BATCH, testName, 302));
            Thread.sleep(300);
            long outageStart = System.nanoTime();
            RealStack.stop(LocalStack.Server.KAFKA);
            assertThat(RealStack.status().kafka().running()).isFalse();
            Thread.sleep(KAFKA_OUTAGE.toMillis());
            RealStack.startStoppedServer();
            Duration outage = Duration.ofNanos(System.nanoTime() - outageStart);
            OptionalLong brokerAfter = RealStack.status().kafka().pid();
            sendAgainUnlessWritten(duringFault, scope, testName, 302, recordsBeforeSecondBatch);
            scope.simulate("hotrod-original", TRACES_PER_BATCH, testName, 303);
            flushTick(scope);

            Contents contents = awaitComplete(scope, testName, jobIds);

            List<Recovery> recoveries = recoveries(scope, jobIds);
            report(
                    String.format(
                            "Kafka broker stopped, started again %d s later on the same data dir and port"
                                    + " (pid %s, then %s; unavailable %.0f s); %s",
                            KAFKA_OUTAGE.toSeconds(),
                            pid(brokerBefore),
                            pid(brokerAfter),
                            outage.toMillis() / 1000.0,
                            describe(recoveries)),
                    contents);
            assertThat(brokerAfter).as("a new broker process").isPresent().isNotEqualTo(brokerBefore);
            assertEffectivelyOnce(contents);
            assertRunning(jobIds);
        } finally {
            cancelAll(jobIds);
        }
    }

    @Test
    @ResourceLock(value = RealStack.SHARED_PROCESSES, mode = ResourceAccessMode.READ_WRITE)
    void stoppingElasticsearchMidRunLosesNothingAndCountsNothingTwice() throws Exception {
        String testName = "es-outage";
        RealStack.Scope scope = RealStack.newScope("es-outage");
        List<String> jobIds = submitAll(scope);
        try {
            firstBatchCheckpointed(scope, testName, 401, jobIds);
            // the second batch's windows are open when the node goes away
            scope.simulate("hotrod-original", TRACES_PER_BATCH, testName, 402);
            OptionalLong nodeBefore = RealStack.status().elasticsearch().pid();
            long outageStart = System.nanoTime();
            RealStack.stop(LocalStack.Server.ELASTICSEARCH);
            assertThat(RealStack.status().elasticsearch().running()).isFalse();
            // ticks close the second batch's windows (and their own), so the sinks must write while the node is away
            tickUntilNanos(scope, outageStart + ELASTICSEARCH_OUTAGE.toNanos());
            RealStack.startStoppedServer();
            Duration outage = Duration.ofNanos(System.nanoTime() - outageStart);
            OptionalLong nodeAfter = RealStack.status().elasticsearch().pid();
            scope.simulate("hotrod-original", TRACES_PER_BATCH, testName, 403);
            flushTick(scope);

            Contents contents = awaitComplete(scope, testName, jobIds);

            List<Recovery> recoveries = recoveries(scope, jobIds);
            report(
                    String.format(
                            "Elasticsearch node stopped, started again %d s later on the same data dir and"
                                    + " ports (pid %s, then %s; unavailable %.0f s); %s",
                            ELASTICSEARCH_OUTAGE.toSeconds(),
                            pid(nodeBefore),
                            pid(nodeAfter),
                            outage.toMillis() / 1000.0,
                            describe(recoveries)),
                    contents);
            assertThat(nodeAfter).as("a new Elasticsearch process").isPresent().isNotEqualTo(nodeBefore);
            // the sink holds the documents and tries again until the node answers: no job failed
            for (Recovery recovery : recoveries) {
                assertThat(recovery.failures)
                        .as(
                                "%s: job failures in the exception history: a bulk request that"
                                        + " fails as a whole is tried again, not failed",
                                recovery.job)
                        .isZero();
            }
            assertEffectivelyOnce(contents);
            assertRunning(jobIds);
        } finally {
            cancelAll(jobIds);
        }
    }

    @Test
    @ResourceLock(value = RealStack.SHARED_PROCESSES, mode = ResourceAccessMode.READ)
    void resumingCancelledJobsFromTheirRetainedCheckpointsLosesNothingAndCountsNothingTwice() throws Exception {
        String testName = "resume";
        RealStack.Scope scope = RealStack.newScope("resume");
        List<String> firstJobs = submitAll(scope);
        try {
            firstBatchCheckpointed(scope, testName, 201, firstJobs);
            // the second batch is partly read, its traces' windows open, when the jobs are cancelled
            scope.simulate("hotrod-original", TRACES_PER_BATCH, testName, 202);
        } finally {
            cancelAll(firstJobs);
        }
        Map<String, String> checkpoints = new LinkedHashMap<>();
        for (int i = 0; i < JOBS.size(); i++) {
            JsonNode latest = rest("/jobs/" + firstJobs.get(i) + "/checkpoints")
                    .path("latest")
                    .path("completed");
            String checkpoint = latest.path("external_path").asText(null);
            assertThat(checkpoint)
                    .as("the retained checkpoint of %s (job %s)", JOBS.get(i), firstJobs.get(i))
                    .isNotNull();
            assertThat(Path.of(URI.create(checkpoint.startsWith("file:") ? checkpoint : "file:" + checkpoint)))
                    .isDirectory();
            checkpoints.put(JOBS.get(i), checkpoint);
        }

        scope.simulate("hotrod-original", TRACES_PER_BATCH, testName, 203);
        flushTick(scope);
        List<String> resumedJobs = new ArrayList<>();
        try {
            for (String job : JOBS) {
                resumedJobs.add(submit(
                        scope, job, List.of("SET 'execution.state-recovery.path' = '" + checkpoints.get(job) + "';")));
            }
            Contents contents = awaitComplete(scope, testName, resumedJobs);

            List<Recovery> recoveries = recoveries(scope, resumedJobs);
            report("cancel, then resubmission from the retained checkpoints; " + describe(recoveries), contents);
            for (Recovery recovery : recoveries) {
                assertThat(recovery.restored.path("external_path").asText())
                        .as(recovery.job)
                        .isEqualTo(checkpoints.get(recovery.job));
                assertRereadOnlyWhatFollowedTheCheckpoint(recovery);
            }
            assertEffectivelyOnce(contents);
        } finally {
            cancelAll(resumedJobs);
        }
    }

    /**
     * A write block on every index of the scope for 30 s (as a user sets index.blocks.write, or as Elasticsearch
     * sets read_only_allow_delete at its flood-stage disk watermark): Elasticsearch answers each document with a
     * cluster_block_exception, the sinks hold the documents and try again with backoff, and once the block is lifted
     * every document arrives, exactly once, without a job failure.
     */
    @Test
    @ResourceLock(value = RealStack.SHARED_PROCESSES, mode = ResourceAccessMode.READ)
    void aWriteBlockForThirtySecondsMidRunLosesNothingAndCountsNothingTwice() throws Exception {
        String testName = "write-block";
        RealStack.Scope scope = RealStack.newScope("write-block");
        List<String> jobIds = submitAll(scope);
        try {
            firstBatchCheckpointed(scope, testName, 501, jobIds);
            scope.simulate("hotrod-original", TRACES_PER_BATCH, testName, 502);
            long blockEnd = System.nanoTime() + WRITE_BLOCK.toNanos();
            writeBlock(scope, true);
            try {
                // ticks close the second batch's windows (and their own), so the sinks must write during the block
                tickUntilNanos(scope, blockEnd);
                assertThat(metricSum(jobIds.get(0), ".tracefeatures.documentRetries"))
                        .as("span_count.sql's sink tried blocked documents again")
                        .isPositive();
            } finally {
                writeBlock(scope, false);
            }
            scope.simulate("hotrod-original", TRACES_PER_BATCH, testName, 503);
            flushTick(scope);

            Contents contents = awaitComplete(scope, testName, jobIds);

            assertUnharmed(scope, jobIds, "index.blocks.write=true for " + WRITE_BLOCK.toSeconds() + " s", contents);
        } finally {
            cancelAll(jobIds);
        }
    }

    /**
     * Operation names with ids in them: 200 traces that together carry 20,000 distinct operation names, then the
     * HotROD batches. The jobs keep running without a failure, every HotROD document and call is exact, the id
     * traces' documents still add up (sum of spanCounts = spanCount), and the daily index got only the day's budget
     * of fields: FIELD_SAFE_MAP (span_count.sql: at most 100 keys of one service per day and task) made the first 100
     * users operations of each of the 2 tasks fields and summed the rest under _other, counted and logged.
     */
    @Test
    @ResourceLock(value = RealStack.SHARED_PROCESSES, mode = ResourceAccessMode.READ)
    void twentyThousandOperationNamesNeitherStopTheJobsNorExhaustTheIndex() throws Exception {
        String testName = "many-names";
        RealStack.Scope scope = RealStack.newScope("many-names");
        List<String> jobIds = submitAll(scope);
        try {
            List<byte[]> idTraces = new ArrayList<>();
            for (int trace = 0; trace < ID_TRACES; trace++) {
                idTraces.addAll(idTrace(trace));
            }
            scope.produce(idTraces);
            for (int batch = 1; batch <= 3; batch++) {
                scope.simulate("hotrod-original", TRACES_PER_BATCH, testName, 600 + batch);
            }
            tick(scope); // a tick whose window the flush tick closes: the ticks' link is in the dependencies
            flushTick(scope);

            Contents contents = awaitComplete(scope, testName, jobIds);

            assertUnharmed(
                    scope,
                    jobIds,
                    ID_TRACES + " traces of " + ID_TRACES * SPANS_PER_ID_TRACE + " distinct operation names",
                    contents);

            // 200 traces of 99 users calls each
            assertThat(contents.calls().get(ID_LINK)).isEqualTo(ID_TRACES * (SPANS_PER_ID_TRACE - 1L));
            List<JsonNode> idSummaries = documents(scope, "trace-summaries", "ids");
            assertThat(idSummaries).hasSize(ID_TRACES);
            for (JsonNode hit : idSummaries) {
                JsonNode doc = hit.get("_source");
                assertThat(doc.get("spanCount").asLong()).isEqualTo(SPANS_PER_ID_TRACE);
                assertThat(longs(doc.get("spanCounts")).values().stream()
                                .mapToLong(Long::longValue)
                                .sum())
                        .as("sum of spanCounts of %s", doc.get("traceId"))
                        .isEqualTo(SPANS_PER_ID_TRACE);
            }
            // each of the 2 tasks of span_count.sql admits 100 users keys a day: 99 of its first trace, 1 of its
            // second; the traces' names are distinct, so no key is admitted by both
            Set<String> fields = spanCountsFields(scope.index("trace-summaries"));
            assertThat(fields.stream().filter(field -> field.startsWith("users::")))
                    .hasSize(200);
            assertThat(fields)
                    .containsAll(HotrodExpectations.spanCounts(10).keySet())
                    .contains("_other");
            assertThat(metricSum(jobIds.get(0), ".tracefeatures.foldedKeys"))
                    .as("keys span_count.sql summed under _other")
                    .isPositive();
            assertThat(taskManagerLogs()).contains("Summed key 'users::GET /users/");
        } finally {
            cancelAll(jobIds);
        }
    }

    /**
     * A straggler that comes after the state TTL (2 s here, 20 s after its trace) is taken for a new trace, and its
     * document replaces the trace's whole document: the document then describes the straggler alone, and still adds
     * up (a partial update would have merged its spanCounts and critical path into the old ones).
     */
    @Test
    @ResourceLock(value = RealStack.SHARED_PROCESSES, mode = ResourceAccessMode.READ)
    void aStragglerAfterTheStateTtlLeavesDocumentsThatAddUp() throws Exception {
        String testName = "ttl";
        RealStack.Scope scope = RealStack.newScope("ttl");
        List<String> jobIds = new ArrayList<>();
        try {
            for (String job : List.of("span_count.sql", "trace_features.sql")) {
                jobIds.add(submit(scope, job, List.of("SET 'table.exec.state.ttl' = '2 s';")));
            }
            long start = System.currentTimeMillis() * 1000;
            // trace 0x7711: a root of 10 ms and two sequential children of 3 ms, the root sent last
            scope.produce(List.of(
                    ttlSpan(2, 1, "driver", "FindNearest", start + 1_000, 3_000, false),
                    ttlSpan(3, 1, "driver", "FindNearest", start + 5_000, 3_000, false),
                    ttlSpan(1, 0, "frontend", "/dispatch", start, 10_000, true)));
            tickUntil(
                    scope,
                    testName,
                    contents -> contents.summaries().size() == 1
                            && contents.features().size() == 1);
            JsonNode first = documents(scope, "trace-features", testName).get(0).get("_source");
            assertThat(first.get("spanCount").asInt()).isEqualTo(3);
            assertThat(longs(first.get("criticalPath")))
                    .isEqualTo(Map.of("frontend::/dispatch", 4_000L, "driver::FindNearest", 6_000L));

            tickUntilNanos(scope, System.nanoTime() + STRAGGLER_DELAY.toNanos());
            scope.produce(List.of(ttlSpan(4, 1, "late", "straggler", start + 20_000_000, 2_000, false)));
            long deadline = System.nanoTime() + RECOVERY_TIMEOUT.toNanos();
            while (!documentOf(scope, "trace-summaries", TTL_TRACE)
                            .path("spanCount")
                            .asText()
                            .equals("1")
                    || !documentOf(scope, "trace-features", TTL_TRACE)
                            .path("spanCount")
                            .asText()
                            .equals("1")) {
                assertThat(System.nanoTime()).as("the straggler's document").isLessThan(deadline);
                tick(scope);
                Thread.sleep(2000);
            }

            // the straggler alone, an orphan (its parent is not in its window): its 2 ms are the whole path
            JsonNode summary = documentOf(scope, "trace-summaries", TTL_TRACE);
            assertThat(longs(summary.get("spanCounts"))).isEqualTo(Map.of("late::straggler", 1L));
            JsonNode features = documentOf(scope, "trace-features", TTL_TRACE);
            assertThat(features.get("spanCount").asInt()).isEqualTo(1);
            assertThat(features.get("rootDurationMicros").asLong()).isEqualTo(2_000);
            assertThat(longs(features.get("criticalPath"))).isEqualTo(Map.of("late::straggler", 2_000L));
            // and every document of the scope, the ticks' too, adds up
            for (String index : List.of("trace-summaries", "trace-features")) {
                for (JsonNode hit : scope.documents(index)) {
                    JsonNode doc = hit.get("_source");
                    assertThat(sum(doc.get("spanCounts")))
                            .as("%s %s: sum of spanCounts", index, hit.get("_id"))
                            .isEqualTo(doc.get("spanCount").asLong());
                    if (index.equals("trace-features")) {
                        assertThat(sum(doc.get("criticalPath")))
                                .as("critical path of %s", hit.get("_id"))
                                .isEqualTo(doc.get("rootDurationMicros").asLong());
                        assertThat(sum(doc.get("criticalPathServices")))
                                .as("critical path of %s", hit.get("_id"))
                                .isEqualTo(doc.get("rootDurationMicros").asLong());
                    }
                }
            }
            assertRunning(jobIds);
        } finally {
            cancelAll(jobIds);
        }
    }

    /**
     * A second producer whose clock runs an hour ahead writes one span into each partition of a 2-partition topic
     * created as the local stack creates its span topic (LocalStackConfig.SPAN_TOPIC_CONFIG: LogAppendTime), then 10
     * HotROD traces follow: the broker stamps every record with its own clock, so the watermark stays with real
     * time and all 10 traces get exact documents. The same traffic on a topic that keeps the producers' timestamps
     * (CreateTime) gets none: the watermark jumps an hour and every span after the skewed ones is late.
     */
    @Test
    @ResourceLock(value = RealStack.SHARED_PROCESSES, mode = ResourceAccessMode.READ)
    void aProducerClockAnHourAheadMakesNoSpanLateOnATopicWithLogAppendTime() throws Exception {
        assertThat(hotrodDocumentsAfterASkewedProducer("clock-skew", LocalStackConfig.SPAN_TOPIC_CONFIG))
                .hasSize(SKEW_TRACES)
                .allSatisfy(hit -> assertThat(wrongFields(hit.get("_source"), EXPECTED_SUMMARY))
                        .as("trace-summaries of %s", hit.get("_id"))
                        .isEmpty());
        assertThat(hotrodDocumentsAfterASkewedProducer("clock-skew-create-time", Map.of()))
                .isEmpty();
    }

    /**
     * The trace-summaries documents of 10 HotROD traces sent after a producer an hour ahead wrote a span into each
     * partition, with span_count.sql streaming; waits until all 10 are there or, if they do not come, 30 s of
     * ticks after the last HotROD span.
     */
    private static List<JsonNode> hotrodDocumentsAfterASkewedProducer(String testName, Map<String, String> topicConfig)
            throws Exception {
        RealStack.Scope scope = RealStack.newScope(testName, 2, topicConfig);
        List<String> jobIds = List.of(submit(scope, "span_count.sql", List.of()));
        try {
            long aheadMillis = System.currentTimeMillis() + Duration.ofHours(1).toMillis();
            long start = System.currentTimeMillis() * 1000;
            try (KafkaProducer<byte[], byte[]> skewed = new KafkaProducer<>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, RealStack.kafka(),
                    ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName(),
                    ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName()))) {
                for (int partition = 0; partition < 2; partition++) {
                    skewed.send(new ProducerRecord<>(
                                    scope.topic,
                                    partition,
                                    aheadMillis,
                                    null,
                                    protoSpan(
                                            0x5c5cL,
                                            2 - partition,
                                            partition == 0 ? 2 : 0,
                                            "skewed",
                                            "ahead",
                                            start,
                                            1_000,
                                            partition == 1 ? "skewed" : null)))
                            .get();
                }
            }
            // the job has read the skewed spans of both partitions before the HotROD traffic comes
            awaitSourceRecords(jobIds.get(0), 2);
            scope.simulate("hotrod-original", SKEW_TRACES, testName, 31);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            List<JsonNode> documents = documents(scope, "trace-summaries", testName);
            while (documents.size() < SKEW_TRACES && System.nanoTime() < deadline) {
                tick(scope);
                Thread.sleep(2000);
                documents = documents(scope, "trace-summaries", testName);
            }
            assertRunning(jobIds);
            return documents;
        } finally {
            cancelAll(jobIds);
        }
    }

    /**
     * A partition added to the topic while the jobs run: the simulator's traces go to both partitions from then on,
     * the jobs discover the new one within 2 s (the input part's scan.topic-partition-discovery.interval) and read it
     * from its first offset before the watermark passes its spans: every trace arrives, exactly once.
     */
    @Test
    @ResourceLock(value = RealStack.SHARED_PROCESSES, mode = ResourceAccessMode.READ)
    void aPartitionAddedWhileTheJobsRunIsReadWithoutLoss() throws Exception {
        String testName = "new-partition";
        RealStack.Scope scope = RealStack.newScope("new-partition");
        List<String> jobIds = submitAll(scope);
        try {
            firstBatchCheckpointed(scope, testName, 701, jobIds);
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, RealStack.kafka()))) {
                admin.createPartitions(Map.of(scope.topic, NewPartitions.increaseTo(2)))
                        .all()
                        .get();
            }
            scope.simulate("hotrod-original", TRACES_PER_BATCH, testName, 702);
            scope.simulate("hotrod-original", TRACES_PER_BATCH, testName, 703);
            assertThat(endOffset(scope.topic, 1))
                    .as("spans written to the new partition")
                    .isPositive();
            tickUntilNanos(scope, System.nanoTime() + Duration.ofSeconds(6).toNanos());
            flushTick(scope);

            Contents contents = awaitComplete(scope, testName, jobIds);

            assertUnharmed(scope, jobIds, "a second partition added after the first batch", contents);
        } finally {
            cancelAll(jobIds);
        }
    }

    /**
     * Redeploying changed SQL, the upgrade the README describes: span_count.sql is stopped with a savepoint while
     * the windows of its second batch are open, a third batch comes while it is stopped, and the job is submitted
     * again from that savepoint with a column added to its documents (a feature computed after the trace assembly;
     * the sink table gets the column with ALTER TABLE). It restores: the open traces finish whole (53 spans, so the
     * window state came back), the source resumes at the savepoint's offsets (the first batch is not written again:
     * its documents lack the new column), and the second and third batches carry it.
     */
    @Test
    @ResourceLock(value = RealStack.SHARED_PROCESSES, mode = ResourceAccessMode.READ)
    void aJobWithAnAddedColumnResumesFromTheSavepointOfTheOldOne() throws Exception {
        String testName = "redeploy";
        RealStack.Scope scope = RealStack.newScope("redeploy");
        String firstJob = submit(scope, "span_count.sql", List.of());
        String savepoint;
        try {
            scope.simulate("hotrod-original", TRACES_PER_BATCH, testName, 801);
            tickUntil(scope, testName, contents -> contents.summaries().size() >= TRACES_PER_BATCH);
            scope.simulate("hotrod-original", TRACES_PER_BATCH, testName, 802);
            Thread.sleep(3000); // read, its windows open
            // as a user does: `bin/tracefeatures cluster stop-job JOB_ID`, which prints the savepoint's path
            CliProcess.Result stopped = CliProcess.run(
                    RealStack.WORK_DIR.resolve("redeploy-stop"),
                    Map.of(),
                    process -> {},
                    "cluster",
                    "stop-job",
                    firstJob,
                    "--rest-port",
                    String.valueOf(REST_PORT));
            assertThat(stopped.exitCode()).as(stopped.everything()).isZero();
            savepoint = stopped.out().strip();
            assertThat(stopped.err()).contains("run --target cluster --savepoint " + savepoint);
            assertThat(rest("/jobs/" + firstJob).path("state").asText()).isEqualTo("FINISHED");
        } catch (Exception | AssertionError e) {
            cancelAll(List.of(firstJob));
            throw e;
        }
        scope.simulate("hotrod-original", TRACES_PER_BATCH, testName, 803);

        String job = Files.readString(RealStack.HOME.resolve("sql/span_count.sql"), StandardCharsets.UTF_8);
        String changed = job.replace(
                "  test_name AS testName ",
                "  test_name AS testName,\n  CAST(CARDINALITY(SPAN_COUNTS(spans)) AS INT) AS operationCount ");
        assertThat(changed).as("span_count.sql's last column").isNotEqualTo(job);
        Path changedJob = scope.part("span_count_v2.sql", changed);
        Path addColumn = scope.part("add-column.sql", "ALTER TABLE trace_summaries ADD operationCount INT;\n");
        List<String> resumed = List.of(submit(
                scope,
                changedJob.toString(),
                List.of("SET 'execution.state-recovery.path' = '" + savepoint + "';"),
                addColumn));
        try {
            flushTick(scope);
            long deadline = System.nanoTime() + RECOVERY_TIMEOUT.toNanos();
            List<JsonNode> documents = documents(scope, "trace-summaries", testName);
            while (documents.size() < 3 * TRACES_PER_BATCH) {
                assertThat(System.nanoTime())
                        .as("%d of %d documents", documents.size(), 3 * TRACES_PER_BATCH)
                        .isLessThan(deadline);
                Thread.sleep(2000);
                documents = documents(scope, "trace-summaries", testName);
            }
            Thread.sleep(4000);
            documents = documents(scope, "trace-summaries", testName);

            assertThat(documents)
                    .hasSize(3 * TRACES_PER_BATCH)
                    .allSatisfy(hit -> assertThat(wrongFields(hit.get("_source"), EXPECTED_SUMMARY))
                            .as("%s", hit.get("_id"))
                            .isEmpty());
            // the 14 service::operation keys of hotrod-original, on the documents the changed job wrote
            assertThat(documents.stream()
                            .filter(hit -> hit.at("/_source/operationCount").asInt() == 14))
                    .hasSize(2 * TRACES_PER_BATCH);
            assertThat(documents.stream()
                            .filter(hit -> hit.at("/_source/operationCount").isMissingNode()))
                    .hasSize(TRACES_PER_BATCH);
            assertThat(rest("/jobs/" + resumed.get(0) + "/checkpoints")
                            .at("/latest/restored/is_savepoint")
                            .asText())
                    .isEqualTo("true");
            assertRunning(resumed);
        } finally {
            cancelAll(resumed);
        }
    }

    /** Sets or lifts index.blocks.write on every index of the scope (the jobs' sinks write nowhere else). */
    /**
     * A job started from the latest offsets (`run --from latest`) and resumed from its retained checkpoint after
     * retention deleted the records past it (Admin.deleteRecords moves the log start as retention does): the traces
     * written after the deletion all arrive. Flink's source resets a table that starts at 'latest-offset' to the latest
     * offset and would skip them; the runner pins such a start as 'specific-offsets', whose reset is the earliest offset
     * left (StartingOffsets).
     */
    @Test
    @ResourceLock(value = RealStack.SHARED_PROCESSES, mode = ResourceAccessMode.READ)
    void aJobFromLatestResumedAfterRetentionDeletedItsOffsetsReadsEveryRecordLeft() throws Exception {
        RealStack.Scope scope = RealStack.newScope("retention");
        String first = submit(scope, "span_count.sql", "latest", List.of());
        try {
            scope.simulate("hotrod-original", TRACES_PER_BATCH, "before-deletion", 301);
            tickUntil(scope, "before-deletion", contents -> contents.summaries().size() == TRACES_PER_BATCH);
            // nothing is written from here to the cancel: the second checkpoint from now holds the end offset
            awaitNewCheckpoints(List.of(first));
            awaitNewCheckpoints(List.of(first));
        } finally {
            cancelAll(List.of(first));
        }
        long checkpointed = endOffset(scope.topic);
        String checkpoint = rest("/jobs/" + first + "/checkpoints")
                .at("/latest/completed/external_path")
                .asText(null);
        assertThat(checkpoint).as("the retained checkpoint of job %s", first).isNotNull();

        scope.simulate("hotrod-original", TRACES_PER_BATCH, "deleted", 302);
        long deletedUpTo = endOffset(scope.topic);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, RealStack.kafka()))) {
            admin.deleteRecords(Map.of(new TopicPartition(scope.topic, 0), RecordsToDelete.beforeOffset(deletedUpTo)))
                    .all()
                    .get();
        }
        scope.simulate("hotrod-original", TRACES_PER_BATCH, "after-deletion", 303);

        String resumed = submit(
                scope,
                "span_count.sql",
                "latest",
                List.of("SET 'execution.state-recovery.path' = '" + checkpoint + "';"));
        try {
            // the runner names what retention deleted, from the checkpoint's offset to the deletion
            assertThat(Files.readString(RealStack.WORK_DIR.resolve("tests.log"), StandardCharsets.UTF_8))
                    .contains("Retention deleted offsets " + checkpointed + " to " + (deletedUpTo - 1)
                            + " of partition 0 of"
                            + " topic " + scope.topic + " (" + (deletedUpTo - checkpointed) + " records) before this"
                            + " job read them: it resumes at offset " + deletedUpTo);
            tickUntil(scope, "after-deletion", contents -> contents.summaries().size() == TRACES_PER_BATCH);
            assertThat(documents(scope, "trace-summaries", "deleted")).isEmpty();
            assertThat(rest("/jobs/" + resumed + "/checkpoints")
                            .at("/latest/restored/external_path")
                            .asText())
                    .isEqualTo(checkpoint);
            assertRunning(List.of(resumed));
        } finally {
            cancelAll(List.of(resumed));
        }
    }

    private static void writeBlock(RealStack.Scope scope, boolean blocked) throws Exception {
        String indexes = String.join(
                ",",
                scope.index("trace-summaries") + "*",
                scope.index("trace-features") + "*",
                scope.index("trace-critical-path") + "*",
                scope.index("jaeger-dependencies") + "*");
        HttpResponse<String> response = HTTP.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + RealStack.ELASTICSEARCH_PORT + "/" + indexes
                                + "/_settings?allow_no_indices=true"))
                        .header("Content-Type", "application/json")
                        .PUT(HttpRequest.BodyPublishers.ofString(
                                "{\"index.blocks.write\":" + (blocked ? "true" : "null") + "}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode())
                .as("write block %s: %s", blocked, response.body())
                .isEqualTo(200);
    }

    /**
     * Trace {@code n} of the id traffic: a root api "GET /api/batch/n" with 99 sequential users children
     * "GET /users/m", every name distinct across the traces; the root has test_name "ids" and comes last.
     */
    private static List<byte[]> idTrace(int n) {
        long traceLow = 0x1d000000L + n;
        long start = System.currentTimeMillis() * 1000;
        List<byte[]> spans = new ArrayList<>();
        for (int child = 1; child < SPANS_PER_ID_TRACE; child++) {
            spans.add(protoSpan(
                    traceLow,
                    child + 1,
                    1,
                    "users",
                    "GET /users/" + (n * (SPANS_PER_ID_TRACE - 1) + child),
                    start + child * 1_000L,
                    1_000,
                    null));
        }
        spans.add(protoSpan(traceLow, 1, 0, "api", "GET /api/batch/" + n, start, 100_000, "ids"));
        return spans;
    }

    private static byte[] ttlSpan(
            long spanId,
            long parentId,
            String service,
            String operation,
            long startMicros,
            long durationMicros,
            boolean tagged) {
        return protoSpan(
                TTL_TRACE_LOW,
                spanId,
                parentId,
                service,
                operation,
                startMicros,
                durationMicros,
                tagged ? "ttl" : null);
    }

    /** A Jaeger protobuf span of trace {@code traceLow} (64-bit id), with the test_name tag unless null. */
    private static byte[] protoSpan(
            long traceLow,
            long spanId,
            long parentId,
            String service,
            String operation,
            long startMicros,
            long durationMicros,
            String testName) {
        io.jaegertracing.api_v2.Span.Builder span =
                JaegerSpans.span(traceLow, spanId, parentId, service, operation, startMicros, durationMicros);
        if (testName != null) {
            span.addTags(io.jaegertracing.api_v2.KeyValue.newBuilder()
                    .setKey("test_name")
                    .setVStr(testName));
        }
        return span.build().toByteArray();
    }

    /** The document of a trace in the scope's indexes of a sink, or a missing node. */
    private static JsonNode documentOf(RealStack.Scope scope, String defaultIndex, String traceId) {
        for (JsonNode hit : scope.documents(defaultIndex)) {
            if (hit.get("_id").asText().equals(traceId)) {
                return hit.get("_source");
            }
        }
        return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
    }

    private static long sum(JsonNode object) {
        return longs(object).values().stream().mapToLong(Long::longValue).sum();
    }

    /** The mapped fields under spanCounts of the indexes whose names start with {@code index}. */
    private static Set<String> spanCountsFields(String index) throws Exception {
        HttpResponse<String> response = HTTP.send(
                HttpRequest.newBuilder(URI.create(
                                "http://127.0.0.1:" + RealStack.ELASTICSEARCH_PORT + "/" + index + "*/_mapping"))
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        Set<String> fields = new HashSet<>();
        new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(response.body())
                .forEach(mapping -> mapping.at("/mappings/properties/spanCounts/properties")
                        .fieldNames()
                        .forEachRemaining(fields::add));
        return fields;
    }

    /**
     * A metric of a job summed over its vertices and subtasks, e.g. ".tracefeatures.foldedKeys", once the REST API
     * shows it (it fetches the metrics every 10 s); 0 when no vertex has it within 30 s.
     */
    private static long metricSum(String jobId, String suffix) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            long sum = 0;
            for (JsonNode vertex : rest("/jobs/" + jobId).path("vertices")) {
                String metrics =
                        "/jobs/" + jobId + "/vertices/" + vertex.path("id").asText() + "/subtasks/metrics";
                List<String> ids = new ArrayList<>();
                RealFlinkCluster.cluster()
                        .rest(metrics)
                        .ifPresent(available -> available.forEach(metric -> {
                            if (metric.path("id").asText().endsWith(suffix)) {
                                ids.add(URLEncoder.encode(metric.path("id").asText(), StandardCharsets.UTF_8));
                            }
                        }));
                if (!ids.isEmpty()) {
                    for (JsonNode value : rest(metrics + "?get=" + String.join(",", ids))) {
                        sum += (long) value.path("sum").asDouble();
                    }
                }
            }
            if (sum > 0 || System.nanoTime() > deadline) {
                return sum;
            }
            Thread.sleep(2000);
        }
    }

    /** The TaskManagers' logs of the test cluster, all in one string. */
    private static String taskManagerLogs() throws Exception {
        StringBuilder logs = new StringBuilder();
        try (var files = Files.walk(RealStack.WORK_DIR.resolve("flink-cluster"))) {
            for (Path log : files.filter(file -> file.getFileName().toString().matches("flink-taskmanager.*\\.log"))
                    .toList()) {
                logs.append(Files.readString(log, StandardCharsets.UTF_8));
            }
        }
        return logs.toString();
    }

    /** The first batch, its documents (so every job reads and writes), and a checkpoint of each job after them. */
    private static void firstBatchCheckpointed(RealStack.Scope scope, String testName, long seed, List<String> jobIds)
            throws InterruptedException {
        scope.simulate("hotrod-original", TRACES_PER_BATCH, testName, seed);
        tickUntil(scope, testName, Contents::any);
        awaitNewCheckpoints(jobIds);
    }

    /**
     * Waits for a batch that was being simulated when Kafka went away. The producer retries what it could not send and
     * mostly gets through once the broker is back; if it gave up instead (it waits at most 15 s for a broker it has not
     * yet reached), the batch is sent again, which is only right when none of it reached the topic.
     */
    private static void sendAgainUnlessWritten(
            CompletableFuture<Void> sending, RealStack.Scope scope, String testName, long seed, long recordsBefore)
            throws Exception {
        try {
            sending.get(3, TimeUnit.MINUTES);
        } catch (ExecutionException e) {
            long recordsNow = endOffset(scope.topic);
            assertThat(recordsNow)
                    .as(
                            "the simulator failed (%s) after writing part of its batch: the test's traffic"
                                    + " would be incomplete",
                            e.getCause())
                    .isEqualTo(recordsBefore);
            System.out.println("FAULT INJECTION: the simulator gave up during the outage ("
                    + e.getCause().getMessage() + "); the batch was sent again");
            scope.simulate("hotrod-original", TRACES_PER_BATCH, testName, seed);
        }
    }

    /** Submits the three jobs; if one fails, cancels those already running: they would hold the next test's slots. */
    private static List<String> submitAll(RealStack.Scope scope) throws Exception {
        List<String> jobIds = new ArrayList<>();
        try {
            for (String job : JOBS) {
                jobIds.add(submit(scope, job, List.of()));
            }
        } catch (Exception | AssertionError e) {
            cancelAll(jobIds);
            throw e;
        }
        return jobIds;
    }

    /** Submits a job to the cluster as `run --target cluster` does, with 2 s checkpoints, into the scope's indexes. */
    private static String submit(RealStack.Scope scope, String job, List<String> moreSettings, Path... moreInit)
            throws Exception {
        return submit(scope, job, null, moreSettings, moreInit);
    }

    /** The same starting, without state, where `run --from FROM` says (null: as the input part says). */
    private static String submit(
            RealStack.Scope scope, String job, String from, List<String> moreSettings, Path... moreInit)
            throws Exception {
        Path overrides = scope.overridesPart(
                "trace_summaries",
                "trace-summaries",
                "trace_features",
                "trace-features",
                "trace_critical_path",
                "trace-critical-path",
                "service_graph",
                "service-graph");
        Path dependenciesIndex = scope.part(
                "dependencies-index.sql",
                "ALTER TABLE jaeger_dependencies SET ('index' = '" + scope.index("jaeger-dependencies")
                        + "-{timestamp|yyyy-MM-dd}');\n");
        List<String> settings = new ArrayList<>();
        // quicker than the default 10 s, so that the test sees checkpoints soon
        settings.add("SET 'execution.checkpointing.interval' = '2 s';");
        // what a submission from this 2-core machine gets (the client's core count), whatever machine runs the test:
        // the cluster has 6 slots for each test's 3 jobs. Two subtasks read the one partition, so one of them idles.
        settings.add("SET 'parallelism.default' = '2';");
        // the exponential-delay strategy of init/settings.sql, capped lower than its 1 min: a job that failed
        // throughout an outage would otherwise wait up to a minute more after the server is back
        settings.add("SET 'restart-strategy.exponential-delay.max-backoff' = '8 s';");
        settings.addAll(moreSettings);
        Path settingsPart = Files.createDirectories(RealStack.WORK_DIR.resolve("fault-injection"))
                .resolve(scope.topic + "-" + System.nanoTime() + ".sql");
        Files.writeString(settingsPart, String.join("\n", settings) + "\n", StandardCharsets.UTF_8);

        RunOptions options = RunOptions.parse("--no-wait", job);
        options.from = from;
        options.initScripts.addAll(scope.initScripts(overrides));
        options.initScripts.add(dependenciesIndex.toString());
        options.initScripts.add(settingsPart.toString());
        for (Path init : moreInit) {
            options.initScripts.add(init.toString());
        }
        options.configuration.putAll(
                ClusterSubmission.configuration("127.0.0.1", REST_PORT, ClusterSubmission.shadedJar(RealStack.HOME)));
        String jobId = SqlJobRunner.run(options).orElseThrow().getJobID().toString();
        awaitJobState(jobId, "RUNNING");
        return jobId;
    }

    private static void tick(RealStack.Scope scope) {
        scope.simulate(tickConfig(), 1, "tick", TICK_SEEDS.getAndIncrement());
        ticksSentTo(scope).incrementAndGet();
    }

    private static AtomicInteger ticksSentTo(RealStack.Scope scope) {
        return TICKS_SENT.computeIfAbsent(scope.topic, topic -> new AtomicInteger());
    }

    private static String tickConfig() {
        return RealStack.resourcePath("/simulator/tick.json");
    }

    /** Sends a one-trace tick every two seconds, which moves the watermark, until System.nanoTime() reaches end. */
    private static void tickUntilNanos(RealStack.Scope scope, long end) throws InterruptedException {
        while (System.nanoTime() < end) {
            tick(scope);
            Thread.sleep(2000);
        }
    }

    /** Sends a one-trace tick every two seconds, which moves the watermark, until the contents of testName pass. */
    private static void tickUntil(RealStack.Scope scope, String testName, Predicate<Contents> done)
            throws InterruptedException {
        long deadline = System.nanoTime() + RECOVERY_TIMEOUT.toNanos();
        for (Contents contents = Contents.read(scope, testName);
                !done.test(contents);
                contents = Contents.read(scope, testName)) {
            assertThat(System.nanoTime())
                    .as("%s after %d s: %s", testName, RECOVERY_TIMEOUT.toSeconds(), contents.figures())
                    .isLessThan(deadline);
            tick(scope);
            Thread.sleep(2000);
        }
    }

    /**
     * Waits, after the {@link #flushTick}, until Elasticsearch holds as many documents and calls of testName as
     * expected, then looks again a few seconds later: a document or a call too many would show then.
     */
    private static Contents awaitComplete(RealStack.Scope scope, String testName, List<String> jobIds)
            throws InterruptedException {
        long deadline = System.nanoTime() + RECOVERY_TIMEOUT.toNanos();
        for (Contents contents = Contents.read(scope, testName);
                !contents.complete();
                contents = Contents.read(scope, testName)) {
            // one reading of the clock: the diagnostics must come with every failure of the assertion below
            long now = System.nanoTime();
            if (now >= deadline) {
                printDiagnostics(scope, jobIds);
            }
            assertThat(now)
                    .as("%s after %d s: %s", testName, RECOVERY_TIMEOUT.toSeconds(), contents.figures())
                    .isLessThan(deadline);
            Thread.sleep(2000);
        }
        Thread.sleep(4000);
        return Contents.read(scope, testName);
    }

    /**
     * A tick whose Kafka record time is {@link #FLUSH_AHEAD} from now: once a job has read it, and with it all that the
     * test sent before, its watermark has passed every window of that traffic, the dependency job's minute step
     * included, so the last batch's documents need not wait for the clock. The last record a test sends: one sent
     * later would be late.
     */
    private static void flushTick(RealStack.Scope scope) throws Exception {
        GeneratedTrace trace = new TraceGenerator(SimulatorConfig.load(tickConfig()), "tick")
                .generate(0, TraceSimulator.randomForTrace(TICK_SEEDS.getAndIncrement(), 0), Instant.now());
        long recordTime = Instant.now().plus(FLUSH_AHEAD).toEpochMilli();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, RealStack.kafka(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName(),
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName()))) {
            for (EncodedRecord record : new JaegerProtoSpanEncoder().encode(trace)) {
                producer.send(new ProducerRecord<>(scope.topic, null, recordTime, record.key(), record.value()))
                        .get();
            }
        }
        ticksSentTo(scope).incrementAndGet();
    }

    /**
     * What Elasticsearch holds for one test: the documents of its test name, the calls of the scope's dependency
     * documents summed per link (over buckets, as Jaeger does: the traffic may fall on both sides of an hour), and
     * how many ticks the scope had sent when it was read.
     */
    private record Contents(
            List<JsonNode> summaries,
            List<JsonNode> features,
            List<JsonNode> criticalPath,
            Map<String, Long> calls,
            int ticksSent) {

        static Contents read(RealStack.Scope scope, String testName) {
            return new Contents(
                    documents(scope, "trace-summaries", testName),
                    documents(scope, "trace-features", testName),
                    documents(scope, "trace-critical-path", testName),
                    callsByLink(scope),
                    ticksSentTo(scope).get());
        }

        /** Every job has written something of the test. */
        boolean any() {
            return !summaries.isEmpty() && !features.isEmpty() && !criticalPath.isEmpty();
        }

        /** As many documents and calls as expected, or more. */
        boolean complete() {
            return summaries.size() >= EXPECTED_TRACES
                    && features.size() >= EXPECTED_TRACES
                    && criticalPath.size() >= EXPECTED_TRACES * SERVICES.size()
                    && EXPECTED_CALLS.entrySet().stream()
                            .allMatch(link -> calls.getOrDefault(link.getKey(), 0L) >= link.getValue());
        }

        /** The HotROD links: every link but the ticks' and the id traffic's. */
        Map<String, Long> hotrodCalls() {
            Map<String, Long> hotrod = new TreeMap<>(calls);
            hotrod.remove(TICK_LINK);
            hotrod.remove(ID_LINK);
            return hotrod;
        }

        String figures() {
            return summaries.size() + " trace-summaries, " + features.size() + " trace-features, " + criticalPath.size()
                    + " trace-critical-path documents, calls " + calls;
        }
    }

    /** The scope's documents of one test name in the indexes of a sink (created by the first write, hence the *). */
    private static List<JsonNode> documents(RealStack.Scope scope, String defaultIndex, String testName) {
        String index = scope.index(defaultIndex) + "*";
        RealStack.elasticsearch().refresh(index);
        JsonNode hits = RealStack.elasticsearch().search(index, "{\"size\":10000,\"query\":{\"match_all\":{}}}");
        List<JsonNode> documents = new ArrayList<>();
        hits.at("/hits/hits").forEach(hit -> {
            if (testName.equals(hit.at("/_source/testName").asText())) {
                documents.add(hit);
            }
        });
        return documents;
    }

    /** "parent -> child" -> callCount, summed over the scope's dependency documents. */
    private static Map<String, Long> callsByLink(RealStack.Scope scope) {
        String index = scope.index("jaeger-dependencies") + "-*";
        RealStack.elasticsearch().refresh(index);
        JsonNode hits = RealStack.elasticsearch().search(index, "{\"size\":10000,\"query\":{\"match_all\":{}}}");
        Map<String, Long> calls = new TreeMap<>();
        for (JsonNode hit : hits.at("/hits/hits")) {
            for (JsonNode link : hit.at("/_source/dependencies")) {
                calls.merge(
                        link.get("parent").asText() + " -> " + link.get("child").asText(),
                        link.get("callCount").asLong(),
                        Long::sum);
            }
        }
        return calls;
    }

    /**
     * Every trace's documents once and the dependency calls counted once: effectively once, as the sink writes at
     * least once and a document written again has the same id.
     */
    private static void assertEffectivelyOnce(Contents contents) {
        Map<String, JsonNode> features = new HashMap<>();
        for (JsonNode hit : contents.features()) {
            JsonNode doc = hit.get("_source");
            assertThat(hit.get("_id").asText()).isEqualTo(doc.get("traceId").asText());
            assertThat(wrongFields(doc, EXPECTED_FEATURES))
                    .as("trace-features of trace %s", doc.get("traceId"))
                    .isEmpty();
            features.put(doc.get("traceId").asText(), doc);
        }
        assertThat(features).hasSize(EXPECTED_TRACES);
        assertThat(contents.features()).hasSize(EXPECTED_TRACES);

        Set<String> summaries = new HashSet<>();
        for (JsonNode hit : contents.summaries()) {
            JsonNode doc = hit.get("_source");
            assertThat(hit.get("_id").asText()).isEqualTo(doc.get("traceId").asText());
            assertThat(wrongFields(doc, EXPECTED_SUMMARY))
                    .as("trace-summaries of trace %s", doc.get("traceId"))
                    .isEmpty();
            summaries.add(doc.get("traceId").asText());
        }
        assertThat(summaries).isEqualTo(features.keySet());
        assertThat(contents.summaries()).hasSize(EXPECTED_TRACES);

        Map<String, Map<String, Long>> criticalPaths = criticalPaths(contents.criticalPath());
        assertThat(criticalPaths.keySet()).isEqualTo(features.keySet());
        criticalPaths.forEach((traceId, byService) -> {
            assertThat(byService.keySet())
                    .as("services on the critical path of %s", traceId)
                    .isEqualTo(SERVICES);
            assertThat(byService)
                    .as("critical path of %s", traceId)
                    .isEqualTo(longs(features.get(traceId).get("criticalPathServices")));
        });
        assertThat(contents.criticalPath()).hasSize(EXPECTED_TRACES * SERVICES.size());

        assertThat(contents.hotrodCalls()).as("calls between services").isEqualTo(EXPECTED_CALLS);
        assertThat(contents.calls().getOrDefault(TICK_LINK, 0L))
                .as("the ticks' calls: no more than were sent")
                .isBetween(1L, (long) contents.ticksSent());
    }

    /** Reports the run, then checks that no job failed, that the contents are exact and that every job runs. */
    private static void assertUnharmed(RealStack.Scope scope, List<String> jobIds, String faults, Contents contents)
            throws Exception {
        List<Recovery> recoveries = recoveries(scope, jobIds);
        report(faults + "; " + describe(recoveries), contents);
        for (Recovery recovery : recoveries) {
            assertThat(recovery.failures)
                    .as("%s: job failures in the exception history", recovery.job)
                    .isZero();
        }
        assertEffectivelyOnce(contents);
        assertRunning(jobIds);
    }

    /** trace id -> service -> micros of the trace-critical-path documents; fails on a document id seen twice. */
    private static Map<String, Map<String, Long>> criticalPaths(List<JsonNode> hits) {
        Map<String, Map<String, Long>> byTrace = new TreeMap<>();
        for (JsonNode hit : hits) {
            JsonNode doc = hit.get("_source");
            assertThat(hit.get("_id").asText())
                    .isEqualTo(doc.get("traceId").asText() + "/"
                            + doc.get("service").asText());
            Long before = byTrace.computeIfAbsent(doc.get("traceId").asText(), id -> new TreeMap<>())
                    .put(doc.get("service").asText(), doc.get("micros").asLong());
            assertThat(before).as("a second document %s", hit.get("_id")).isNull();
        }
        return byTrace;
    }

    /** The fields of a document whose values differ from the expected ones, with their values; spanCounts as well. */
    private static Map<String, String> wrongFields(JsonNode doc, Map<String, String> expected) {
        Map<String, String> wrong = new TreeMap<>();
        expected.forEach((field, value) -> {
            if (!doc.path(field).asText().equals(value)) {
                wrong.put(field, doc.path(field).toString());
            }
        });
        if (!longs(doc.path("spanCounts")).equals(HotrodExpectations.spanCounts(10))) {
            wrong.put("spanCounts", doc.path("spanCounts").toString());
        }
        return wrong;
    }

    private static Map<String, Long> longs(JsonNode object) {
        Map<String, Long> values = new TreeMap<>();
        object.fields()
                .forEachRemaining(e -> values.put(e.getKey(), e.getValue().asLong()));
        return values;
    }

    /**
     * The figures of a run, for the test log: per index the documents expected, found, missing, duplicated and with
     * wrong values, and the calls expected, found, missing and counted twice.
     */
    private static void report(String faults, Contents contents) {
        List<String> figures = new ArrayList<>();
        figures.add(documentFigures(
                "trace-summaries",
                EXPECTED_TRACES,
                contents.summaries(),
                hit -> hit.at("/_source/traceId").asText(),
                hit -> !wrongFields(hit.get("_source"), EXPECTED_SUMMARY).isEmpty()));
        figures.add(documentFigures(
                "trace-features",
                EXPECTED_TRACES,
                contents.features(),
                hit -> hit.at("/_source/traceId").asText(),
                hit -> !wrongFields(hit.get("_source"), EXPECTED_FEATURES).isEmpty()));
        // a share of the critical path is right when it is the one of the trace's trace-features document
        Map<String, JsonNode> sharesByTrace = new HashMap<>();
        contents.features()
                .forEach(hit -> sharesByTrace.put(
                        hit.at("/_source/traceId").asText(), hit.at("/_source/criticalPathServices")));
        figures.add(documentFigures(
                "trace-critical-path",
                EXPECTED_TRACES * SERVICES.size(),
                contents.criticalPath(),
                hit -> hit.get("_id").asText(),
                hit -> {
                    JsonNode doc = hit.get("_source");
                    JsonNode share = sharesByTrace
                            .getOrDefault(doc.get("traceId").asText(), NullNode.getInstance())
                            .path(doc.get("service").asText());
                    return !share.isNumber()
                            || share.asLong() != doc.get("micros").asLong();
                }));
        long expectedCalls = 0;
        long missingCalls = 0;
        long extraCalls = 0;
        Map<String, Long> found = contents.hotrodCalls();
        Set<String> links = new HashSet<>(found.keySet());
        links.addAll(EXPECTED_CALLS.keySet());
        for (String link : links) {
            long expected = EXPECTED_CALLS.getOrDefault(link, 0L);
            long calls = found.getOrDefault(link, 0L);
            expectedCalls += expected;
            missingCalls += Math.max(0, expected - calls);
            extraCalls += Math.max(0, calls - expected);
        }
        figures.add(String.format(
                "jaeger-dependencies calls expected %d, found %d, missing %d, counted twice %d",
                expectedCalls,
                found.values().stream().mapToLong(Long::longValue).sum(),
                missingCalls,
                extraCalls));
        System.out.printf("FAULT INJECTION: %s; %s%n", faults, String.join("; ", figures));
    }

    private static String documentFigures(
            String index,
            int expected,
            List<JsonNode> documents,
            Function<JsonNode, String> key,
            Predicate<JsonNode> wrong) {
        Set<String> keys = documents.stream().map(key).collect(Collectors.toSet());
        return String.format(
                "%s documents expected %d, found %d, missing %d, duplicated %d, with wrong values %d",
                index,
                expected,
                documents.size(),
                Math.max(0, expected - keys.size()),
                documents.size() - keys.size(),
                documents.stream().filter(wrong).count());
    }

    /** How one job came through the fault: its failures, the checkpoint it restored, what its source read. */
    private record Recovery(String job, int failures, JsonNode restored, long recordsReread, long recordsInTopic) {}

    private static List<Recovery> recoveries(RealStack.Scope scope, List<String> jobIds) throws Exception {
        long recordsInTopic = endOffset(scope.topic);
        List<Recovery> recoveries = new ArrayList<>();
        for (int i = 0; i < jobIds.size(); i++) {
            String jobId = jobIds.get(i);
            recoveries.add(new Recovery(
                    JOBS.get(i),
                    rest("/jobs/" + jobId + "/exceptions")
                            .path("exceptionHistory")
                            .path("entries")
                            .size(),
                    rest("/jobs/" + jobId + "/checkpoints").path("latest").path("restored"),
                    sourceRecords(jobId),
                    recordsInTopic));
        }
        return recoveries;
    }

    private static String describe(List<Recovery> recoveries) {
        return recoveries.stream()
                .map(recovery -> String.format(
                        "%s: job failures %d, restored checkpoint %s,"
                                + " its source read %d of the topic's %d records since its last start",
                        recovery.job,
                        recovery.failures,
                        recovery.restored.path("id").asText("none"),
                        recovery.recordsReread,
                        recovery.recordsInTopic))
                .collect(Collectors.joining(", "));
    }

    private static void assertRestoredFromCheckpoint(Recovery recovery) {
        assertThat(recovery.restored.path("is_savepoint").asText())
                .as("%s restored a checkpoint: %s", recovery.job, recovery.restored)
                .isEqualTo("false");
        assertRereadOnlyWhatFollowedTheCheckpoint(recovery);
    }

    /** Without the checkpoint's offsets the restarted source would read the topic from the start again. */
    private static void assertRereadOnlyWhatFollowedTheCheckpoint(Recovery recovery) {
        assertThat(recovery.recordsReread)
                .as("records %s read after its restart: it must start at the checkpoint's" + " offsets", recovery.job)
                .isBetween(1L, recovery.recordsInTopic - 1);
    }

    private static String pid(OptionalLong pid) {
        return pid.isPresent() ? String.valueOf(pid.getAsLong()) : "none";
    }

    private static void assertRunning(List<String> jobIds) {
        for (String jobId : jobIds) {
            assertThat(rest("/jobs/" + jobId).path("state").asText())
                    .as("job %s", jobId)
                    .isEqualTo("RUNNING");
        }
    }

    /** Waits until each job has completed a checkpoint after this call. */
    private static void awaitNewCheckpoints(List<String> jobIds) throws InterruptedException {
        Map<String, Long> before = new HashMap<>();
        jobIds.forEach(jobId -> before.put(jobId, completedCheckpoints(jobId)));
        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        for (String jobId : jobIds) {
            while (completedCheckpoints(jobId) <= before.get(jobId)) {
                assertThat(System.nanoTime())
                        .as("a checkpoint of job %s within 1 min", jobId)
                        .isLessThan(deadline);
                Thread.sleep(500);
            }
        }
    }

    private static long completedCheckpoints(String jobId) {
        return rest("/jobs/" + jobId + "/checkpoints")
                .path("counts")
                .path("completed")
                .asLong();
    }

    private static void awaitJobState(String jobId, String state) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        while (!rest("/jobs/" + jobId).path("state").asText().equals(state)) {
            assertThat(System.nanoTime())
                    .as("job %s %s within 1 min", jobId, state)
                    .isLessThan(deadline);
            Thread.sleep(500);
        }
    }

    private static void cancelAll(List<String> jobIds) throws Exception {
        for (String jobId : jobIds) {
            cancel(jobId);
        }
    }

    /** Cancels the job (REST PATCH /jobs/:id?mode=cancel) and waits until it is cancelled. */
    private static void cancel(String jobId) throws Exception {
        HttpResponse<String> response = HTTP.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + REST_PORT + "/jobs/" + jobId + "?mode=cancel"))
                        .method("PATCH", HttpRequest.BodyPublishers.noBody())
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode())
                .as("cancel %s: %s", jobId, response.body())
                .isEqualTo(202);
        awaitJobState(jobId, "CANCELED");
    }

    /** Metrics that tell where traffic stops: the topic's end, what each source read, watermarks, late drops. */
    private static final List<String> DIAGNOSTIC_METRICS = List.of(
            "currentOffset",
            "numRecordsIn",
            "numRecordsOut",
            "currentInputWatermark",
            "currentOutputWatermark",
            "numLateRecordsDropped",
            // the sink's handling of refused documents (RefusedDocumentHandler)
            "documentRetries",
            "documentsSuperseded",
            "documentsReduced",
            "documentsRefused");

    /**
     * When the documents do not come: the dependency documents with their versions, and per job and vertex the metrics
     * above summed over subtasks (min/max/sum), so that a failure shows whether the sources stopped reading, the
     * watermark stopped, the windows dropped the records as late or the sink retried, skipped or superseded
     * documents.
     */
    private static void printDiagnostics(RealStack.Scope scope, List<String> jobIds) {
        try {
            System.out.println(
                    "FAULT INJECTION DIAGNOSTICS: topic " + scope.topic + " ends at " + endOffset(scope.topic));
        } catch (Exception e) {
            System.out.println("FAULT INJECTION DIAGNOSTICS: end offset of " + scope.topic + ": " + e);
        }
        try {
            // each dependency document with its id and version: which step of the bucket was written last
            String index = scope.index("jaeger-dependencies") + "-*";
            JsonNode hits = RealStack.elasticsearch()
                    .search(index, "{\"size\":100,\"version\":true,\"query\":{\"match_all\":{}}}");
            for (JsonNode hit : hits.at("/hits/hits")) {
                System.out.println(
                        "FAULT INJECTION DIAGNOSTICS: " + hit.path("_index").asText() + " "
                                + hit.path("_id").asText() + " version "
                                + hit.path("_version").asText() + ": "
                                + hit.at("/_source/dependencies"));
            }
        } catch (RuntimeException e) {
            System.out.println("FAULT INJECTION DIAGNOSTICS: dependency documents: " + e);
        }
        for (String jobId : jobIds) {
            JsonNode job = RealFlinkCluster.cluster().rest("/jobs/" + jobId).orElse(NullNode.getInstance());
            System.out.println("FAULT INJECTION DIAGNOSTICS: job " + jobId + " "
                    + job.path("name").asText() + " "
                    + job.path("state").asText() + ", checkpoints "
                    + RealFlinkCluster.cluster()
                            .rest("/jobs/" + jobId + "/checkpoints")
                            .map(c -> c.path("counts").toString())
                            .orElse("?"));
            for (JsonNode vertex : job.path("vertices")) {
                String metrics =
                        "/jobs/" + jobId + "/vertices/" + vertex.path("id").asText() + "/subtasks/metrics";
                List<String> ids = new ArrayList<>();
                RealFlinkCluster.cluster()
                        .rest(metrics)
                        .ifPresent(available -> available.forEach(metric -> {
                            String id = metric.path("id").asText();
                            if (DIAGNOSTIC_METRICS.stream()
                                    .anyMatch(name -> id.equals(name) || id.endsWith("." + name))) {
                                ids.add(URLEncoder.encode(id, StandardCharsets.UTF_8));
                            }
                        }));
                System.out.println(
                        "FAULT INJECTION DIAGNOSTICS:   " + vertex.path("name").asText() + ": "
                                + (ids.isEmpty()
                                        ? "no metrics"
                                        : RealFlinkCluster.cluster()
                                                .rest(metrics + "?get=" + String.join(",", ids))
                                                .map(JsonNode::toString)
                                                .orElse("?")));
            }
        }
    }

    private static JsonNode rest(String path) {
        return RealFlinkCluster.rest(path);
    }

    /**
     * What the job's source read: the records its first vertex wrote downstream, once the REST API shows any (it
     * fetches the metrics every 10 s), or 0 after a minute.
     */
    private static long sourceRecords(String jobId) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        long records;
        while ((records = sourceRecordsNow(jobId)) == 0 && System.nanoTime() < deadline) {
            Thread.sleep(1000);
        }
        return records;
    }

    /** Waits until the job's source has written at least {@code records} records downstream. */
    private static void awaitSourceRecords(String jobId, long records) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        while (sourceRecordsNow(jobId) < records) {
            assertThat(System.nanoTime())
                    .as("%d records out of the source of job %s within 1 min", records, jobId)
                    .isLessThan(deadline);
            Thread.sleep(500);
        }
    }

    private static long sourceRecordsNow(String jobId) {
        return rest("/jobs/" + jobId)
                .path("vertices")
                .get(0)
                .path("metrics")
                .path("write-records")
                .asLong();
    }

    private static long endOffset(String topic) throws Exception {
        return endOffset(topic, 0);
    }

    private static long endOffset(String topic, int partitionNumber) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, RealStack.kafka()))) {
            TopicPartition partition = new TopicPartition(topic, partitionNumber);
            return admin.listOffsets(Map.of(partition, OffsetSpec.latest()))
                    .all()
                    .get()
                    .get(partition)
                    .offset();
        }
    }
}
