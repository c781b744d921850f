package org.tracefeatures.it;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.tracefeatures.cli.ClusterSubmission;
import org.tracefeatures.runner.RunOptions;
import org.tracefeatures.runner.SqlJobRunner;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Nothing lost, nothing counted twice, on real processes: sql/span_count.sql runs streaming (not bounded) on a Flink
 * standalone cluster of separate JVMs (the one of `cluster up`), reads a real Kafka broker and writes a real
 * Elasticsearch node, and a fault hits it in the middle of the traffic. Every simulated trace must end up as exactly
 * one document with exactly the counts that the simulator config implies (HotROD original: 53 spans, 10 route calls).
 *
 * <p>A streaming job writes a trace once its session window closes, which takes later traffic (the watermark follows
 * the Kafka record times): the tests keep sending one-trace "tick"s, which they leave out of the counts.
 */
@ExtendWith({RealStack.class, RealFlinkCluster.class})
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class FaultInjectionITCase {
    private static final int REST_PORT = RealFlinkCluster.REST_PORT;
    private static final int TRACES_PER_BATCH = 10;
    /** Three batches: before the fault, during it, after it. */
    private static final int EXPECTED_TRACES = 3 * TRACES_PER_BATCH;
    /** HotROD original: 33 + 2 x 10 route calls, worked out in HotrodExpectations. */
    private static final long SPANS_PER_TRACE = 53;
    private static final Duration RECOVERY_TIMEOUT = Duration.ofMinutes(4);
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static int tickSeed = 10_000;

    @Test
    void killingTheTaskManagerMidRunLosesNothingAndCountsNothingTwice() throws Exception {
        String testName = "tm-kill";
        RealStack.Scope scope = RealStack.newScope("tm-kill");
        String jobId = submit(scope, List.of());
        try {
            scope.simulate("hotrod-original", TRACES_PER_BATCH, testName, 101);
            tickUntil(scope, testName, documents -> !documents.isEmpty());
            awaitNewCheckpoint(jobId);

            // the second batch is on its way while the TaskManager dies
            CompletableFuture<Void> duringFault =
                    CompletableFuture.runAsync(() -> scope.simulate("hotrod-original", TRACES_PER_BATCH, testName, 102));
            Thread.sleep(300);
            List<ProcessHandle> killed = RealFlinkCluster.cluster().runningTaskManagers();
            assertThat(killed).hasSize(1);
            killed.forEach(ProcessHandle::destroyForcibly); // SIGKILL, as kill -9
            for (ProcessHandle taskManager : killed) {
                assertThat(taskManager.onExit().get(30, TimeUnit.SECONDS).isAlive()).isFalse();
            }
            duringFault.get(2, TimeUnit.MINUTES);
            RealFlinkCluster.cluster().addTaskManager();
            scope.simulate("hotrod-original", TRACES_PER_BATCH, testName, 103);

            List<JsonNode> documents = tickUntil(scope, testName, found -> found.size() >= EXPECTED_TRACES);

            int failures = rest("/jobs/" + jobId + "/exceptions").path("exceptionHistory").path("entries").size();
            JsonNode restored = rest("/jobs/" + jobId + "/checkpoints").path("latest").path("restored");
            long recordsInTopic = endOffset(scope.topic);
            long recordsReread = sourceRecords(jobId);
            report("kill -9 of the TaskManager (" + killed.size() + " process), job failures seen " + failures
                    + ", restored checkpoint " + restored.path("id").asText("none") + " (re-read " + recordsReread
                    + " of " + recordsInTopic + " records)", documents);
            assertThat(failures).as("job failures in the exception history: the kill must have hit the job")
                    .isGreaterThanOrEqualTo(1);
            assertThat(restored.path("is_savepoint").asText()).as("the restart restored a checkpoint: %s", restored)
                    .isEqualTo("false");
            // without the checkpoint's offsets the restarted source would read the topic from the start again
            assertThat(recordsReread).as("records the restarted job read: it must start at the checkpoint's offsets")
                    .isBetween(1L, recordsInTopic - 1);
            assertExactlyOncePerTrace(documents);
            assertThat(rest("/jobs/" + jobId).path("state").asText()).isEqualTo("RUNNING");
        } finally {
            cancel(jobId);
        }
    }

    @Test
    void resumingACancelledJobFromItsRetainedCheckpointLosesNothingAndCountsNothingTwice() throws Exception {
        String testName = "resume";
        RealStack.Scope scope = RealStack.newScope("resume");
        String firstJob = submit(scope, List.of());
        String checkpoint;
        try {
            scope.simulate("hotrod-original", TRACES_PER_BATCH, testName, 201);
            tickUntil(scope, testName, documents -> !documents.isEmpty());
            awaitNewCheckpoint(firstJob);
            // the second batch is partly read, its traces' windows open, when the job is cancelled
            scope.simulate("hotrod-original", TRACES_PER_BATCH, testName, 202);
        } finally {
            cancel(firstJob);
        }
        JsonNode latest = rest("/jobs/" + firstJob + "/checkpoints").path("latest").path("completed");
        checkpoint = latest.path("external_path").asText(null);
        assertThat(checkpoint).as("the retained checkpoint of the cancelled job %s", firstJob).isNotNull();
        assertThat(Path.of(URI.create(checkpoint.startsWith("file:") ? checkpoint : "file:" + checkpoint)))
                .isDirectory();

        scope.simulate("hotrod-original", TRACES_PER_BATCH, testName, 203);
        String resumedJob = submit(scope,
                List.of("SET 'execution.state-recovery.path' = '" + checkpoint + "';"));
        try {
            List<JsonNode> documents = tickUntil(scope, testName, found -> found.size() >= EXPECTED_TRACES);

            JsonNode restored = rest("/jobs/" + resumedJob + "/checkpoints").path("latest").path("restored");
            long recordsInTopic = endOffset(scope.topic);
            long recordsReread = sourceRecords(resumedJob);
            report("cancel, then resubmission from checkpoint " + latest.path("id").asLong() + " (re-read "
                    + recordsReread + " of " + recordsInTopic + " records)", documents);
            assertThat(restored.path("external_path").asText()).isEqualTo(checkpoint);
            assertThat(recordsReread).as("records the resumed job read: it must start at the checkpoint's offsets")
                    .isBetween(1L, recordsInTopic - 1);
            assertExactlyOncePerTrace(documents);
        } finally {
            cancel(resumedJob);
        }
    }

    /** Submits span_count.sql to the cluster as `run --target cluster` does, with 2 s checkpoints. */
    private static String submit(RealStack.Scope scope, List<String> moreSettings) throws Exception {
        Path overrides = scope.overridesPart("trace_summaries", "trace-summaries");
        List<String> settings = new ArrayList<>();
        // quicker than the default 10 s, so that the test sees checkpoints soon
        settings.add("SET 'execution.checkpointing.interval' = '2 s';");
        settings.addAll(moreSettings);
        Path settingsPart = Files.createDirectories(RealStack.WORK_DIR.resolve("fault-injection"))
                .resolve(scope.topic + "-" + System.nanoTime() + ".sql");
        Files.writeString(settingsPart, String.join("\n", settings) + "\n", StandardCharsets.UTF_8);

        RunOptions options = RunOptions.parse("--no-wait", "span_count.sql");
        options.initScripts.addAll(scope.initScripts(overrides));
        options.initScripts.add(settingsPart.toString());
        options.configuration.putAll(ClusterSubmission.configuration("127.0.0.1", REST_PORT,
                ClusterSubmission.shadedJar(RealStack.HOME)));
        String jobId = SqlJobRunner.run(options).orElseThrow();
        awaitJobState(jobId, "RUNNING");
        return jobId;
    }

    /** Sends a one-trace tick every few seconds, which moves the watermark, until the documents of testName pass. */
    private static List<JsonNode> tickUntil(RealStack.Scope scope, String testName, Predicate<List<JsonNode>> done)
            throws InterruptedException {
        long deadline = System.nanoTime() + RECOVERY_TIMEOUT.toNanos();
        while (true) {
            List<JsonNode> documents = documents(scope, testName);
            if (done.test(documents)) {
                // one more tick and a look after it: a document too many would show now
                scope.simulate("hotrod-reduced", 1, "tick", tickSeed++);
                Thread.sleep(4000);
                return documents(scope, testName);
            }
            assertThat(System.nanoTime()).as("%s: %d documents after %d s", testName, documents.size(),
                    RECOVERY_TIMEOUT.toSeconds()).isLessThan(deadline);
            scope.simulate("hotrod-reduced", 1, "tick", tickSeed++);
            Thread.sleep(2000);
        }
    }

    /** The scope's trace-summaries documents of one test name (the index is created by the first write). */
    private static List<JsonNode> documents(RealStack.Scope scope, String testName) {
        String index = scope.index("trace-summaries") + "*";
        RealStack.elasticsearch().refresh(index);
        JsonNode hits = RealStack.elasticsearch().search(index,
                "{\"size\":10000,\"query\":{\"match_all\":{}}}");
        List<JsonNode> documents = new ArrayList<>();
        hits.at("/hits/hits").forEach(hit -> {
            if (testName.equals(hit.at("/_source/testName").asText())) {
                documents.add(hit);
            }
        });
        return documents;
    }

    private static void assertExactlyOncePerTrace(List<JsonNode> documents) {
        Set<String> traceIds = new HashSet<>();
        for (JsonNode hit : documents) {
            JsonNode doc = hit.get("_source");
            traceIds.add(doc.get("traceId").asText());
            assertThat(hit.get("_id").asText()).isEqualTo(doc.get("traceId").asText());
            assertThat(doc.get("spanCount").asLong()).as("spans of trace %s", doc.get("traceId")).isEqualTo(SPANS_PER_TRACE);
            Map<String, Long> spanCounts = new TreeMap<>();
            doc.get("spanCounts").fields().forEachRemaining(e -> spanCounts.put(e.getKey(), e.getValue().asLong()));
            assertThat(spanCounts).isEqualTo(HotrodExpectations.spanCounts(10));
        }
        assertThat(traceIds).hasSize(EXPECTED_TRACES);
        assertThat(documents).hasSize(EXPECTED_TRACES);
    }

    /** The figures of a run, for the test log: what was expected, found, missing, duplicated, miscounted. */
    private static void report(String faults, List<JsonNode> documents) {
        Set<String> traceIds = new HashSet<>();
        long miscounted = 0;
        for (JsonNode hit : documents) {
            traceIds.add(hit.at("/_source/traceId").asText());
            if (hit.at("/_source/spanCount").asLong() != SPANS_PER_TRACE) {
                miscounted++;
            }
        }
        System.out.printf("FAULT INJECTION: %s; traces expected %d, documents found %d, missing %d, duplicated %d,"
                        + " with wrong counts %d%n", faults, EXPECTED_TRACES, documents.size(),
                Math.max(0, EXPECTED_TRACES - traceIds.size()), documents.size() - traceIds.size(), miscounted);
    }

    private static void awaitNewCheckpoint(String jobId) throws InterruptedException {
        long before = rest("/jobs/" + jobId + "/checkpoints").path("counts").path("completed").asLong();
        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        while (rest("/jobs/" + jobId + "/checkpoints").path("counts").path("completed").asLong() <= before) {
            assertThat(System.nanoTime()).as("a checkpoint of job %s within 1 min", jobId).isLessThan(deadline);
            Thread.sleep(500);
        }
    }

    private static void awaitJobState(String jobId, String state) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        while (!rest("/jobs/" + jobId).path("state").asText().equals(state)) {
            assertThat(System.nanoTime()).as("job %s %s within 1 min", jobId, state).isLessThan(deadline);
            Thread.sleep(500);
        }
    }

    /** Cancels the job (REST PATCH /jobs/:id?mode=cancel) and waits until it is cancelled. */
    private static void cancel(String jobId) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + REST_PORT + "/jobs/" + jobId + "?mode=cancel"))
                .method("PATCH", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("cancel %s: %s", jobId, response.body()).isEqualTo(202);
        awaitJobState(jobId, "CANCELED");
    }

    private static JsonNode rest(String path) {
        return RealFlinkCluster.rest(path);
    }

    /**
     * What the job's source read: the records its first vertex wrote downstream, once the REST API shows any (it
     * fetches the metrics every 10 s).
     */
    private static long sourceRecords(String jobId) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        while (true) {
            long records = rest("/jobs/" + jobId).path("vertices").get(0).path("metrics").path("write-records").asLong();
            if (records > 0 || System.nanoTime() > deadline) {
                return records;
            }
            Thread.sleep(1000);
        }
    }

    private static long endOffset(String topic) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, RealStack.kafka()))) {
            TopicPartition partition = new TopicPartition(topic, 0);
            return admin.listOffsets(Map.of(partition, OffsetSpec.latest())).all().get().get(partition).offset();
        }
    }
}
