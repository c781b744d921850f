package org.tracefeatures.functions;

import java.util.HashMap;
import java.util.Map;
import org.apache.flink.table.annotation.DataTypeHint;
import org.apache.flink.table.annotation.FunctionHint;
import org.apache.flink.table.functions.AggregateFunction;
import org.tracefeatures.elasticsearch.FieldSafeMap;

/**
 * {@code SERVICE_VERSIONS(service, version)}: per service of the group, the greatest of its non-null versions (as
 * text), so that a trace that crosses two versions of a service mid-deploy has one, whatever the order its spans
 * came in. A '.' in a service name becomes '@', as in span counts, so that every key is a field of the document.
 * An empty map when no span has a version.
 *
 * <p>The accumulator is a RAW value: the window operator hands it over per span as it is, where a structured type
 * would be converted to and from Flink's internal form for every span, map included, versions or not. Every job that
 * reads the trace view pays for this aggregate (bench/README.md, 2026-12-06 (2)).
 */
@FunctionHint(
        accumulator = @DataTypeHint(value = "RAW", bridgedTo = ServiceVersionsFunction.Versions.class),
        output = @DataTypeHint("MAP<STRING, STRING>"))
public class ServiceVersionsFunction extends AggregateFunction<Map<String, String>, ServiceVersionsFunction.Versions> {

    /** The versions so far, keyed by the field-safe service name. */
    public static final class Versions {
        public HashMap<String, String> byService = new HashMap<>();

        void add(String service, String version) {
            byService.merge(service, version, (a, b) -> a.compareTo(b) >= 0 ? a : b);
        }
    }

    @Override
    public Versions createAccumulator() {
        return new Versions();
    }

    public void accumulate(Versions accumulator, String service, String version) {
        if (service != null && version != null) {
            accumulator.add(service.replace('.', FieldSafeMap.DOT_REPLACEMENT), version);
        }
    }

    public void merge(Versions accumulator, Iterable<Versions> others) {
        for (Versions other : others) {
            other.byService.forEach(accumulator::add);
        }
    }

    @Override
    public Map<String, String> getValue(Versions accumulator) {
        return new HashMap<>(accumulator.byService);
    }
}
