package org.tracefeatures.simulator;

import io.jaegertracing.api_v2.Span;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * jaeger-collector's Kafka span writer (and the OpenTelemetry Collector's jaeger_proto and jaeger_json encodings):
 * one span per record, keyed by the trace id as Jaeger prints it, so all spans of a trace land on one partition in
 * the order they were sent.
 */
abstract class OneSpanPerRecordEncoder implements SpanEncoder {

    @Override
    public final List<EncodedRecord> encode(GeneratedTrace trace) {
        byte[] key = trace.traceIdString().getBytes(StandardCharsets.UTF_8);
        List<EncodedRecord> records = new ArrayList<>(trace.spans().size());
        for (Span span : trace.spans()) {
            records.add(new EncodedRecord(key, encode(span), 1));
        }
        return records;
    }

    /** The value of one span's record. */
    abstract byte[] encode(Span span);
}
