package org.tracefeatures.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.tracefeatures.runner.SqlScripts;
import org.tracefeatures.simulator.GeneratedTrace;
import org.tracefeatures.simulator.JaegerProtoSpanEncoder;
import org.tracefeatures.simulator.KafkaSpanWriter;
import org.tracefeatures.simulator.SimulatorConfig;
import org.tracefeatures.simulator.TraceGenerator;
import org.tracefeatures.simulator.TraceSimulator;

/**
 * End-to-end latency in streaming mode: span_count.sql runs unbounded (Elasticsearch sink) in a JVM of
 * its own; traces are written at a steady rate; for each of the measured traces, the time from Kafka's
 * acknowledgement of its last span to the first search that finds its document. Traffic goes on after the
 * measured traces so that the watermark passes their windows. The topic has two partitions and the span
 * topic's configuration of the local stack (LogAppendTime). Assumes the bench stack is up (BenchMain
 * --keep-stack). Arguments: HOME KAFKA ES_URL [TRACES] [TRACES_PER_SECOND] [INIT_PART ...]; init parts run
 * after the job's own, e.g. one with the settings a run compares against.
 */
public final class LatencyMain {
    private static final Pattern HIT_ID = Pattern.compile("\"_id\":\"([^\"]+)\"");

    private LatencyMain() {}

    public static void main(String[] args) throws Exception {
        Path home = Path.of(args[0]).toAbsolutePath();
        String kafka = args[1];
        String es = args[2];
        int measured = args.length > 3 ? Integer.parseInt(args[3]) : 1000;
        int rate = args.length > 4 ? Integer.parseInt(args[4]) : 100;
        long run = System.currentTimeMillis();
        String topic = "bench-latency-" + run;
        String index = "trace-summaries-latency-" + run;
        BenchMain.createSpanTopic(kafka, topic, 2);
        Path work = Files.createDirectories(home.resolve("bench/target/run"));
        Path env = BenchMain.environmentPart(home, work, kafka, es);
        Path overrides = work.resolve("latency-overrides.sql");
        Files.writeString(
                overrides,
                "ALTER TABLE span_source SET ('topic' = '" + topic + "');\n"
                        + "ALTER TABLE trace_summaries SET ('index' = '" + index + "');\n");
        List<String> command =
                BenchMain.contenderCommand("-Xms1g", "-Xmx1g", work.resolve("latency-checkpoints"), "", null);
        command.addAll(
                List.of("sql-streaming", home.resolve("sql/span_count.sql").toString(), "1"));
        command.addAll(SqlScripts.initParts("jaeger-proto", env.toString()));
        command.add(overrides.toString());
        command.addAll(Arrays.asList(args).subList(Math.min(args.length, 5), args.length));
        Process job = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(work.resolve("latency-job.log").toFile())
                .start();
        Map<String, Long> seen = new ConcurrentHashMap<>();
        Thread poller = new Thread(() -> poll(es, index, seen), "poller");
        poller.setDaemon(true);
        poller.start();
        try (KafkaSpanWriter writer =
                new KafkaSpanWriter(KafkaSpanWriter.createProducer(kafka), topic, new JaegerProtoSpanEncoder())) {
            TraceGenerator generator = new TraceGenerator(SimulatorConfig.load("hotrod-original"), "latency");
            long index0 = 0;
            // warm-up: write until the job has written a first document (it starts, plans and fires windows)
            while (seen.isEmpty()) {
                writeAt(writer, generator, index0++, rate);
                if (!job.isAlive()) {
                    throw new IllegalStateException("the job ended; see " + work.resolve("latency-job.log"));
                }
            }
            for (int i = 0; i < 5 * rate; i++) {
                writeAt(writer, generator, index0++, rate); // 5 s more, so the job runs steadily
            }
            Map<String, Long> produced = new ConcurrentHashMap<>();
            for (int i = 0; i < measured; i++) {
                GeneratedTrace trace = writeAt(writer, generator, index0++, rate);
                produced.put(trace.traceIdString(), System.currentTimeMillis());
            }
            // filler traffic moves the watermark past the measured windows
            long fillUntil = System.currentTimeMillis() + 20_000;
            while (System.currentTimeMillis() < fillUntil && !seen.keySet().containsAll(produced.keySet())) {
                writeAt(writer, generator, index0++, rate);
            }
            long[] latencies = produced.entrySet().stream()
                    .filter(e -> seen.containsKey(e.getKey()))
                    .mapToLong(e -> seen.get(e.getKey()) - e.getValue())
                    .sorted()
                    .toArray();
            System.out.printf(
                    "latency over %d traces (%d found), %d traces/s, session gap 5 s%s: p50 %d ms, p99 %d ms,"
                            + " min %d ms, max %d ms%n",
                    measured,
                    latencies.length,
                    rate,
                    args.length > 5
                            ? ", with " + String.join(" ", Arrays.asList(args).subList(5, args.length))
                            : "",
                    latencies[latencies.length / 2],
                    latencies[(int) Math.ceil(latencies.length * 0.99) - 1],
                    latencies[0],
                    latencies[latencies.length - 1]);
        } finally {
            job.destroy();
            job.waitFor();
            HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create(es + "/" + index))
                                    .DELETE()
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
        }
    }

    /** Writes one trace, waits for Kafka's acknowledgement, then sleeps to keep the rate. */
    private static GeneratedTrace writeAt(KafkaSpanWriter writer, TraceGenerator generator, long i, int rate)
            throws InterruptedException {
        long due = System.nanoTime() + 1_000_000_000L / rate;
        GeneratedTrace trace = generator.generate(i, TraceSimulator.randomForTrace(8, i), Instant.now());
        writer.write(trace);
        writer.flush();
        long wait = due - System.nanoTime();
        if (wait > 0) {
            Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
        }
        return trace;
    }

    /** Every 50 ms: the ids that a search finds now (no explicit refresh: the index's own refresh interval). */
    private static void poll(String es, String index, Map<String, Long> seen) {
        HttpClient http = HttpClient.newHttpClient();
        while (true) {
            try {
                String body = http.send(
                                HttpRequest.newBuilder(URI.create(es + "/" + index
                                                + "/_search?size=10000&_source=false&filter_path=hits.hits._id"))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString())
                        .body();
                long now = System.currentTimeMillis();
                Matcher id = HIT_ID.matcher(body);
                while (id.find()) {
                    seen.putIfAbsent(id.group(1), now);
                }
                Thread.sleep(50);
            } catch (InterruptedException e) {
                return;
            } catch (Exception e) {
                // the index does not exist before the first document: keep polling
            }
        }
    }
}
