package org.tracefeatures.simulator;

import java.util.List;

/**
 * Turns the spans of one trace into the Kafka records that a real producer would write for them: the seam for the
 * encodings of {@link SpanEncoding}. Jaeger's encodings write one record per span ({@link OneSpanPerRecordEncoder});
 * OTLP writes batches ({@link OtlpProtoSpanEncoder}).
 */
public interface SpanEncoder {

    /** The records, in the order they are sent. */
    List<EncodedRecord> encode(GeneratedTrace trace);
}
