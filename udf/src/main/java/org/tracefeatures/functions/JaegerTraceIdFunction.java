package org.tracefeatures.functions;

import org.apache.flink.table.annotation.DataTypeHint;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.functions.ScalarFunction;
import org.tracefeatures.jaeger.JaegerIds;

/**
 * {@code JAEGER_TRACE_ID(trace_id BYTES)}: the trace id as Jaeger prints it, or NULL if malformed. Gives
 * Flink's binary string straight from the hex digits (runs for every span; a Java string would be
 * encoded to UTF-8 again downstream).
 */
public class JaegerTraceIdFunction extends ScalarFunction {
    public @DataTypeHint(value = "STRING", bridgedTo = StringData.class) StringData eval(byte[] traceId) {
        byte[] digits = JaegerIds.traceIdDigits(traceId);
        return digits == null ? null : StringData.fromBytes(digits);
    }
}
