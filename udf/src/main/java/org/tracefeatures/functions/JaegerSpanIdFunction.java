package org.tracefeatures.functions;

import org.apache.flink.table.annotation.DataTypeHint;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.functions.ScalarFunction;
import org.tracefeatures.jaeger.JaegerIds;

/**
 * {@code JAEGER_SPAN_ID(span_id BYTES)}: 16 hex digits, or NULL if the id is not 8 bytes (as Flink's
 * binary string: see {@link JaegerTraceIdFunction}).
 */
public class JaegerSpanIdFunction extends ScalarFunction {
    public @DataTypeHint(value = "STRING", bridgedTo = StringData.class) StringData eval(byte[] spanId) {
        byte[] digits = JaegerIds.spanIdDigits(spanId);
        return digits == null ? null : StringData.fromBytes(digits);
    }
}
