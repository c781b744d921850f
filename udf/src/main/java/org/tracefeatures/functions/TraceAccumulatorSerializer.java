package org.tracefeatures.functions;

import java.io.IOException;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;
import org.apache.flink.table.data.binary.BinarySegmentUtils;

/**
 * Writes a {@link TraceAccumulator} for checkpoints and for state backends that keep bytes (RocksDB).
 * COLLECT_TRACE declares its accumulator as RAW with this serializer, so that on the heap state backend the
 * accumulator object stays as it is between calls and this serializer runs only on checkpoints (and when
 * the heap backend copies an entry that a running checkpoint still reads). As a structured type, Flink
 * would convert the whole accumulator (every span so far) to and from its binary row format on each
 * accumulate(): O(n²) for an n-span trace.
 *
 * <p>Layout: {@value #FORMAT} (the format), the number of spans, each span as the length and bytes of its
 * binary row ({@link SpanRow}), then {@code droppedSpanCount} and {@code repeatedSpanCount}. The format
 * {@value #FORMAT_WITHOUT_REPEATS}, the same without the repeat count, is still read: savepoints of jobs
 * that did not count repeats restore with a count of 0.
 */
public final class TraceAccumulatorSerializer extends TypeSerializerSingleton<TraceAccumulator> {
    private static final long serialVersionUID = 1L;
    public static final TraceAccumulatorSerializer INSTANCE = new TraceAccumulatorSerializer();
    /** The first int of the current format. */
    static final int FORMAT = -3;
    /** The first int of the format before repeats were counted. */
    static final int FORMAT_WITHOUT_REPEATS = -2;

    @Override
    public boolean isImmutableType() {
        return false;
    }

    @Override
    public TraceAccumulator createInstance() {
        return new TraceAccumulator();
    }

    @Override
    public TraceAccumulator copy(TraceAccumulator from) {
        // span rows never change once made, so the copy shares them
        TraceAccumulator copy = new TraceAccumulator();
        copy.spans().addAll(from.spans());
        copy.droppedSpanCount = from.droppedSpanCount;
        copy.repeatedSpanCount = from.repeatedSpanCount;
        return copy;
    }

    @Override
    public TraceAccumulator copy(TraceAccumulator from, TraceAccumulator reuse) {
        return copy(from);
    }

    @Override
    public int getLength() {
        return -1;
    }

    @Override
    public void serialize(TraceAccumulator record, DataOutputView target) throws IOException {
        target.writeInt(FORMAT);
        target.writeInt(record.size());
        for (SpanRow span : record.spans()) {
            int length = span.row.getSizeInBytes();
            target.writeInt(length);
            BinarySegmentUtils.copyToView(span.row.getSegments(), span.row.getOffset(), length, target);
        }
        target.writeLong(record.droppedSpanCount);
        target.writeLong(record.repeatedSpanCount);
    }

    @Override
    public TraceAccumulator deserialize(DataInputView source) throws IOException {
        TraceAccumulator accumulator = new TraceAccumulator();
        int format = source.readInt();
        if (format != FORMAT && format != FORMAT_WITHOUT_REPEATS) {
            throw new IOException("A trace in this checkpoint has the format " + format + ", which this version of"
                    + " tracefeatures does not read (it reads " + FORMAT + " and " + FORMAT_WITHOUT_REPEATS + "): start"
                    + " the job without this checkpoint, from a time (see docs/operations.md)");
        }
        int size = source.readInt();
        for (int i = 0; i < size; i++) {
            byte[] bytes = new byte[source.readInt()];
            source.readFully(bytes);
            accumulator.spans().add(SpanRow.fromBytes(bytes));
        }
        accumulator.droppedSpanCount = source.readLong();
        if (format == FORMAT) {
            accumulator.repeatedSpanCount = source.readLong();
        }
        return accumulator;
    }

    @Override
    public TraceAccumulator deserialize(TraceAccumulator reuse, DataInputView source) throws IOException {
        return deserialize(source);
    }

    @Override
    public void copy(DataInputView source, DataOutputView target) throws IOException {
        serialize(deserialize(source), target);
    }

    @Override
    public TypeSerializerSnapshot<TraceAccumulator> snapshotConfiguration() {
        return new Snapshot();
    }

    /** Restores the serializer from a checkpoint; it has no configuration. */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<TraceAccumulator> {
        public Snapshot() {
            super(() -> INSTANCE);
        }
    }
}
