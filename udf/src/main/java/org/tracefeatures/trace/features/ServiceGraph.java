package org.tracefeatures.trace.features;

import java.util.ArrayList;
import java.util.List;
import org.tracefeatures.trace.Span;
import org.tracefeatures.trace.Trace;

/**
 * The requests of one trace as OpenTelemetry's service graph (the Collector's servicegraph connector, Tempo's
 * metrics-generator) sees them: each request between two nodes with the client's and the server's view of it, and
 * the spans of one side whose other side is unknown.
 *
 * <ul>
 *   <li><b>A call between services that report spans</b>: a span whose parent, as {@link Trace} links it, is in
 *       another service, the calls that {@link ServiceCalls} counts (so the edges and their calls are those of
 *       Jaeger's dependency graph). Client: the parent's service; server: the span's. The server-side latency is the
 *       span's duration, whatever its kind. The client-side latency is the parent's duration when the parent is a
 *       client or producer span (else the caller measured no request: null), taken once: a client span with several
 *       children in other services (a message to several consumers, retries below one client span) is one request
 *       per child, and only the first (by start) has the client's duration. Connection type {@value
 *       #MESSAGING_SYSTEM} when the parent is a producer or the span a consumer, {@value #DATABASE} when the parent
 *       {@link Span#callsDatabase} (a database that reports spans), else {@value #DIRECT}.
 *   <li><b>A call to a peer that reports no spans</b>: a span with a {@link Span#peer} whose callee does not report
 *       the call (no child in another service, no server or consumer child), the virtual peers of {@link
 *       ServiceCalls}. Server: the peer; connection type {@value #DATABASE} when the span {@link Span#callsDatabase},
 *       {@value #MESSAGING_SYSTEM} for a producer span, else {@value #VIRTUAL_NODE}. Server-side latency: null.
 *   <li><b>A request from a caller that reports no spans</b>: a root server or consumer span (a browser, curl). Client:
 *       {@value #USER}, as OpenTelemetry names it; connection type {@value #VIRTUAL_NODE}; client-side latency null.
 *   <li><b>An unpaired client span</b>: a client or producer span without peer whose callee does not report the call
 *       (lost, sampled away, or not instrumented and not named). Server: null; connection type {@value
 *       #MESSAGING_SYSTEM} for a producer, else {@value #DIRECT}.
 *   <li><b>An unpaired server span</b>: a server or consumer span whose parent is not in the trace (an orphan: the
 *       caller's span was lost). Client: null; connection type {@value #MESSAGING_SYSTEM} for a consumer, else {@value
 *       #DIRECT}.
 * </ul>
 *
 * <p>A request has failed when the client's or the server's span has the error flag (the service graph's rule;
 * {@link ServiceCalls} counts the callee's flag only, as Jaeger does). A call within one service (a client span and
 * the server span below it in the same service, a producer and its consumer in one service) is neither a request
 * between nodes nor unpaired, and so is a span whose peer names its own service: unlike OpenTelemetry's graph, this
 * one has no edges from a node to itself, as Jaeger's has none. A null service is the node {@code "null"}.
 */
public final class ServiceGraph {
    public static final String DIRECT = "direct";
    public static final String MESSAGING_SYSTEM = "messaging_system";
    public static final String DATABASE = "database";
    public static final String VIRTUAL_NODE = "virtual_node";
    /** The client of a root server or consumer span: a caller that reports no spans. */
    public static final String USER = "user";

    private ServiceGraph() {}

    /**
     * One request, or one unpaired span (client or server null). Latencies in microseconds, null for a side that
     * reports no span.
     */
    public record Request(
            String client,
            String server,
            String connectionType,
            boolean failed,
            Long clientMicros,
            Long serverMicros) {}

    /**
     * The trace's requests and unpaired spans: first those whose server side reports a span (by its start), then
     * the calls to peers that report no spans and the unpaired client spans (by the client's start).
     */
    public static List<Request> of(Trace trace) {
        List<Request> requests = new ArrayList<>();
        // client spans whose duration a request has taken already (a client span with several children in other
        // services)
        boolean[] clientCounted = new boolean[trace.size()];
        for (int i = 0; i < trace.size(); i++) {
            Span span = trace.span(i);
            String server = ServiceCalls.name(span);
            int p = trace.parentIndex(i);
            if (p == Trace.NO_PARENT) {
                if (ServiceCalls.isServer(span)) {
                    requests.add(
                            trace.isRoot(i)
                                    ? new Request(USER, server, VIRTUAL_NODE, span.error, null, span.durationMicros)
                                    : new Request(
                                            null,
                                            server,
                                            messagingOr(DIRECT, null, span),
                                            span.error,
                                            null,
                                            span.durationMicros));
                }
                continue;
            }
            Span parent = trace.span(p);
            String client = ServiceCalls.name(parent);
            if (!client.equals(server)) {
                Long clientMicros = null;
                if (isClient(parent) && !clientCounted[p]) {
                    clientMicros = parent.durationMicros;
                    clientCounted[p] = true;
                }
                requests.add(new Request(
                        client,
                        server,
                        messagingOr(parent.callsDatabase ? DATABASE : DIRECT, parent, span),
                        parent.error || span.error,
                        clientMicros,
                        span.durationMicros));
            }
        }
        boolean[] calleeReports = ServiceCalls.calleeReports(trace);
        for (int i = 0; i < trace.size(); i++) {
            Span span = trace.span(i);
            if (ServiceCalls.callsVirtualPeer(span, calleeReports[i])) {
                requests.add(new Request(
                        ServiceCalls.name(span),
                        span.peer,
                        span.callsDatabase ? DATABASE : messagingOr(VIRTUAL_NODE, span, null),
                        span.error,
                        span.durationMicros,
                        null));
            } else if (!calleeReports[i] && span.peer == null && isClient(span)) {
                requests.add(new Request(
                        ServiceCalls.name(span),
                        null,
                        messagingOr(DIRECT, span, null),
                        span.error,
                        span.durationMicros,
                        null));
            }
        }
        return requests;
    }

    /** {@value #MESSAGING_SYSTEM} when the client is a producer or the server a consumer span, else {@code type}. */
    private static String messagingOr(String type, Span client, Span server) {
        return client != null && Span.KIND_PRODUCER.equals(client.spanKind)
                        || server != null && Span.KIND_CONSUMER.equals(server.spanKind)
                ? MESSAGING_SYSTEM
                : type;
    }

    private static boolean isClient(Span span) {
        return Span.KIND_CLIENT.equals(span.spanKind) || Span.KIND_PRODUCER.equals(span.spanKind);
    }
}
