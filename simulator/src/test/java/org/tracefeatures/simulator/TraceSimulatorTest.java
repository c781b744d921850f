package org.tracefeatures.simulator;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.InvalidProtocolBufferException;
import io.jaegertracing.api_v2.Span;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.NetworkException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

class TraceSimulatorTest {

    private static final Instant START = Instant.parse("2024-05-01T12:00:00Z");
    private static final SimulatorConfig HOTROD = SimulatorConfig.load("hotrod-original");
    /** For runs bounded by time: three spans a trace keep the mock producer's history small. */
    private static final SimulatorConfig ONE_SERVICE =
            SimulatorConfig.parse("{\"Services\": [{\"Name\": \"ui\"}]}", "one-service");

    private final StringWriter progress = new StringWriter();

    private SimulationSummary runTraces(MockProducer<byte[], byte[]> producer, int workers, long seed, long traces) {
        try (KafkaSpanWriter writer = new KafkaSpanWriter(producer, "jaeger-spans", new JaegerProtoSpanEncoder())) {
            return new TraceSimulator(
                            new TraceGenerator(HOTROD, "hotrod-original"),
                            writer,
                            workers,
                            seed,
                            START,
                            new PrintWriter(progress))
                    .runTraces(traces);
        }
    }

    private static MockProducer<byte[], byte[]> producer() {
        return new MockProducer<>(true, new ByteArraySerializer(), new ByteArraySerializer());
    }

    /** Each trace's messages, hex-encoded, by key: what a consumer of one partition per trace would see. */
    private static Map<String, List<String>> messagesByTrace(MockProducer<byte[], byte[]> producer) {
        Map<String, List<String>> byKey = new LinkedHashMap<>();
        for (ProducerRecord<byte[], byte[]> record : producer.history()) {
            byKey.computeIfAbsent(new String(record.key(), UTF_8), key -> new ArrayList<>())
                    .add(HexFormat.of().formatHex(record.value()));
        }
        return byKey;
    }

    @Test
    void writesTheRequestedTracesAndSummarizesThem() {
        MockProducer<byte[], byte[]> producer = producer();

        SimulationSummary summary = runTraces(producer, 2, 7, 25);

        assertThat(summary.traces()).isEqualTo(25);
        assertThat(summary.spans()).isEqualTo(25 * 53);
        assertThat(summary.failedTraces()).isZero();
        assertThat(summary.tracesByTestName()).containsExactlyEntriesOf(Map.of("hotrod-original", 25L));
        assertThat(producer.history()).hasSize(25 * 53);
        assertThat(messagesByTrace(producer)).hasSize(25);
        assertThat(progress.toString())
                .contains("simulate: done: 25 traces (0 with errors), 1325 spans in")
                .contains("seed 7");
    }

    @Test
    void aSeedGivesTheSameBytesWhateverTheNumberOfWorkers() {
        MockProducer<byte[], byte[]> oneWorker = producer();
        MockProducer<byte[], byte[]> fourWorkers = producer();

        runTraces(oneWorker, 1, 1234, 40);
        runTraces(fourWorkers, 4, 1234, 40);

        // Kafka keeps per-key order; the interleaving of traces may differ
        assertThat(messagesByTrace(fourWorkers)).isEqualTo(messagesByTrace(oneWorker));
    }

    @Test
    void anotherSeedGivesOtherTraces() {
        MockProducer<byte[], byte[]> first = producer();
        MockProducer<byte[], byte[]> second = producer();

        runTraces(first, 1, 1, 5);
        runTraces(second, 1, 2, 5);

        assertThat(messagesByTrace(first).keySet())
                .doesNotContainAnyElementsOf(messagesByTrace(second).keySet());
    }

    @Test
    void eachTracesRootSpanIsSentLastAndTracesStartOneMillisecondApart() throws InvalidProtocolBufferException {
        MockProducer<byte[], byte[]> producer = producer();

        runTraces(producer, 3, 5, 10);

        List<Instant> rootStarts = new ArrayList<>();
        for (List<String> messages : messagesByTrace(producer).values()) {
            Span last = Span.parseFrom(HexFormat.of().parseHex(messages.get(messages.size() - 1)));
            assertThat(last.getOperationName()).isEqualTo("runTest");
            assertThat(last.getReferencesCount()).isZero();
            rootStarts.add(Instant.ofEpochSecond(
                    last.getStartTime().getSeconds(), last.getStartTime().getNanos()));
        }
        List<Instant> expected = new ArrayList<>();
        for (int k = 0; k < 10; k++) {
            expected.add(START.plusMillis(k));
        }
        assertThat(rootStarts).containsExactlyInAnyOrderElementsOf(expected);
    }

