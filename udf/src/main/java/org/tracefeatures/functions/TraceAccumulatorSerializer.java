package org.tracefeatures.functions;

import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;
import org.tracefeatures.trace.Span;

import java.io.IOException;
import java.util.Map;

/**
 * Writes a {@link TraceAccumulator} for checkpoints and for state backends that keep bytes (RocksDB).
 * COLLECT_TRACE declares its accumulator as RAW with this serializer: as a structured type, Flink
 * converted the whole accumulator (every span so far) to and from its binary row format on each
 * accumulate(), which made assembling an n-span trace cost O(n²); as RAW on the heap state backend the
 * accumulator object stays as it is between calls, and this serializer runs only on checkpoints.
 *
 * <p>Layout: the number of spans, each span, then {@code droppedSpanCount}. The count came with the cap
 * on spans per trace; a checkpoint written before it does not restore (start such a job afresh).
 */
public final class TraceAccumulatorSerializer extends TypeSerializerSingleton<TraceAccumulator> {
    private static final long serialVersionUID = 1L;
    public static final TraceAccumulatorSerializer INSTANCE = new TraceAccumulatorSerializer();

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
        TraceAccumulator copy = new TraceAccumulator();
        for (Map.Entry<String, Span> entry : from.spans.entrySet()) {
            Span s = entry.getValue();
            copy.spans.put(entry.getKey(), new Span(s.spanId, s.parentSpanId, s.referenceType, s.service, s.operation,
                    s.spanKind, s.error, s.startMicros, s.durationMicros));
        }
        copy.droppedSpanCount = from.droppedSpanCount;
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
        target.writeInt(record.spans.size());
        for (Span span : record.spans.values()) {
            writeNullable(span.spanId, target);
            writeNullable(span.parentSpanId, target);
            writeNullable(span.referenceType, target);
            writeNullable(span.service, target);
            writeNullable(span.operation, target);
            writeNullable(span.spanKind, target);
            target.writeBoolean(span.error);
            target.writeLong(span.startMicros);
            target.writeLong(span.durationMicros);
        }
        target.writeLong(record.droppedSpanCount);
    }

    @Override
    public TraceAccumulator deserialize(DataInputView source) throws IOException {
        TraceAccumulator accumulator = new TraceAccumulator();
        int size = source.readInt();
        for (int i = 0; i < size; i++) {
            Span span = new Span(readNullable(source), readNullable(source), readNullable(source),
                    readNullable(source), readNullable(source), readNullable(source), source.readBoolean(),
                    source.readLong(), source.readLong());
            accumulator.spans.put(span.identity(), span);
        }
        accumulator.droppedSpanCount = source.readLong();
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

    private static void writeNullable(String value, DataOutputView target) throws IOException {
        target.writeBoolean(value != null);
        if (value != null) {
            target.writeUTF(value);
        }
    }

    private static String readNullable(DataInputView source) throws IOException {
        return source.readBoolean() ? source.readUTF() : null;
    }

    /** Restores the serializer from a checkpoint; it has no configuration. */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<TraceAccumulator> {
        public Snapshot() {
            super(() -> INSTANCE);
        }
    }
}
