package org.tracefeatures.functions;

import java.util.Arrays;
import org.apache.flink.table.annotation.DataTypeHint;
import org.apache.flink.table.annotation.FunctionHint;
import org.apache.flink.table.functions.TableFunction;
import org.apache.flink.types.Row;
import org.tracefeatures.trace.Span;
import org.tracefeatures.trace.Trace;
import org.tracefeatures.trace.features.TraceFeatures;

/**
 * {@code LATERAL TABLE(TRACE_FEATURES(spans))}: one row with every feature of the trace (see
 * {@link TraceFeatures} for the definitions). A table function, so that a query selecting twenty
 * features computes them once per trace, not once per column.
 */
@FunctionHint(
        output = @DataTypeHint("ROW<rootService STRING, rootOperation STRING, rootDurationMicros BIGINT, rootCount INT,"
                        + " durationMicros BIGINT, spanCount INT, serviceCount INT, operationCount INT,"
                        + " errorCount INT, errorServices ARRAY<STRING>, depth INT, serviceDepth INT,"
                        + " maxFanOut INT, orphanSpanCount INT, warnings ARRAY<STRING>,"
                        + " networkLatencyMaxMicros BIGINT, networkLatencyAvgMicros DOUBLE,"
                        + " criticalPath MAP<STRING, BIGINT>, criticalPathServices MAP<STRING, BIGINT>,"
                        + " spanCounts MAP<STRING, BIGINT>>"))
public class TraceFeaturesFunction extends TableFunction<Row> {

    public void eval(Span[] spans) {
        TraceFeatures f = TraceFeatures.of(Trace.of(Arrays.asList(spans)));
        collect(Row.of(
                f.getRootService(),
                f.getRootOperation(),
                f.getRootDurationMicros(),
                f.getRootCount(),
                f.getDurationMicros(),
                f.getSpanCount(),
                f.getServiceCount(),
                f.getOperationCount(),
                f.getErrorCount(),
                f.getErrorServices().toArray(new String[0]),
                f.getDepth(),
                f.getServiceDepth(),
                f.getMaxFanOut(),
                f.getOrphanSpanCount(),
                f.getWarnings().toArray(new String[0]),
                f.getNetworkLatencyMaxMicros(),
                f.getNetworkLatencyAvgMicros(),
                f.getCriticalPath(),
                f.getCriticalPathServices(),
                f.getSpanCounts()));
    }
}
