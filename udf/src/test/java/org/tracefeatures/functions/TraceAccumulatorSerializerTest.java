package org.tracefeatures.functions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.table.data.binary.BinaryRowData;
import org.apache.flink.table.data.binary.BinarySegmentUtils;
import org.junit.jupiter.api.Test;
import org.tracefeatures.trace.Span;

class TraceAccumulatorSerializerTest {
    private static final Span ROOT =
            new Span("00000000000000a1", null, null, "frontend", "HTTP GET /dispatch", "server", true, 1_000L, 500L);
    private static final Span CHILD = new Span(
            "00000000000000b2", "00000000000000a1", "CHILD_OF", "redis", "GetDriver", null, false, 1_100L, 20L);

    private static TraceAccumulator accumulatorOf(long droppedSpanCount, Span... spans) {
        TraceAccumulator accumulator = new TraceAccumulator();
        for (Span span : spans) {
            accumulator.add(SpanRow.of(span), Integer.MAX_VALUE);
        }
        accumulator.droppedSpanCount = droppedSpanCount;
        return accumulator;
    }

    private static TraceAccumulator read(byte[] bytes) throws IOException {
        return TraceAccumulatorSerializer.INSTANCE.deserialize(new DataInputDeserializer(bytes));
    }

    @Test
    void roundTripKeepsEverySpanItsNullFieldsAndTheCounts() throws Exception {
        TraceAccumulator accumulator = accumulatorOf(190_000, ROOT, CHILD);
        accumulator.add(SpanRow.of(ROOT), Integer.MAX_VALUE);
        DataOutputSerializer out = new DataOutputSerializer(64);
        TraceAccumulatorSerializer.INSTANCE.serialize(accumulator, out);
        TraceAccumulator read = read(out.getCopyOfBuffer());

        assertThat(read.spans()).extracting(SpanRow::toSpan).containsExactlyInAnyOrder(ROOT, CHILD);
        assertThat(read.droppedSpanCount).isEqualTo(190_000);
        assertThat(read.repeatedSpanCount).isEqualTo(1);
        // each span is still known by its identity: a repeat of one is not added again, and counted
        assertThat(read.add(SpanRow.of(CHILD), Integer.MAX_VALUE)).isZero();
        assertThat(read.size()).isEqualTo(2);
        assertThat(read.repeatedSpanCount).isEqualTo(2);
    }

    @Test
    void readsTheFormatWithoutRepeatCountsAsNoRepeats() throws Exception {
        // as the serializer wrote accumulators before it counted repeats: -2, the spans' binary rows, the drops
        DataOutputSerializer out = new DataOutputSerializer(64);
        out.writeInt(-2);
        out.writeInt(2);
        for (Span span : new Span[] {ROOT, CHILD}) {
            BinaryRowData binary = SpanRow.of(span).row;
            byte[] row =
                    BinarySegmentUtils.copyToBytes(binary.getSegments(), binary.getOffset(), binary.getSizeInBytes());
            out.writeInt(row.length);
            out.write(row);
        }
        out.writeLong(7);

        TraceAccumulator read = read(out.getCopyOfBuffer());

        assertThat(read.spans()).extracting(SpanRow::toSpan).containsExactlyInAnyOrder(ROOT, CHILD);
        assertThat(read.droppedSpanCount).isEqualTo(7);
        assertThat(read.repeatedSpanCount).isZero();
    }

    @Test
    void anUnknownFormatFailsWithWhatToDo() {
        DataOutputSerializer out = new DataOutputSerializer(64);
        assertThatThrownBy(() -> {
                    out.writeInt(2);
                    read(out.getCopyOfBuffer());
                })
                .isInstanceOf(IOException.class)
                .hasMessageContaining("start the job without this checkpoint");
    }

    @Test
    void copyIsIndependentOfTheOriginal() {
        TraceAccumulator accumulator = accumulatorOf(3, ROOT);

        TraceAccumulator copy = TraceAccumulatorSerializer.INSTANCE.copy(accumulator);
        accumulator.spans().clear();
        accumulator.add(SpanRow.of(CHILD), Integer.MAX_VALUE);
        accumulator.droppedSpanCount = 4;
        accumulator.repeatedSpanCount = 5;

        assertThat(copy.spans()).extracting(SpanRow::toSpan).containsExactly(ROOT);
        assertThat(copy.droppedSpanCount).isEqualTo(3);
        assertThat(copy.repeatedSpanCount).isZero();
    }
}
