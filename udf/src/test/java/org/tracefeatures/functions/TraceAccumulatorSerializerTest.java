package org.tracefeatures.functions;

import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;
import org.tracefeatures.trace.Span;

import static org.assertj.core.api.Assertions.assertThat;

class TraceAccumulatorSerializerTest {

    @Test
    void roundTripKeepsEverySpanAndItsNullFields() throws Exception {
        TraceAccumulator accumulator = new TraceAccumulator();
        Span root = new Span("00000000000000a1", null, null, "frontend", "HTTP GET /dispatch", "server", true, 1_000L, 500L);
        Span child = new Span("00000000000000b2", "00000000000000a1", "CHILD_OF", "redis", "GetDriver", null, false, 1_100L, 20L);
        accumulator.spans.put(root.identity(), root);
        accumulator.spans.put(child.identity(), child);
        accumulator.droppedSpanCount = 190_000;

        DataOutputSerializer out = new DataOutputSerializer(64);
        TraceAccumulatorSerializer.INSTANCE.serialize(accumulator, out);
        TraceAccumulator read =
                TraceAccumulatorSerializer.INSTANCE.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));

        assertThat(read.spans).containsOnlyKeys("00000000000000a1|server|frontend", "00000000000000b2|null|redis");
        assertThat(read.spans.get("00000000000000a1|server|frontend")).isEqualTo(root);
        assertThat(read.spans.get("00000000000000b2|null|redis")).isEqualTo(child);
        assertThat(read.droppedSpanCount).isEqualTo(190_000);
    }

    @Test
    void copyIsIndependentOfTheOriginal() {
        TraceAccumulator accumulator = new TraceAccumulator();
        Span span = new Span("00000000000000a1", null, null, "frontend", "op", "server", false, 1L, 2L);
        accumulator.spans.put(span.identity(), span);
        accumulator.droppedSpanCount = 3;

        TraceAccumulator copy = TraceAccumulatorSerializer.INSTANCE.copy(accumulator);
        accumulator.spans.clear();

        assertThat(copy.spans).hasSize(1);
        assertThat(copy.droppedSpanCount).isEqualTo(3);
        assertThat(copy.spans.values().iterator().next()).isEqualTo(span).isNotSameAs(span);
    }
}
