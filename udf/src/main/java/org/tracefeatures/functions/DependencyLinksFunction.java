package org.tracefeatures.functions;

import java.util.List;
import org.apache.flink.table.annotation.DataTypeHint;
import org.apache.flink.table.annotation.FunctionHint;
import org.apache.flink.table.functions.AggregateFunction;
import org.apache.flink.types.Row;
import org.tracefeatures.trace.dependencies.DependencyLink;
import org.tracefeatures.trace.dependencies.DependencyLinks;

/**
 * {@code DEPENDENCY_LINKS(parent, child, callCount, errorCount, source)}: the links of a Jaeger
 * dependencies document, summed over the group's rows: one element per (parent, child, source) with
 * the sums of the counts, sorted by parent, child and source so that the same input gives the same
 * array. Rows with a null parent or child are skipped; null counts add nothing.
 */
@FunctionHint(
        accumulator = @DataTypeHint(bridgedTo = DependencyLinks.class),
        output =
                @DataTypeHint(
                        "ARRAY<ROW<parent STRING, child STRING, callCount BIGINT, errorCount BIGINT, source STRING>>"))
public class DependencyLinksFunction extends AggregateFunction<Row[], DependencyLinks> {

    @Override
    public DependencyLinks createAccumulator() {
        return new DependencyLinks();
    }

    public void accumulate(
            DependencyLinks accumulator, String parent, String child, Long callCount, Long errorCount, String source) {
        if (parent == null || child == null) {
            return;
        }
        accumulator.add(parent, child, callCount == null ? 0 : callCount, errorCount == null ? 0 : errorCount, source);
    }

    public void merge(DependencyLinks accumulator, Iterable<DependencyLinks> others) {
        for (DependencyLinks other : others) {
            accumulator.addAll(other);
        }
    }

    @Override
    public Row[] getValue(DependencyLinks accumulator) {
        List<DependencyLink> links = accumulator.sorted();
        Row[] rows = new Row[links.size()];
        for (int i = 0; i < rows.length; i++) {
            DependencyLink link = links.get(i);
            rows[i] = Row.of(link.parent, link.child, link.callCount, link.errorCount, link.source);
        }
        return rows;
    }
}
