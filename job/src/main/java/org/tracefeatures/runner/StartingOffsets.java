package org.tracefeatures.runner;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartition;

/**
 * Where a job starts reading when it has no state, pinned before it is submitted, so that Kafka's reset after offsets
 * out of range goes to the earliest offset left, never to the latest.
 *
 * <p>Flink's Kafka source resets a partition whose offset retention has deleted (a job resumed from an old checkpoint,
 * or one that fell behind) as its startup mode says: 'earliest-offset' and 'specific-offsets' to the earliest offset
 * left, but 'latest-offset' and 'timestamp' to the latest one, which skips every record still there. So a table that
 * starts at the latest offsets or at a time gets those offsets, asked from Kafka now, as 'specific-offsets' instead:
 * it starts where it would have, and a reset keeps what retention has not deleted. A table that starts at its group's
 * committed offsets resets to the earliest offset unless it sets 'properties.auto.offset.reset' itself (Kafka's
 * default for Flink's source there is none: the job fails).
 */
final class StartingOffsets {
    private StartingOffsets() {}

    static void pin(TableEnvironment tableEnv) {
        CatalogTables.options(tableEnv).forEach((table, options) -> {
            if (!"kafka".equals(options.get("connector"))
                    || !options.containsKey("topic")
                    || options.get("topic").contains(";")) {
                return;
            }
            String mode = options.getOrDefault("scan.startup.mode", "group-offsets");
            if (mode.equals("group-offsets") && !options.containsKey("properties.auto.offset.reset")) {
                alter(tableEnv, table, "'properties.auto.offset.reset' = 'earliest'");
            } else if (mode.equals("latest-offset") || mode.equals("timestamp")) {
                Map<Integer, Long> offsets = offsets(
                        options,
                        mode.equals("timestamp")
                                ? OffsetSpec.forTimestamp(Long.parseLong(options.get("scan.startup.timestamp-millis")))
                                : OffsetSpec.latest());
                String specific = offsets.entrySet().stream()
                        .map(e -> "partition:" + e.getKey() + ",offset:" + e.getValue())
                        .collect(Collectors.joining(";"));
                System.err.println("Table " + table + " starts at offsets " + offsets + " of topic "
                        + options.get("topic") + " (partition=offset: the "
                        + (mode.equals("timestamp") ? "first at or after the start time" : "latest")
                        + ", asked from Kafka now)");
                alter(
                        tableEnv,
                        table,
                        "'scan.startup.mode' = 'specific-offsets', 'scan.startup.specific-offsets' = '" + specific
                                + "'");
            }
        });
    }

    /** Partition to offset; for a time after a partition's last record, that partition's end (as Flink's source). */
    private static Map<Integer, Long> offsets(Map<String, String> options, OffsetSpec spec) {
        String topic = options.get("topic");
        try (Admin admin = ConnectionCheck.admin(options)) {
            TopicDescription description = admin.describeTopics(List.of(topic))
                    .allTopicNames()
                    .get(ConnectionCheck.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                    .get(topic);
            Map<TopicPartition, OffsetSpec> wanted = new HashMap<>();
            Map<TopicPartition, OffsetSpec> ends = new HashMap<>();
            description.partitions().forEach(p -> {
                wanted.put(new TopicPartition(topic, p.partition()), spec);
                ends.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest());
            });
            Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> found =
                    admin.listOffsets(wanted).all().get(ConnectionCheck.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> end =
                    admin.listOffsets(ends).all().get(ConnectionCheck.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            Map<Integer, Long> offsets = new TreeMap<>();
            found.forEach((partition, info) -> offsets.put(
                    partition.partition(),
                    info.offset() >= 0 ? info.offset() : end.get(partition).offset()));
            return offsets;
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new SetupException("Kafka at " + options.get("properties.bootstrap.servers") + " did not give the"
                    + " starting offsets of topic " + topic + " (" + e + "): start it, or start the job from"
                    + " 'earliest'; the job was not submitted.");
        }
    }

    private static void alter(TableEnvironment tableEnv, String table, String options) {
        tableEnv.executeSql("ALTER TABLE " + table + " SET (" + options + ")");
    }
}
