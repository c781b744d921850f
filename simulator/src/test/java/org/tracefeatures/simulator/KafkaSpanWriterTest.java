package org.tracefeatures.simulator;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.InvalidProtocolBufferException;
import io.jaegertracing.api_v2.Span;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

class KafkaSpanWriterTest {

    private static final TraceGenerator HOTROD =
            new TraceGenerator(SimulatorConfig.load("hotrod-original"), "hotrod-original");

    private static GeneratedTrace trace(long traceIndex) {
        return HOTROD.generate(traceIndex, new SplittableRandom(traceIndex), Instant.parse("2024-05-01T12:00:00Z"));
    }

    @Test
    void writesOneMessagePerSpanKeyedByTraceIdInTheTracesOrder() throws InvalidProtocolBufferException {
        MockProducer<byte[], byte[]> producer =
                new MockProducer<>(true, new ByteArraySerializer(), new ByteArraySerializer());
        GeneratedTrace trace = trace(0);

        try (KafkaSpanWriter writer = new KafkaSpanWriter(producer, "spans-topic", new JaegerProtoSpanEncoder())) {
            writer.write(trace);
            writer.flush();
        }

        assertThat(producer.history()).hasSize(53);
        List<Span> sent = new ArrayList<>();
        for (ProducerRecord<byte[], byte[]> record : producer.history()) {
            assertThat(record.topic()).isEqualTo("spans-topic");
            // the key is the trace id as Jaeger prints it: 32 hex digits, or 16 when the high half is zero
            String id = trace.traceIdHigh() == 0
                    ? String.format("%016x", trace.traceIdLow())
                    : String.format("%016x%016x", trace.traceIdHigh(), trace.traceIdLow());
            assertThat(new String(record.key(), UTF_8)).isEqualTo(id);
            assertThat(Span.parseFrom(record.value()).getTraceId().toByteArray())
                    .isEqualTo(ByteBuffer.allocate(16)
                            .putLong(trace.traceIdHigh())
                            .putLong(trace.traceIdLow())
                            .array());
            sent.add(Span.parseFrom(record.value()));
        }
        assertThat(sent).containsExactlyElementsOf(trace.spans());
        assertThat(sent.get(sent.size() - 1).getOperationName()).isEqualTo("runTest");
        assertThat(producer.closed()).isTrue();
    }

    @Test
    void anOtlpWriterSendsOneRecordPerTraceAndCountsItsSpansWhenRefused() {
        MockProducer<byte[], byte[]> producer =
                new MockProducer<>(false, new ByteArraySerializer(), new ByteArraySerializer());
        KafkaSpanWriter writer = new KafkaSpanWriter(producer, "spans-topic", new OtlpProtoSpanEncoder());

        writer.write(trace(0));
        assertThat(producer.history()).hasSize(1);
        producer.errorNext(new TimeoutException("Topic spans-topic not present in metadata after 15000 ms."));

        assertThatThrownBy(writer::flush)
                .isInstanceOf(KafkaSendException.class)
                .hasMessageContaining("53 span(s) were not written to Kafka topic 'spans-topic'");
    }

    @Test
    void aRefusedSpanFailsTheFlushAndStopsFurtherWrites() {
        MockProducer<byte[], byte[]> producer =
                new MockProducer<>(false, new ByteArraySerializer(), new ByteArraySerializer());
        KafkaSpanWriter writer = new KafkaSpanWriter(producer, "spans-topic", new JaegerProtoSpanEncoder());

        writer.write(trace(0));
        producer.errorNext(new TimeoutException("Topic spans-topic not present in metadata after 15000 ms."));

        assertThatThrownBy(writer::flush)
                .isInstanceOf(KafkaSendException.class)
                .hasMessageContaining("1 span(s) were not written to Kafka topic 'spans-topic'")
                .hasMessageContaining("not present in metadata")
                .hasCauseInstanceOf(TimeoutException.class);
        assertThatThrownBy(() -> writer.write(trace(1))).isInstanceOf(KafkaSendException.class);
    }
}
