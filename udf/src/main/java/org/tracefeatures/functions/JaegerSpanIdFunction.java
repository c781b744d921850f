package org.tracefeatures.functions;

import org.apache.flink.table.functions.ScalarFunction;
import org.tracefeatures.jaeger.JaegerIds;

/** {@code JAEGER_SPAN_ID(span_id BYTES)}: 16 hex digits, or NULL if the id is not 8 bytes. */
public class JaegerSpanIdFunction extends ScalarFunction {
    public String eval(byte[] spanId) {
        return JaegerIds.spanId(spanId);
    }
}
