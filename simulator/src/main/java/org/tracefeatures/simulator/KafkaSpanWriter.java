package org.tracefeatures.simulator;

import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes traces to a Kafka topic in the records its {@link SpanEncoder} makes of them (jaeger-collector's: one span per
 * record, keyed by the trace id as Jaeger prints it, so all spans of a trace land on one partition in the order they
 * were sent). Safe for concurrent use.
 */
public final class KafkaSpanWriter implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaSpanWriter.class);
    /** Long enough for a slow broker, short enough that a wrong address fails the run within seconds. */
    private static final Duration MAX_BLOCK = Duration.ofSeconds(15);

    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);

    private final Producer<byte[], byte[]> producer;
    private final String topic;
    private final SpanEncoder encoder;
    private final AtomicLong failedSpans = new AtomicLong();
    private final AtomicReference<Exception> firstFailure = new AtomicReference<>();

    public KafkaSpanWriter(Producer<byte[], byte[]> producer, String topic, SpanEncoder encoder) {
        this.producer = producer;
        this.topic = topic;
        this.encoder = encoder;
    }

    /**
     * A producer that neither loses nor duplicates nor reorders spans: acks from all in-sync replicas, idempotence
     * (which keeps order across retries), lz4-compressed batches.
     */
    public static Producer<byte[], byte[]> createProducer(String bootstrapServers) {
        Properties properties = new Properties();
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        properties.put(ProducerConfig.CLIENT_ID_CONFIG, "tracefeatures-simulator");
        properties.put(ProducerConfig.ACKS_CONFIG, "all");
        properties.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        properties.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        properties.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        properties.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) MAX_BLOCK.toMillis());
        return new KafkaProducer<>(properties, new ByteArraySerializer(), new ByteArraySerializer());
    }

    public String topic() {
        return topic;
    }

    /**
     * Sends the records of a trace in the trace's order. Sending is asynchronous; {@link #flush()} waits for the
     * acknowledgements.
     *
     * @throws KafkaSendException when an earlier span was refused, so that a run stops soon after Kafka does
     */
    public void write(GeneratedTrace trace) {
        for (EncodedRecord encoded : encoder.encode(trace)) {
            // per record, not per trace: against an unreachable broker each send blocks for MAX_BLOCK
            throwIfAnySendFailed();
            ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(topic, encoded.key(), encoded.value());
            try {
                producer.send(record, (metadata, exception) -> {
                    if (exception != null) {
                        recordFailure(exception, encoded.spans());
                    }
                });
            } catch (KafkaException e) {
                recordFailure(e, encoded.spans());
                throwIfAnySendFailed();
            }
        }
    }

    /**
     * Waits until Kafka has acknowledged or refused every span sent so far.
     *
     * @throws KafkaSendException if any span was refused
     */
    public void flush() {
        producer.flush();
        throwIfAnySendFailed();
    }

    /** Closes the producer, waiting a bounded time for spans still in flight. */
    @Override
    public void close() {
        producer.close(CLOSE_TIMEOUT);
    }

    private void recordFailure(Exception exception, int spans) {
        failedSpans.addAndGet(spans);
        if (firstFailure.compareAndSet(null, exception)) {
            LOG.debug("Kafka refused a span for topic {}", topic, exception);
        }
    }

    private void throwIfAnySendFailed() {
        Exception cause = firstFailure.get();
        if (cause != null) {
            throw new KafkaSendException(
                    failedSpans.get() + " span(s) were not written to Kafka topic '" + topic + "'; the first error: "
                            + cause,
                    cause);
        }
    }
}
