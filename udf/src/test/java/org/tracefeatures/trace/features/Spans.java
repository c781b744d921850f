package org.tracefeatures.trace.features;

import org.tracefeatures.trace.Span;

/** Hand-built spans for the feature tests. */
final class Spans {
    private Spans() {}

    /** A span of kind null; CHILD_OF {@code parent} unless {@code parent} is null. */
    static Span span(String id, String parent, String service, String operation, long start, long end) {
        return new Span(
                id, parent, parent == null ? null : Span.CHILD_OF, service, operation, null, false, start, end - start);
    }

    static Span client(Span span) {
        span.spanKind = Span.KIND_CLIENT;
        return span;
    }

    static Span server(Span span) {
        span.spanKind = Span.KIND_SERVER;
        return span;
    }

    static Span failed(Span span) {
        span.error = true;
        return span;
    }

    /** The span calling {@code peer}, as its peer.service or db.* tag names it. */
    static Span calling(String peer, Span span) {
        span.peer = peer;
        return span;
    }

    static Span followsFrom(Span span) {
        span.referenceType = Span.FOLLOWS_FROM;
        return span;
    }

    /** A field-by-field copy: the same span delivered a second time. */
    static Span copy(Span s) {
        return new Span(
                s.spanId,
                s.parentSpanId,
                s.referenceType,
                s.service,
                s.operation,
                s.spanKind,
                s.error,
                s.startMicros,
                s.durationMicros,
                s.peer,
                s.callsDatabase);
    }

    static String hexId(long i) {
        return String.format("%016x", i + 1);
    }
}
