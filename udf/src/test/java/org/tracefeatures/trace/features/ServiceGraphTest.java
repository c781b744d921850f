package org.tracefeatures.trace.features;

import static org.assertj.core.api.Assertions.assertThat;
import static org.tracefeatures.trace.features.Spans.calling;
import static org.tracefeatures.trace.features.Spans.client;
import static org.tracefeatures.trace.features.Spans.failed;
import static org.tracefeatures.trace.features.Spans.server;
import static org.tracefeatures.trace.features.Spans.span;

import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.tracefeatures.trace.Span;
import org.tracefeatures.trace.Trace;
import org.tracefeatures.trace.features.ServiceGraph.Request;

class ServiceGraphTest {

    @Test
    void aClientSpanAndTheServerSpanBelowItAreOneRequestSeenFromBothSides() {
        // a root server span: its caller (a browser) reports no span, so it is the user's request
        Span root = server(span("1", null, "frontend", "/dispatch", 0, 1000));
        Span toRoute = client(span("2", "1", "frontend", "HTTP GET", 100, 400)); // 300 us seen by frontend
        Span route = server(span("3", "2", "route", "/GetShortestRoute", 150, 350)); // 200 us in route
        // the callee failed: the request failed, whichever side has the flag
        Span toDriver = client(span("4", "1", "frontend", "HTTP GET", 500, 900));
        Span driver = failed(server(span("5", "4", "driver", "/FindNearest", 510, 890)));

        assertThat(ServiceGraph.of(Trace.of(root, toRoute, route, toDriver, driver)))
                .containsExactly(
                        new Request("user", "frontend", ServiceGraph.VIRTUAL_NODE, false, null, 1000L),
                        new Request("frontend", "route", ServiceGraph.DIRECT, false, 300L, 200L),
                        new Request("frontend", "driver", ServiceGraph.DIRECT, true, 400L, 380L));
    }

    @Test
    void callsToPeersThatReportNoSpansAreRequestsToVirtualNodesByConnectionType() {
        Span root = span("1", null, "api", "/order", 0, 100);
        Span select = calling("mysql", client(span("2", "1", "api", "SELECT", 10, 20)));
        select.callsDatabase = true;
        Span failedSelect = failed(calling("mysql", client(span("3", "1", "api", "SELECT", 25, 30))));
        failedSelect.callsDatabase = true;
        Span send = calling("orders", span("4", "1", "api", "send", 35, 40));
        send.spanKind = Span.KIND_PRODUCER;
        Span payments = calling("payments.example.com", client(span("5", "1", "api", "HTTP POST", 41, 50)));
        // a client span whose callee reports spans is a direct request, whatever peer it names
        Span toBilling = calling("billing", client(span("6", "1", "api", "HTTP POST", 55, 90)));
        Span billing = server(span("7", "6", "billing", "/charge", 60, 85));
        // a peer named like the caller, and a call over HTTP to its own service: neither a request nor unpaired
        Span self = calling("api", client(span("8", "1", "api", "local", 91, 92)));
        Span selfCall = client(span("9", "1", "api", "HTTP GET", 93, 99));
        Span selfServer = server(span("10", "9", "api", "/internal", 94, 98));

        assertThat(ServiceGraph.of(Trace.of(
                        root, select, failedSelect, send, payments, toBilling, billing, self, selfCall, selfServer)))
                .containsExactly(
                        new Request("api", "billing", ServiceGraph.DIRECT, false, 35L, 25L),
                        new Request("api", "mysql", ServiceGraph.DATABASE, false, 10L, null),
                        new Request("api", "mysql", ServiceGraph.DATABASE, true, 5L, null),
                        new Request("api", "orders", ServiceGraph.MESSAGING_SYSTEM, false, 5L, null),
                        new Request("api", "payments.example.com", ServiceGraph.VIRTUAL_NODE, false, 9L, null));
    }

    @Test
    void aProducerAndItsConsumerAreAMessagingRequest() {
        Span root = span("1", null, "orders", "place", 0, 100);
        Span send = span("2", "1", "orders", "send", 10, 12);
        send.spanKind = Span.KIND_PRODUCER;
        Span receive = span("3", "2", "shipping", "receive", 40, 70);
        receive.spanKind = Span.KIND_CONSUMER;

        assertThat(ServiceGraph.of(Trace.of(root, send, receive)))
                .containsExactly(new Request("orders", "shipping", ServiceGraph.MESSAGING_SYSTEM, false, 2L, 30L));
    }

    @Test
    void spansWhoseOtherSideIsUnknownAreUnpaired() {
        Span root = span("1", null, "a", "root", 0, 100);
        // no server span below it and no peer named: the callee is unknown
        Span lostCall = failed(client(span("2", "1", "a", "HTTP GET", 10, 30)));
        // its caller's span is not in the trace
        Span orphan = server(span("3", "missing", "b", "/x", 40, 60));
        // a caller without a client span (an internal span in another service): a request, no client-side latency
        Span internal = span("4", "1", "a", "work", 61, 90);
        Span called = server(span("5", "4", "c", "/y", 62, 80));

        assertThat(ServiceGraph.of(Trace.of(root, lostCall, orphan, internal, called)))
                .containsExactly(
                        new Request(null, "b", ServiceGraph.DIRECT, false, null, 20L),
                        new Request("a", "c", ServiceGraph.DIRECT, false, null, 18L),
                        new Request("a", null, ServiceGraph.DIRECT, true, 20L, null));
    }

    @Test
    void theRequestsBetweenServicesAreTheCallsOfTheDependencyGraph() {
        // HotrodTraceFeaturesTest's trace: the same edges and counts as ServiceCalls, and one user request at the root
        Map<String, Long> calls = new TreeMap<>();
        for (Request request : ServiceGraph.of(Trace.of(HotrodTraceFeaturesTest.hotrod()))) {
            calls.merge(request.client() + " -> " + request.server(), 1L, Long::sum);
        }
        Map<String, Long> expected = new TreeMap<>();
        for (ServiceCalls.Edge edge : ServiceCalls.of(Trace.of(HotrodTraceFeaturesTest.hotrod()))) {
            expected.put(edge.parent() + " -> " + edge.child(), edge.callCount());
        }
        assertThat(calls).isEqualTo(expected);
    }
}
