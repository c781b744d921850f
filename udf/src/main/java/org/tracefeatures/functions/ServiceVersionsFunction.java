package org.tracefeatures.functions;

import java.util.HashMap;
import java.util.Map;
import org.apache.flink.table.annotation.DataTypeHint;
import org.apache.flink.table.functions.AggregateFunction;
import org.tracefeatures.elasticsearch.FieldSafeMap;

/**
 * {@code SERVICE_VERSIONS(service, version)}: per service of the group, the greatest of its non-null versions (as
 * text), so that a trace that crosses two versions of a service mid-deploy has one, whatever the order its spans
 * came in. A '.' in a service name becomes '@', as in span counts, so that every key is a field of the document.
 * An empty map when no span has a version.
 */
public class ServiceVersionsFunction
        extends AggregateFunction<Map<String, String>, ServiceVersionsFunction.Accumulator> {

    /** The versions so far, keyed by the field-safe service name. */
    public static class Accumulator {
        public @DataTypeHint("MAP<STRING, STRING>") Map<String, String> versions = new HashMap<>();

        void add(String service, String version) {
            versions.merge(service, version, (a, b) -> a.compareTo(b) >= 0 ? a : b);
        }
    }

    @Override
    public Accumulator createAccumulator() {
        return new Accumulator();
    }

    public void accumulate(Accumulator accumulator, String service, String version) {
        if (service != null && version != null) {
            accumulator.add(service.replace('.', FieldSafeMap.DOT_REPLACEMENT), version);
        }
    }

    public void merge(Accumulator accumulator, Iterable<Accumulator> others) {
        for (Accumulator other : others) {
            other.versions.forEach(accumulator::add);
        }
    }

    @Override
    public @DataTypeHint("MAP<STRING, STRING>") Map<String, String> getValue(Accumulator accumulator) {
        return new HashMap<>(accumulator.versions);
    }
}
