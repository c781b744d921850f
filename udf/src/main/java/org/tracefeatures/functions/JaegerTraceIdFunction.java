package org.tracefeatures.functions;

import org.apache.flink.table.functions.ScalarFunction;
import org.tracefeatures.jaeger.JaegerIds;

/** {@code JAEGER_TRACE_ID(trace_id BYTES)}: the trace id as Jaeger prints it, or NULL if malformed. */
public class JaegerTraceIdFunction extends ScalarFunction {
    public String eval(byte[] traceId) {
        return JaegerIds.traceId(traceId);
    }
}
