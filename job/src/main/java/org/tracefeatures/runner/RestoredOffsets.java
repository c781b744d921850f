package org.tracefeatures.runner;

import java.io.DataInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.typeutils.base.array.BytePrimitiveArraySerializer;
import org.apache.flink.connector.kafka.source.split.KafkaPartitionSplit;
import org.apache.flink.connector.kafka.source.split.KafkaPartitionSplitSerializer;
import org.apache.flink.core.fs.FSDataInputStream;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.io.SimpleVersionedSerialization;
import org.apache.flink.core.memory.DataInputViewStreamWrapper;
import org.apache.flink.runtime.checkpoint.Checkpoints;
import org.apache.flink.runtime.checkpoint.OperatorState;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.checkpoint.metadata.CheckpointMetadata;
import org.apache.flink.runtime.state.OperatorStateHandle;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Before a job resumes from a checkpoint or savepoint, compares the Kafka offsets it holds with the earliest offsets
 * Kafka still has, and says which records retention deleted in between: Kafka's consumer skips them when it resets
 * (to the earliest offset left, see StartingOffsets) and says so only in an INFO line. The records are gone either way;
 * this names the range, per partition, and how many records it held, on the console and in the log.
 */
final class RestoredOffsets {
    /** The list state in which Flink's source operator keeps its readers' splits. */
    private static final String SPLITS_STATE = "SourceReaderState";

    private static final Logger LOG = LoggerFactory.getLogger(RestoredOffsets.class);

    private RestoredOffsets() {}

    /** A range of offsets of one partition that retention deleted before the job read it. */
    record Deleted(TopicPartition partition, long from, long until) {
        long records() {
            return until - from;
        }

        @Override
        public String toString() {
            return "offsets " + from + " to " + (until - 1) + " of partition " + partition.partition() + " of topic "
                    + partition.topic() + " (" + records() + " records)";
        }
    }

    /** Reports the ranges deleted since the checkpoint or savepoint at {@code path}; returns them. */
    static List<Deleted> report(TableEnvironment tableEnv, String path) {
        Map<TopicPartition, Long> restored;
        try {
            restored = kafkaOffsets(path);
        } catch (IOException | RuntimeException e) {
            // Flink reads the checkpoint itself and says what is wrong with it; this is only a report
            LOG.warn("Could not read the Kafka offsets of {} to compare them with what Kafka still has", path, e);
            return List.of();
        }
        List<Deleted> deleted = new ArrayList<>();
        CatalogTables.options(tableEnv).forEach((table, options) -> {
            if (!"kafka".equals(options.get("connector")) || !options.containsKey("topic")) {
                return;
            }
            Map<TopicPartition, Long> ofTable = new HashMap<>();
            for (String topic : options.get("topic").split(";")) {
                restored.forEach((partition, offset) -> {
                    if (partition.topic().equals(topic.strip())) {
                        ofTable.put(partition, offset);
                    }
                });
            }
            if (!ofTable.isEmpty()) {
                deleted.addAll(deleted(options, ofTable));
            }
        });
        for (Deleted range : deleted) {
            String message = "Retention deleted " + range + " before this job read them: it resumes at offset "
                    + range.until() + ", and those records are in no document. Give the topic a retention longer than"
                    + " the job may stand still.";
            System.err.println(message);
            LOG.warn(message);
        }
        return deleted;
    }

    private static List<Deleted> deleted(Map<String, String> options, Map<TopicPartition, Long> restored) {
        Map<TopicPartition, OffsetSpec> earliest = new HashMap<>();
        restored.keySet().forEach(partition -> earliest.put(partition, OffsetSpec.earliest()));
        List<Deleted> deleted = new ArrayList<>();
        try (Admin admin = ConnectionCheck.admin(options)) {
            admin.listOffsets(earliest)
                    .all()
                    .get(ConnectionCheck.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                    .forEach((partition, info) -> {
                        long resumeAt = restored.get(partition);
                        if (resumeAt >= 0 && info.offset() > resumeAt) {
                            deleted.add(new Deleted(partition, resumeAt, info.offset()));
                        }
                    });
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            LOG.warn("Could not ask Kafka for the earliest offsets of {}", restored.keySet(), e);
        }
        return deleted;
    }

    /** The next offset to read of every Kafka partition in the checkpoint's source readers. */
    static Map<TopicPartition, Long> kafkaOffsets(String path) throws IOException {
        org.apache.flink.core.fs.Path directory = new org.apache.flink.core.fs.Path(path);
        FileSystem fs = directory.getFileSystem();
        org.apache.flink.core.fs.Path metadataFile = fs.getFileStatus(directory).isDir()
                ? new org.apache.flink.core.fs.Path(directory, "_metadata")
                : directory;
        CheckpointMetadata metadata;
        try (DataInputStream in = new DataInputStream(fs.open(metadataFile))) {
            metadata = Checkpoints.loadCheckpointMetadata(in, RestoredOffsets.class.getClassLoader(), path);
        }
        KafkaPartitionSplitSerializer splits = new KafkaPartitionSplitSerializer();
        Map<TopicPartition, Long> offsets = new TreeMap<>((a, b) -> a.topic().equals(b.topic())
                ? Integer.compare(a.partition(), b.partition())
                : a.topic().compareTo(b.topic()));
        for (OperatorState operator : metadata.getOperatorStates()) {
            for (OperatorSubtaskState subtask : operator.getStates()) {
                for (OperatorStateHandle handle : subtask.getManagedOperatorState()) {
                    OperatorStateHandle.StateMetaInfo info =
                            handle.getStateNameToPartitionOffsets().get(SPLITS_STATE);
                    if (info == null) {
                        continue;
                    }
                    try (FSDataInputStream in = handle.openInputStream()) {
                        DataInputViewStreamWrapper view = new DataInputViewStreamWrapper(in);
                        for (long offset : info.getOffsets()) {
                            in.seek(offset);
                            byte[] bytes = BytePrimitiveArraySerializer.INSTANCE.deserialize(view);
                            KafkaPartitionSplit split;
                            try {
                                split = SimpleVersionedSerialization.readVersionAndDeSerialize(splits, bytes);
                            } catch (IOException | RuntimeException notKafka) {
                                continue;
                            }
                            offsets.put(split.getTopicPartition(), split.getStartingOffset());
                        }
                    }
                }
            }
        }
        return offsets;
    }
}
