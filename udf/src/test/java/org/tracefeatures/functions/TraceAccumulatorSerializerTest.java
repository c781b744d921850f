package org.tracefeatures.functions;

import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;
import org.tracefeatures.trace.Span;

import java.io.IOException;

import static org.assertj.core.api.Assertions.assertThat;

class TraceAccumulatorSerializerTest {
    private static final Span ROOT =
            new Span("00000000000000a1", null, null, "frontend", "HTTP GET /dispatch", "server", true, 1_000L, 500L);
    private static final Span CHILD =
            new Span("00000000000000b2", "00000000000000a1", "CHILD_OF", "redis", "GetDriver", null, false, 1_100L, 20L);

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
    void roundTripKeepsEverySpanAndItsNullFields() throws Exception {
        DataOutputSerializer out = new DataOutputSerializer(64);
        TraceAccumulatorSerializer.INSTANCE.serialize(accumulatorOf(190_000, ROOT, CHILD), out);
        TraceAccumulator read = read(out.getCopyOfBuffer());

        assertThat(read.spans()).extracting(SpanRow::toSpan).containsExactlyInAnyOrder(ROOT, CHILD);
        assertThat(read.droppedSpanCount).isEqualTo(190_000);
        // each span is still known by its identity: a repeat of one is not added again
        assertThat(read.add(SpanRow.of(CHILD), Integer.MAX_VALUE)).isZero();
        assertThat(read.size()).isEqualTo(2);
    }

    @Test
    void readsCheckpointsOfTheEarlierFormatWithEachFieldWrittenOnItsOwn() throws Exception {
        // as TraceAccumulatorSerializer wrote accumulators before spans were kept as binary rows
        DataOutputSerializer out = new DataOutputSerializer(64);
        out.writeInt(2);
        for (Span span : new Span[] {ROOT, CHILD}) {
            for (String field : new String[] {span.spanId, span.parentSpanId, span.referenceType, span.service,
                    span.operation, span.spanKind}) {
                out.writeBoolean(field != null);
                if (field != null) {
                    out.writeUTF(field);
                }
            }
            out.writeBoolean(span.error);
            out.writeLong(span.startMicros);
            out.writeLong(span.durationMicros);
        }
        out.writeLong(7);

        TraceAccumulator read = read(out.getCopyOfBuffer());

        assertThat(read.spans()).extracting(SpanRow::toSpan).containsExactlyInAnyOrder(ROOT, CHILD);
        assertThat(read.droppedSpanCount).isEqualTo(7);
    }

    @Test
    void copyIsIndependentOfTheOriginal() {
        TraceAccumulator accumulator = accumulatorOf(3, ROOT);

        TraceAccumulator copy = TraceAccumulatorSerializer.INSTANCE.copy(accumulator);
        accumulator.spans().clear();
        accumulator.add(SpanRow.of(CHILD), Integer.MAX_VALUE);
        accumulator.droppedSpanCount = 4;

        assertThat(copy.spans()).extracting(SpanRow::toSpan).containsExactly(ROOT);
        assertThat(copy.droppedSpanCount).isEqualTo(3);
    }
}
