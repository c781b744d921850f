package org.tracefeatures.functions;

import java.util.Arrays;
import org.apache.flink.table.annotation.DataTypeHint;
import org.apache.flink.table.annotation.FunctionHint;
import org.apache.flink.table.functions.TableFunction;
import org.apache.flink.types.Row;
import org.tracefeatures.trace.Span;
import org.tracefeatures.trace.Trace;
import org.tracefeatures.trace.features.ServiceCalls;

/**
 * {@code LATERAL TABLE(SERVICE_CALLS(spans [, virtual_peers]))}: one row per pair of services that call each other in
 * the trace, with the number of calls and of error calls (see {@link ServiceCalls} for what counts as a call). With
 * {@code virtual_peers} TRUE, calls to peers that report no spans (a database, a queue) count too, the peer named
 * from the caller's span. A trace without calls between services gives no row.
 */
@FunctionHint(output = @DataTypeHint("ROW<parent STRING, child STRING, callCount BIGINT, errorCount BIGINT>"))
public class ServiceCallsFunction extends TableFunction<Row> {

    public void eval(Span[] spans) {
        eval(spans, false);
    }

    public void eval(Span[] spans, Boolean virtualPeers) {
        for (ServiceCalls.Edge edge :
                ServiceCalls.of(Trace.of(Arrays.asList(spans)), Boolean.TRUE.equals(virtualPeers))) {
            collect(Row.of(edge.parent(), edge.child(), edge.callCount(), edge.errorCount()));
        }
    }
}
