package org.tracefeatures.functions;

import java.util.Arrays;
import org.apache.flink.table.annotation.DataTypeHint;
import org.apache.flink.table.annotation.FunctionHint;
import org.apache.flink.table.functions.TableFunction;
import org.apache.flink.types.Row;
import org.tracefeatures.trace.Span;
import org.tracefeatures.trace.Trace;
import org.tracefeatures.trace.features.ServiceGraph;

/**
 * {@code LATERAL TABLE(SERVICE_GRAPH_REQUESTS(spans))}: one row per request of the trace between two nodes of the
 * service graph (services, peers that report no spans, {@code user}), with its connection type, whether it failed
 * and the client's and the server's latency in microseconds (null for a side that reports no span); and one row per
 * unpaired span, whose unknown side is null. See {@link ServiceGraph} for the rules.
 */
@FunctionHint(
        output = @DataTypeHint("ROW<client STRING, server STRING, connectionType STRING, failed BOOLEAN,"
                        + " clientMicros BIGINT, serverMicros BIGINT>"))
public class ServiceGraphRequestsFunction extends TableFunction<Row> {

    public void eval(Span[] spans) {
        for (ServiceGraph.Request request : ServiceGraph.of(Trace.of(Arrays.asList(spans)))) {
            collect(Row.of(
                    request.client(),
                    request.server(),
                    request.connectionType(),
                    request.failed(),
                    request.clientMicros(),
                    request.serverMicros()));
        }
    }
}