    @Test
    void runsForADurationWithContiguousTraceIndexes() throws InvalidProtocolBufferException {
        MockProducer<byte[], byte[]> producer = producer();
        SimulationSummary summary;
        try (KafkaSpanWriter writer = new KafkaSpanWriter(producer, "jaeger-spans", new JaegerProtoSpanEncoder())) {
            summary = new TraceSimulator(
                            new TraceGenerator(ONE_SERVICE, "one-service"),
                            writer,
                            2,
                            9,
                            START,
                            new PrintWriter(progress))
                    .runFor(Duration.ofMillis(300));
        }

        assertThat(summary.traces()).isPositive();
        List<Instant> rootStarts = new ArrayList<>();
        for (List<String> messages : messagesByTrace(producer).values()) {
            Span root = Span.parseFrom(HexFormat.of().parseHex(messages.get(messages.size() - 1)));
            rootStarts.add(Instant.ofEpochSecond(
                    root.getStartTime().getSeconds(), root.getStartTime().getNanos()));
        }
        assertThat(rootStarts)
                .hasSize((int) summary.traces())
                .allSatisfy(start -> assertThat(start).isBefore(START.plusMillis(summary.traces())))
                .doesNotHaveDuplicates();
    }

    @Test
    void reportsProgressAboutOnceASecond() {
        MockProducer<byte[], byte[]> forgetful =
                new MockProducer<>(true, new ByteArraySerializer(), new ByteArraySerializer()) {
                    @Override
                    public synchronized Future<RecordMetadata> send(
                            ProducerRecord<byte[], byte[]> record, Callback callback) {
                        Future<RecordMetadata> result = super.send(record, callback);
                        clear(); // this test only counts; seconds of history would fill the heap
                        return result;
                    }
                };
        try (KafkaSpanWriter writer = new KafkaSpanWriter(forgetful, "jaeger-spans", new JaegerProtoSpanEncoder())) {
            new TraceSimulator(
                            new TraceGenerator(HOTROD, "hotrod-original"),
                            writer,
                            1,
                            9,
                            START,
                            new PrintWriter(progress))
                    .runFor(Duration.ofMillis(2500));
        }

        assertThat(progress.toString().lines().filter(line -> line.contains("spans sent;")))
                .hasSizeBetween(1, 3)
                .allSatisfy(line -> assertThat(line)
                        .matches("simulate: \\d+ traces, \\d+ spans sent; \\d+ traces/s," + " \\d+ spans/s"));
        assertThat(progress.toString().lines().reduce((first, second) -> second))
                .get()
                .asString()
                .startsWith("simulate: done:");
    }

    @Test
    void stopsWhenKafkaRefusesSpans() {
        MockProducer<byte[], byte[]> producer =
                new MockProducer<>(false, new ByteArraySerializer(), new ByteArraySerializer()) {
                    @Override
                    public synchronized Future<RecordMetadata> send(
                            ProducerRecord<byte[], byte[]> record, Callback callback) {
                        Future<RecordMetadata> result = super.send(record, callback);
                        errorNext(new NetworkException("broker unreachable"));
                        return result;
                    }
                };

        assertThatThrownBy(() -> runTraces(producer, 2, 3, 1_000_000))
                .isInstanceOf(KafkaSendException.class)
                .hasMessageContaining("broker unreachable");
        assertThat(producer.history().size())
                .as("stopped well before a million traces")
                .isLessThan(10 * 53);
    }

    @Test
    void samplingWritesAboutThatShareOfTheTracesAnUnsampledRunWrites() {
        MockProducer<byte[], byte[]> all = producer();
        runTraces(all, 1, 9, 400);
        MockProducer<byte[], byte[]> sampled = producer();
        SimulationSummary summary;
        try (KafkaSpanWriter writer = new KafkaSpanWriter(sampled, "jaeger-spans", new JaegerProtoSpanEncoder())) {
            summary = new TraceSimulator(
                            new TraceGenerator(HOTROD, "hotrod-original", 0.25),
                            writer,
                            2,
                            9,
                            START,
                            new PrintWriter(progress))
                    .runTraces(400);
        }

        // Binomial(400, 0.25): mean 100, standard deviation sqrt(400 * 0.25 * 0.75) = 8.7; within 4 of them
        assertThat(summary.traces()).isBetween(65L, 135L);
        Map<String, List<String>> kept = messagesByTrace(sampled);
        assertThat(kept).hasSize((int) summary.traces());
        // every kept trace id is one the unsampled run wrote, with the same number of spans
        Map<String, List<String>> everyTrace = messagesByTrace(all);
        kept.forEach((traceId, messages) -> assertThat(everyTrace.get(traceId)).hasSameSizeAs(messages));
        assertThat(progress.toString())
                .contains("simulate: sampled at 0.25: " + summary.traces() + " of 400 requests' traces written");
    }
}
