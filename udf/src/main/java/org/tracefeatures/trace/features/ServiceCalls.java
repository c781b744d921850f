package org.tracefeatures.trace.features;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.tracefeatures.trace.Span;
import org.tracefeatures.trace.Trace;

/**
 * The calls between services in one trace, as the Jaeger UI's dependency graph (System Architecture)
 * counts them: every span whose parent, as {@link Trace} links it, is a span of another service is one
 * call from the parent's service to the span's service. A parent of the same service gives no call, so
 * a service's internal spans and the client span it opens for an outgoing request add nothing; the
 * request itself is counted once, at the client-to-server hop.
 *
 * <p>Consequences of going by {@link Trace}'s links: a Zipkin-style server span that shares its
 * client's id hangs below that client span, so the shared id gives one call from the client's service;
 * a span delivered twice counts once; an orphan (parent not in the trace) and a root give no call,
 * because the caller is unknown; {@code FOLLOWS_FROM} children count like {@code CHILD_OF} ones (an
 * asynchronous call is still a dependency); a parent link inside a reference cycle counts like any
 * other (there is no walk, so a cycle cannot hang it).
 *
 * <p>A call to a service that reports no spans of its own (an uninstrumented database or queue) has no span in the
 * callee. With virtual peers, a span that names its {@link Span#peer} (a client or producer span with a
 * peer.service, db.* or messaging.* tag) and has no child in another service, nor a server or consumer child, is one
 * call from its service to that peer, as OpenTelemetry's service graph draws a virtual node; its own error flag makes
 * it an error call. A span whose callee reports spans is counted at that child only, whatever peer it names.
 *
 * <p>A call is an error call when the callee's span (the child) has the error flag.
 */
public final class ServiceCalls {
    private ServiceCalls() {}

    /** Calls from one service to another within a trace. */
    public static final class Edge {
        private final String parent;
        private final String child;
        private final long callCount;
        private final long errorCount;

        public Edge(String parent, String child, long callCount, long errorCount) {
            this.parent = parent;
            this.child = child;
            this.callCount = callCount;
            this.errorCount = errorCount;
        }

        public String parent() {
            return parent;
        }

        public String child() {
            return child;
        }

        public long callCount() {
            return callCount;
        }

        public long errorCount() {
            return errorCount;
        }

        @Override
        public boolean equals(Object o) {
            if (!(o instanceof Edge)) {
                return false;
            }
            Edge other = (Edge) o;
            return parent.equals(other.parent)
                    && child.equals(other.child)
                    && callCount == other.callCount
                    && errorCount == other.errorCount;
        }

        @Override
        public int hashCode() {
            return Objects.hash(parent, child, callCount, errorCount);
        }

        @Override
        public String toString() {
            return parent + " -> " + child + " calls=" + callCount + " errors=" + errorCount;
        }
    }

    /**
     * The trace's calls, one edge per (parent service, child service), sorted by parent, then child. A
     * null service is named {@code "null"}, as {@link Span#serviceOperation()} does.
     */
    public static List<Edge> of(Trace trace) {
        return of(trace, false);
    }

    /** The same, with calls to the peers that report no spans when {@code virtualPeers} (see the class comment). */
    public static List<Edge> of(Trace trace, boolean virtualPeers) {
        // caller -> callee -> {calls, errors}
        Map<String, Map<String, long[]>> counts = new TreeMap<>();
        for (int i = 0; i < trace.size(); i++) {
            int p = trace.parentIndex(i);
            if (p == Trace.NO_PARENT) {
                continue;
            }
            Span child = trace.span(i);
            String caller = name(trace.span(p));
            String callee = name(child);
            if (!caller.equals(callee)) {
                count(counts, caller, callee, child.error);
            }
        }
        if (virtualPeers) {
            boolean[] calleeReports = calleeReports(trace);
            for (int i = 0; i < trace.size(); i++) {
                Span span = trace.span(i);
                if (callsVirtualPeer(span, calleeReports[i])) {
                    count(counts, name(span), span.peer, span.error);
                }
            }
        }
        List<Edge> edges = new ArrayList<>();
        counts.forEach((caller, callees) ->
                callees.forEach((callee, edge) -> edges.add(new Edge(caller, callee, edge[0], edge[1]))));
        return edges;
    }

    /**
     * Per span of the trace, whether its callee reports the call: the span has a child in another service, or a
     * server or consumer child in any service (a service calling itself over HTTP).
     */
    static boolean[] calleeReports(Trace trace) {
        boolean[] calleeReports = new boolean[trace.size()];
        for (int i = 0; i < trace.size(); i++) {
            int p = trace.parentIndex(i);
            if (p != Trace.NO_PARENT
                    && (isServer(trace.span(i)) || !name(trace.span(p)).equals(name(trace.span(i))))) {
                calleeReports[p] = true;
            }
        }
        return calleeReports;
    }

    /**
     * Whether the span is a call to a peer that reports no spans: it names a peer, other than its own service, and
     * its callee does not report the call ({@code calleeReports}, see {@link #calleeReports}).
     */
    static boolean callsVirtualPeer(Span span, boolean calleeReports) {
        return span.peer != null && !calleeReports && !span.peer.equals(name(span));
    }

    /** The span's service; a null service is named {@code "null"}, as {@link Span#serviceOperation()} does. */
    static String name(Span span) {
        return String.valueOf(span.service);
    }

    static boolean isServer(Span span) {
        return Span.KIND_SERVER.equals(span.spanKind) || Span.KIND_CONSUMER.equals(span.spanKind);
    }

    private static void count(Map<String, Map<String, long[]>> counts, String caller, String callee, boolean error) {
        long[] edge = counts.computeIfAbsent(caller, s -> new TreeMap<>()).computeIfAbsent(callee, s -> new long[2]);
        edge[0]++;
        if (error) {
            edge[1]++;
        }
    }
}
