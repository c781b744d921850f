package org.tracefeatures.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.tracefeatures.cli.ClusterSubmission;
import org.tracefeatures.runner.RunOptions;
import org.tracefeatures.runner.SqlJobRunner;
import org.tracefeatures.runner.SqlScripts;
import org.tracefeatures.simulator.GeneratedTrace;
import org.tracefeatures.simulator.JaegerProtoSpanEncoder;
import org.tracefeatures.simulator.KafkaSpanWriter;
import org.tracefeatures.simulator.SimulatorConfig;
import org.tracefeatures.simulator.TraceGenerator;
import org.tracefeatures.simulator.TraceSimulator;
import org.tracefeatures.stack.FlinkCluster;
import org.tracefeatures.stack.FlinkClusterConfig;
import org.tracefeatures.stack.LocalStack;
import org.tracefeatures.stack.LocalStackConfig;

/**
 * A soak: one job on the local Flink cluster (a JobManager and a TaskManager, each its own JVM, as `cluster up`
 * starts them) reads HotROD traffic written at a steady rate for a number of minutes, with the settings it ships with
 * (10 s checkpoints, the heap state backend). Every 10 s it samples the job's restarts, its checkpoints (duration,
 * size), the TaskManager's heap and how far the job is behind (spans written minus the job's tracefeatures.spansRead);
 * it prints a line a minute and a summary. Uses the bench stack's ports (Kafka 24092, Elasticsearch 24200) and a
 * cluster on 24081.
 *
 * <p>Arguments: [--minutes M (10)] [--rate TRACES_PER_SECOND (1000)] [--job FILE (sql/trace_features.sql)]
 * [--keep-stack].
 */
public final class SoakMain {
    private static final int REST_PORT = 24081;

