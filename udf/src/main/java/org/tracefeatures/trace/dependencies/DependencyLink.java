package org.tracefeatures.trace.dependencies;

/**
 * One edge of Jaeger's dependency graph, with the fields of a link in a Jaeger dependencies document:
 * {@code parent} calls {@code child} {@code callCount} times; {@code errorCount} of those calls failed;
 * {@code source} names what derived the link. Public fields and a no-argument constructor make it a
 * Flink structured type, so that it can live in an aggregate's accumulator.
 */
public class DependencyLink {
    public String parent;
    public String child;
    public long callCount;
    public long errorCount;
    public String source;

    public DependencyLink() {}

    public DependencyLink(String parent, String child, long callCount, long errorCount, String source) {
        this.parent = parent;
        this.child = child;
        this.callCount = callCount;
        this.errorCount = errorCount;
        this.source = source;
    }

    @Override
    public String toString() {
        return parent + " -> " + child + " calls=" + callCount + " errors=" + errorCount + " source=" + source;
    }
}
