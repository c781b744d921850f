package org.tracefeatures.functions;

import org.apache.flink.table.functions.ScalarFunction;
import org.tracefeatures.jaeger.JsonTimes;

/**
 * {@code JSON_DURATION_MICROS(text)}: protobuf's JSON form of a Duration (e.g. Jaeger JSON's
 * {@code "0.022938s"}) as microseconds; 0 for NULL (protobuf's default, which Jaeger's JSON leaves
 * out), NULL for text that is not such a duration.
 */
public class JsonDurationMicrosFunction extends ScalarFunction {
    public Long eval(String text) {
        return JsonTimes.durationMicros(text);
    }
}
