package org.tracefeatures.bench;

import io.jaegertracing.api_v2.Span;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.tracefeatures.jaeger.JaegerIds;

/**
 * The ceiling: one thread, a plain Kafka consumer that parses every Span and counts spans per trace in a
 * hash map. No Flink, no windows, no sink: what reading and decoding the topic costs on this machine.
 */
final class CeilingConsumer {
    private CeilingConsumer() {}

    /** Reads the topic to the end offsets it had at the start; returns the number of distinct traces. */
    static long run(String kafka, String topic) throws Exception {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka);
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        Map<String, Integer> spansPerTrace = new HashMap<>();
        long spans = 0;
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props)) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            while (!reachedEnd(consumer, end)) {
                ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(500));
                for (ConsumerRecord<byte[], byte[]> record : records) {
                    Span span = Span.parseFrom(record.value());
                    String traceId = JaegerIds.traceId(span.getTraceId().toByteArray());
                    spansPerTrace.merge(traceId, 1, Integer::sum);
                    spans++;
                }
            }
        }
        System.err.println("ceiling: " + spans + " spans, " + spansPerTrace.size() + " traces");
        return spansPerTrace.size();
    }

    private static boolean reachedEnd(KafkaConsumer<byte[], byte[]> consumer, Map<TopicPartition, Long> end) {
        for (Map.Entry<TopicPartition, Long> partition : end.entrySet()) {
            if (consumer.position(partition.getKey()) < partition.getValue()) {
                return false;
            }
        }
        return true;
    }
}
