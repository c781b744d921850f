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
 *       another service, the calls that {@link ServiceCalls} counts. Client: the parent's service; server: the span's.
 *       The client-side latency is the parent's duration when the parent is a client or producer span (else the
 *       caller measured no request: null); the server-side latency is the span's duration. Connection type
 *       {@value #MESSAGING_SYSTEM} when the parent is a producer or the span a consumer, else {@value #DIRECT}.
 *   <li><b>A call to a peer that reports no spans</b>: a span with a {@link Span#peer} whose callee does not report
 *       the call (no child in another service, no server or consumer child), the virtual peers of {@link
 *       ServiceCalls}. Server: the peer; connection type {@value #DATABASE} when the span {@link Span#callsDatabase},
 *       {@value #MESSAGING_SYSTEM} for a producer span, else {@value #VIRTUAL_NODE}. Server-side latency: null.
 *   <li><b>A request from a caller that reports no spans</b>: a root server or consumer span (a browser, curl). Client:
 *       {@value #USER}, as OpenTelemetry names it; connection type {@value #VIRTUAL_NODE}; client-side latency null.
 *   <li><b>An unpaired client span</b>: a client or producer span without peer whose callee does not report the call
 *       (lost, sampled away, or not instrumented and not named). Server: null.
 *   <li><b>An unpaired server span</b>: a server or consumer span whose parent is not in the trace (an orphan: the
 *       caller's span was lost). Client: null.
 * </ul>
 *
 * <p>A request has failed when the client's or the server's span has the error flag (the service graph's rule;
 * {@link ServiceCalls} counts the callee's flag only, as Jaeger does). A call within one service (a client span and
 * the server span below it in the same service) is neither a request between nodes nor unpaired, and so is a span
 * whose peer names its own service.
 */
public final class ServiceGraph {
    public static final String DIRECT = "direct";
    public static final String MESSAGING_SYSTEM = "messaging_system";
    public static final String DATABASE = "database";
    public static final String VIRTUAL_NODE = "virtual_node";
    /** The client of a root server span: a caller that reports no spans. */
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

    /** The trace's requests and unpaired spans, in the order of the spans that report them. */
    public static List<Request> of(Trace trace) {
        List<Request> requests = new ArrayList<>();
        // spans whose callee reports the call: a child in another service, or a server or consumer span in any
        boolean[] calleeReports = new boolean[trace.size()];
        for (int i = 0; i < trace.size(); i++) {
            Span span = trace.span(i);
            int p = trace.parentIndex(i);
            if (p == Trace.NO_PARENT) {
                if (isServer(span)) {
                    requests.add(
                            span.parentSpanId == null
                                    ? new Request(USER, name(span), VIRTUAL_NODE, span.error, null, span.durationMicros)
                                    : new Request(
                                            null, name(span), serverType(span), span.error, null, span.durationMicros));
                }
                continue;
            }
            Span parent = trace.span(p);
            boolean crossesServices = !name(parent).equals(name(span));
            if (crossesServices || isServer(span)) {
                calleeReports[p] = true;
            }
            if (crossesServices) {
                String type = Span.KIND_PRODUCER.equals(parent.spanKind) || Span.KIND_CONSUMER.equals(span.spanKind)
                        ? MESSAGING_SYSTEM
                        : DIRECT;
                requests.add(new Request(
                        name(parent),
                        name(span),
                        type,
                        parent.error || span.error,
                        isClient(parent) ? parent.durationMicros : null,
                        span.durationMicros));
            }
        }
        for (int i = 0; i < trace.size(); i++) {
            Span span = trace.span(i);
            if (calleeReports[i] || !isClient(span) && span.peer == null) {
                continue;
            }
            boolean producer = Span.KIND_PRODUCER.equals(span.spanKind);
            if (span.peer == null) {
                requests.add(new Request(
                        name(span), null, producer ? MESSAGING_SYSTEM : DIRECT, span.error, span.durationMicros, null));
            } else if (!span.peer.equals(name(span))) {
                String type = span.callsDatabase ? DATABASE : producer ? MESSAGING_SYSTEM : VIRTUAL_NODE;
                requests.add(new Request(name(span), span.peer, type, span.error, span.durationMicros, null));
            }
        }
        return requests;
    }

    /** A null service is named {@code "null"}, as {@link ServiceCalls} does. */
    private static String name(Span span) {
        return String.valueOf(span.service);
    }

    private static boolean isClient(Span span) {
        return Span.KIND_CLIENT.equals(span.spanKind) || Span.KIND_PRODUCER.equals(span.spanKind);
    }

    private static boolean isServer(Span span) {
        return Span.KIND_SERVER.equals(span.spanKind) || Span.KIND_CONSUMER.equals(span.spanKind);
    }

    private static String serverType(Span span) {
        return Span.KIND_CONSUMER.equals(span.spanKind) ? MESSAGING_SYSTEM : DIRECT;
    }
}
