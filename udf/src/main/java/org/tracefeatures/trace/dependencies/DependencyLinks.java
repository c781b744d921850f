package org.tracefeatures.trace.dependencies;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The links of a dependency graph being summed up: calls and error calls per (parent, child, source),
 * over any number of traces. Adding is commutative and associative, so the sum does not depend on the
 * order in which traces arrive or on how they were split across partial sums. Public fields and a
 * no-argument constructor make it a Flink structured type (the accumulator of
 * {@code DEPENDENCY_LINKS}).
 */
public class DependencyLinks {
    private static final Comparator<DependencyLink> ORDER = Comparator.comparing(
                    (DependencyLink l) -> String.valueOf(l.parent))
            .thenComparing(l -> String.valueOf(l.child))
            .thenComparing(l -> String.valueOf(l.source));

    /** Keyed by parent, child and source joined with NUL (service names hold no control characters). */
    public Map<String, DependencyLink> links = new HashMap<>();

    public void add(String parent, String child, long callCount, long errorCount, String source) {
        DependencyLink link = links.computeIfAbsent(
                parent + '\0' + child + '\0' + source, k -> new DependencyLink(parent, child, 0, 0, source));
        link.callCount += callCount;
        link.errorCount += errorCount;
    }

    public void addAll(DependencyLinks other) {
        for (DependencyLink link : other.links.values()) {
            add(link.parent, link.child, link.callCount, link.errorCount, link.source);
        }
    }

    /** Copies of the links, sorted by parent, child and source: the same sum gives the same list. */
    public List<DependencyLink> sorted() {
        List<DependencyLink> sorted = new ArrayList<>();
        for (DependencyLink link : links.values()) {
            sorted.add(new DependencyLink(link.parent, link.child, link.callCount, link.errorCount, link.source));
        }
        sorted.sort(ORDER);
        return sorted;
    }
}
