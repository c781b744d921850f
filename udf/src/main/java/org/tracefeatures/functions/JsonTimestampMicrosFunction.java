package org.tracefeatures.functions;

import org.apache.flink.table.functions.ScalarFunction;
import org.tracefeatures.jaeger.JsonTimes;

/**
 * {@code JSON_TIMESTAMP_MICROS(text)}: protobuf's JSON form of a Timestamp (RFC 3339, e.g. Jaeger
 * JSON's {@code startTime}) as microseconds since the epoch; 0 for NULL (protobuf's default), NULL for
 * text that is not such a time.
 */
public class JsonTimestampMicrosFunction extends ScalarFunction {
    public Long eval(String text) {
        return JsonTimes.timestampMicros(text);
    }
}