    private SoakMain() {}

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String name = args[i].substring(2);
            options.put(name, name.equals("keep-stack") ? "true" : args[++i]);
        }
        Path home = Path.of(System.getProperty("tracefeatures.home", "."))
                .toAbsolutePath()
                .normalize();
        int minutes = Integer.parseInt(options.getOrDefault("minutes", "10"));
        int rate = Integer.parseInt(options.getOrDefault("rate", "1000"));
        String job = options.getOrDefault(
                "job", home.resolve("sql/trace_features.sql").toString());
        String topic = "soak-spans-" + System.currentTimeMillis();
        Path work = Files.createDirectories(home.resolve("bench/target/soak"));

        LocalStackConfig stackConfig = LocalStackConfig.builder(home)
                .dataDir(home.resolve("bench/target/stack"))
                .kafkaPort(24092)
                .kafkaControllerPort(24093)
                .elasticsearchHttpPort(24200)
                .elasticsearchTransportPort(24300)
                .topic(topic)
                .partitions(2)
                .build();
        LocalStack stack = new LocalStack(stackConfig);
        stack.up();
        String kafka = stackConfig.kafkaBootstrapServers();
        String es = stackConfig.elasticsearchUrl();
        List<String> jvmOptions;
        try (var in = SoakMain.class.getResourceAsStream("/jvm.options")) {
            jvmOptions = Arrays.asList(
                    new String(in.readAllBytes(), StandardCharsets.UTF_8).trim().split("\\s+"));
        }
        FlinkCluster cluster = new FlinkCluster(
                FlinkClusterConfig.defaults(home, work.resolve("cluster"), jvmOptions)
                        .withPorts(REST_PORT, REST_PORT + 1),
                new PrintWriter(System.out, true));
        cluster.up();
        try {
            Path env = BenchMain.environmentPart(home, work, kafka, es);
            Path overrides = work.resolve("soak-overrides.sql");
            Files.writeString(
                    overrides,
                    "ALTER TABLE span_source SET ('topic' = '" + topic + "');\n"
                            + "ALTER TABLE trace_summaries SET ('index' = 'trace-summaries-soak-{@timestamp|yyyy-MM-dd}');\n"
                            + "ALTER TABLE trace_features SET ('index' = 'trace-features-soak-{@timestamp|yyyy-MM-dd}');\n"
                            + "ALTER TABLE trace_critical_path SET ('index' = "
                            + "'trace-critical-path-soak-{@timestamp|yyyy-MM-dd}');\n");
            RunOptions run = RunOptions.parse("--no-wait", job);
            run.initScripts.addAll(SqlScripts.initParts("jaeger-proto", env.toString()));
            run.initScripts.add(overrides.toString());
            run.configuration.putAll(
                    ClusterSubmission.configuration("127.0.0.1", REST_PORT, ClusterSubmission.shadedJar(home)));
            String jobId = SqlJobRunner.run(run).orElseThrow().getJobID().toString();
            System.out.printf("soak: %s as job %s, %d traces/s for %d min into %s%n", job, jobId, rate, minutes, topic);
            soak(cluster, jobId, kafka, topic, rate, minutes);
        } finally {
            cluster.down();
            if (!options.containsKey("keep-stack")) {
                stack.down(false);
            }
        }
    }

    private static void soak(FlinkCluster cluster, String jobId, String kafka, String topic, int rate, int minutes)
            throws Exception {
        AtomicLong tracesWritten = new AtomicLong();
        AtomicLong spansWritten = new AtomicLong();
        long end = System.nanoTime() + minutes * 60_000_000_000L;
        Thread writer = new Thread(() -> write(kafka, topic, rate, end, tracesWritten, spansWritten), "soak-writer");
        writer.start();
        long started = System.nanoTime();
        List<Sample> samples = new ArrayList<>();
        System.out.println("| min | traces written | traces/s | spans behind | restarts | checkpoints done / failed"
                + " | last checkpoint s | state MB | TaskManager heap MB |");
        System.out.println("|---|---|---|---|---|---|---|---|---|");
        while (writer.isAlive()) {
            Thread.sleep(10_000);
            Sample sample =
                    Sample.take(cluster, jobId, tracesWritten, spansWritten, (System.nanoTime() - started) / 1e9);
            samples.add(sample);
            if (samples.size() % 6 == 0) {
                System.out.println(sample.row());
            }
        }
        // the job catches up with what was written, at most 2 min
        long deadline = System.nanoTime() + 120_000_000_000L;
        Sample last = Sample.take(cluster, jobId, tracesWritten, spansWritten, (System.nanoTime() - started) / 1e9);
        while (last.spansBehind > 0 && System.nanoTime() < deadline) {
            Thread.sleep(5_000);
            last = Sample.take(cluster, jobId, tracesWritten, spansWritten, (System.nanoTime() - started) / 1e9);
        }
        samples.add(last);
        System.out.println(last.row());
        double writeSeconds = minutes * 60.0;
        System.out.printf(
                "summary: %d traces (%d spans) written in %d min, %.0f traces/s; restarts %d; checkpoints"
                        + " %d completed, %d failed, duration max %.1f s (interval 10 s); state max %.0f MB;"
                        + " TaskManager heap max %.0f of %.0f MB; %d spans behind at the end%n",
                tracesWritten.get(),
                spansWritten.get(),
                minutes,
                tracesWritten.get() / writeSeconds,
                last.restarts,
                last.checkpointsCompleted,
                last.checkpointsFailed,
                samples.stream().mapToDouble(s -> s.maxCheckpointSeconds).max().orElse(0),
                samples.stream().mapToDouble(s -> s.stateMb).max().orElse(0),
                samples.stream().mapToDouble(s -> s.heapUsedMb).max().orElse(0),
                last.heapMaxMb,
                last.spansBehind);
    }

    /** Writes rate traces a second, a tenth every 100 ms, until end; stamps each trace's spans with now. */
    private static void write(String kafka, String topic, int rate, long end, AtomicLong traces, AtomicLong spans) {
        try (KafkaSpanWriter writer =
                new KafkaSpanWriter(KafkaSpanWriter.createProducer(kafka), topic, new JaegerProtoSpanEncoder())) {
            TraceGenerator generator = new TraceGenerator(SimulatorConfig.load("hotrod-original"), "soak");
            long next = System.nanoTime();
            long i = 0;
            while (System.nanoTime() < end) {
                for (int k = 0; k < Math.max(1, rate / 10); k++) {
                    GeneratedTrace trace = generator.generate(i, TraceSimulator.randomForTrace(9, i), Instant.now());
                    writer.write(trace);
                    i++;
                    traces.incrementAndGet();
                    spans.addAndGet(trace.spans().size());
                }
                next += 100_000_000L;
                long wait = next - System.nanoTime();
                if (wait > 0) {
                    writer.flush();
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                }
            }
            writer.flush();
        } catch (Exception e) {
            throw new IllegalStateException("the soak's writer failed", e);
        }
    }

    /** What the REST API says of the job and its TaskManager at one moment. */
    private record Sample(
            double seconds,
            long tracesWritten,
            long spansBehind,
            long restarts,
            long checkpointsCompleted,
            long checkpointsFailed,
            double maxCheckpointSeconds,
            double stateMb,
            double heapUsedMb,
            double heapMaxMb) {

        /** Reads what the job has read before what was written, so that the difference is never below what is due. */
        static Sample take(
                FlinkCluster cluster, String jobId, AtomicLong tracesWritten, AtomicLong spansWritten, double seconds) {
            long read = metricSum(cluster, jobId, ".tracefeatures.spansRead");
            long traces = tracesWritten.get();
            long spans = spansWritten.get();
            JsonNode checkpoints =
                    cluster.rest("/jobs/" + jobId + "/checkpoints").orElseThrow();
            JsonNode latest = checkpoints.at("/latest/completed");
            long restarts = firstValue(cluster, "/jobs/" + jobId + "/metrics?get=numRestarts");
            String taskManager = cluster.rest("/taskmanagers")
                    .orElseThrow()
                    .at("/taskmanagers/0/id")
                    .asText();
            JsonNode heap = cluster.rest("/taskmanagers/" + taskManager
                            + "/metrics?get=Status.JVM.Memory.Heap.Used,Status.JVM.Memory.Heap.Max")
                    .orElseThrow();
            double used = 0;
            double max = 0;
            for (JsonNode metric : heap) {
                double mb = metric.path("value").asDouble() / (1 << 20);
                if (metric.path("id").asText().endsWith("Used")) {
                    used = mb;
                } else {
                    max = mb;
                }
            }
            return new Sample(
                    seconds,
                    traces,
                    spans - read,
                    restarts,
                    checkpoints.at("/counts/completed").asLong(),
                    checkpoints.at("/counts/failed").asLong(),
                    checkpoints.at("/summary/end_to_end_duration/max").asDouble() / 1000.0,
                    latest.path("state_size").asDouble() / (1 << 20),
                    used,
                    max);
        }

        String row() {
            return String.format(
                    "| %.1f | %d | %.0f | %d | %d | %d / %d | %.1f (max) | %.1f | %.0f of %.0f |",
                    seconds / 60,
                    tracesWritten,
                    tracesWritten / seconds,
                    spansBehind,
                    restarts,
                    checkpointsCompleted,
                    checkpointsFailed,
                    maxCheckpointSeconds,
                    stateMb,
                    heapUsedMb,
                    heapMaxMb);
        }

        private static long firstValue(FlinkCluster cluster, String path) {
            return cluster.rest(path)
                    .map(values -> values.path(0).path("value").asLong())
                    .orElse(-1L);
        }

        /** The sum over the job's subtasks of the metrics whose id ends with the suffix. */
        private static long metricSum(FlinkCluster cluster, String jobId, String suffix) {
            long sum = 0;
            for (JsonNode vertex : cluster.rest("/jobs/" + jobId).orElseThrow().path("vertices")) {
                String metrics =
                        "/jobs/" + jobId + "/vertices/" + vertex.path("id").asText() + "/subtasks/metrics";
                List<String> ids = new ArrayList<>();
                cluster.rest(metrics)
                        .ifPresent(available -> available.forEach(metric -> {
                            if (metric.path("id").asText().endsWith(suffix)) {
                                ids.add(URLEncoder.encode(metric.path("id").asText(), StandardCharsets.UTF_8));
                            }
                        }));
                if (!ids.isEmpty()) {
                    for (JsonNode value : cluster.rest(metrics + "?get=" + String.join(",", ids))
                            .orElseThrow()) {
                        sum += (long) value.path("sum").asDouble();
                    }
                }
            }
            return sum;
        }
    }
}
