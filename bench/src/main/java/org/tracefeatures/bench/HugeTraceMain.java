package org.tracefeatures.bench;

import com.google.protobuf.ByteString;
import com.google.protobuf.Duration;
import com.google.protobuf.Timestamp;
import io.jaegertracing.api_v2.Process;
import io.jaegertracing.api_v2.Span;
import io.jaegertracing.api_v2.SpanRef;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.core.execution.JobClient;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.tracefeatures.runner.RunOptions;
import org.tracefeatures.runner.SqlJobRunner;
import org.tracefeatures.runner.SqlScripts;

/**
 * One runaway trace of N spans (200,000 by default; sent as Jaeger sends them, latest first, root last), assembled
 * by span_count.sql bounded on a MiniCluster in this JVM, on the heap (hashmap) and the RocksDB state backend in
 * turn, R times each, alternating. Prints each run's job time (the job's net runtime, from submission to its end)
 * and the medians with their ratio. Assumes the bench stack is up (BenchMain --keep-stack). Arguments: HOME KAFKA
 * ES_URL [SPANS] [REPETITIONS].
 */
public final class HugeTraceMain {
    private HugeTraceMain() {}

    public static void main(String[] args) throws Exception {
        Path home = Path.of(args[0]).toAbsolutePath();
        String kafka = args[1];
        String es = args[2];
        int spans = args.length > 3 ? Integer.parseInt(args[3]) : 200_000;
        int repetitions = args.length > 4 ? Integer.parseInt(args[4]) : 3;
        long run = System.currentTimeMillis();
        String topic = "bench-huge-trace-" + run;
        BenchMain.createSpanTopic(kafka, topic, 1);
        writeTrace(kafka, topic, spans);
        Path work = Files.createDirectories(home.resolve("bench/target/huge-trace"));
        Path env = BenchMain.environmentPart(home, work, kafka, es);
        Path overrides = work.resolve("overrides.sql");
        Files.writeString(
                overrides,
                "ALTER TABLE span_source SET ('topic' = '" + topic + "');\n"
                        + "ALTER TABLE trace_summaries SET ('index' = 'trace-summaries-huge-" + run + "');\n");

        Map<String, List<Double>> seconds = new LinkedHashMap<>();
        for (int i = 0; i < repetitions; i++) {
            for (String backend : i % 2 == 0 ? List.of("hashmap", "rocksdb") : List.of("rocksdb", "hashmap")) {
                RunOptions options = RunOptions.parse(
                        "--bounded",
                        "--set",
                        "state.backend.type=" + backend,
                        "--set",
                        "execution.checkpointing.dir="
                                + work.resolve("checkpoints").toUri(),
                        home.resolve("sql/span_count.sql").toString());
                options.initScripts.addAll(SqlScripts.initParts("jaeger-proto", env.toString()));
                options.initScripts.add(overrides.toString());
                JobClient job = SqlJobRunner.run(options).orElseThrow();
                double s = job.getJobExecutionResult().get().getNetRuntime() / 1000.0;
                seconds.computeIfAbsent(backend, b -> new ArrayList<>()).add(s);
                System.out.printf("run %d, %s: %.1f s%n", i + 1, backend, s);
            }
        }
        double heap = BenchMain.median(toArray(seconds.get("hashmap")));
        double rocksdb = BenchMain.median(toArray(seconds.get("rocksdb")));
        System.out.printf(
                "one trace of %,d spans, span_count.sql bounded, medians of %d: hashmap %.1f s, rocksdb %.1f s,"
                        + " rocksdb / hashmap %.2f%n",
                spans, repetitions, heap, rocksdb, rocksdb / heap);
        BenchMain.deleteIndexes(es, "trace-summaries-huge-" + run);
    }

    private static double[] toArray(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).toArray();
    }

    /** Root R starts at START; child i (1..spans-1) at START + i us; children first, latest first, R last. */
    private static void writeTrace(String kafka, String topic, int spans) throws Exception {
        long start = System.currentTimeMillis() * 1000 - 60_000_000L;
        byte[] traceId = ByteBuffer.allocate(16).putLong(8, 0x200).array();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                kafka,
                ProducerConfig.LINGER_MS_CONFIG,
                20,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
                ByteArraySerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
                ByteArraySerializer.class))) {
            for (int i = spans - 1; i >= 0; i--) {
                Span.Builder span = Span.newBuilder()
                        .setTraceId(ByteString.copyFrom(traceId))
                        .setSpanId(ByteString.copyFrom(
                                ByteBuffer.allocate(8).putLong(1 + i).array()))
                        .setOperationName(i == 0 ? "root" : i % 2 == 1 ? "odd" : "even")
                        .setStartTime(micros(start + i))
                        .setDuration(Duration.newBuilder().setNanos(i == 0 ? 999_000_000 : 1000))
                        .setProcess(Process.newBuilder().setServiceName("loop"));
                if (i > 0) {
                    span.addReferences(SpanRef.newBuilder()
                            .setTraceId(ByteString.copyFrom(traceId))
                            .setSpanId(ByteString.copyFrom(
                                    ByteBuffer.allocate(8).putLong(1).array())));
                }
                producer.send(new ProducerRecord<>(topic, traceId, span.build().toByteArray()));
            }
        }
    }

    private static Timestamp micros(long micros) {
        return Timestamp.newBuilder()
                .setSeconds(micros / 1_000_000L)
                .setNanos((int) (micros % 1_000_000L) * 1000)
                .build();
    }
}
