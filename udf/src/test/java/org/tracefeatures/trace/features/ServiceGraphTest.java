package org.tracefeatures.trace.features;

import static org.assertj.core.api.Assertions.assertThat;
import static org.tracefeatures.trace.features.Spans.calling;
import static org.tracefeatures.trace.features.Spans.client;
import static org.tracefeatures.trace.features.Spans.failed;
import static org.tracefeatures.trace.features.Spans.followsFrom;
import static org.tracefeatures.trace.features.Spans.server;
import static org.tracefeatures.trace.features.Spans.span;

import java.util.ArrayList;
import java.util.List;
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
    void hotrodDispatchHasTheCallsOfTheDependencyGraphEachSeenFromBothSides() {
        // HotrodTraceFeaturesTest's trace: every request is a client span with the callee's server span below it, the
        // calls ServiceCallsTest counts; the root (runTest) has no kind, so no request from the user
        Map<String, Long> calls = new TreeMap<>();
        Map<String, List<String>> latencies = new TreeMap<>();
        for (Request request : ServiceGraph.of(Trace.of(HotrodTraceFeaturesTest.hotrod()))) {
            assertThat(request.connectionType()).isEqualTo(ServiceGraph.DIRECT);
            assertThat(request.failed()).isFalse();
            String edge = request.client() + " -> " + request.server();
            calls.merge(edge, 1L, Long::sum);
            latencies
                    .computeIfAbsent(edge, e -> new ArrayList<>())
                    .add(request.clientMicros() + "/" + request.serverMicros());
        }
        assertThat(calls)
                .containsExactlyEntriesOf(new TreeMap<>(Map.of(
                        "customer -> mysql", 1L,
                        "driver -> redis", 11L, // /FindDriverIDs and 10 x /GetDriver
                        "frontend -> customer", 1L,
                        "frontend -> driver", 1L,
                        "frontend -> route", 10L,
                        "test-executor -> ui", 1L,
                        "ui -> frontend", 1L)));
        // client span [10, 990] and server span [20, 980]; the route calls [s, s + 60] and [s + 3, s + 57]
        assertThat(latencies.get("test-executor -> ui")).containsExactly("980/960");
        assertThat(latencies.get("frontend -> route")).containsOnly("60/54").hasSize(10);
        // /FindDriverIDs [370, 400] -> [372, 398], then 10 x /GetDriver [s, s + 25] -> [s + 2, s + 23]
        assertThat(latencies.get("driver -> redis")).startsWith("30/26").endsWith("25/21");
    }

    @Test
    void aServerSpanSharingItsClientsIdIsTheRequestsServerSide() {
        // Zipkin-style: the server half has the client's id; the root server span is the user's request
        Span root = server(span("1", null, "ui", "/", 0, 100));
        Span uiClient = client(span("2", "1", "ui", "HTTP GET", 10, 90));
        Span frontendServer = server(span("2", "1", "frontend", "/dispatch", 20, 80));

        assertThat(ServiceGraph.of(Trace.of(root, uiClient, frontendServer)))
                .containsExactly(
                        new Request("user", "ui", ServiceGraph.VIRTUAL_NODE, false, null, 100L),
                        new Request("ui", "frontend", ServiceGraph.DIRECT, false, 80L, 60L));
    }

    @Test
    void aMessageToSeveralConsumersIsOneRequestEachWithTheProducersDurationOnce() {
        Span root = span("1", null, "orders", "place", 0, 100);
        Span send = failed(span("2", "1", "orders", "send", 10, 12));
        send.spanKind = Span.KIND_PRODUCER;
        Span shipping = followsFrom(span("3", "2", "shipping", "receive", 40, 70));
        shipping.spanKind = Span.KIND_CONSUMER;
        Span billing = followsFrom(span("4", "2", "billing", "receive", 50, 55));
        billing.spanKind = Span.KIND_CONSUMER;
        // a consumer in the producer's own service: no edge
        Span own = span("5", "2", "orders", "audit", 60, 61);
        own.spanKind = Span.KIND_CONSUMER;

        assertThat(ServiceGraph.of(Trace.of(root, send, shipping, billing, own)))
                .containsExactly(
                        // the producer failed: so did each request (its error flag alone)
                        new Request("orders", "shipping", ServiceGraph.MESSAGING_SYSTEM, true, 2L, 30L),
                        new Request("orders", "billing", ServiceGraph.MESSAGING_SYSTEM, true, null, 5L));
    }

    @Test
    void aDatabaseThatReportsSpansIsADatabaseEdgeAndANullServiceIsTheNodeNull() {
        Span root = span("1", null, "api", "/", 0, 100);
        Span select = client(span("2", "1", "api", "SELECT", 10, 30));
        select.callsDatabase = true;
        Span mysql = server(span("3", "2", "mysql", "query", 12, 28));
        Span noService = server(span("4", "1", null, "/x", 40, 50));

        assertThat(ServiceGraph.of(Trace.of(root, select, mysql, noService)))
                .containsExactly(
                        new Request("api", "mysql", ServiceGraph.DATABASE, false, 20L, 16L),
                        new Request("api", "null", ServiceGraph.DIRECT, false, null, 10L));
    }

    @Test
    void consumersAndProducersWhoseOtherSideIsUnknownAreUnpairedMessaging() {
        // a root consumer: a message from a producer that reports no spans
        Span rootConsumer = span("1", null, "worker", "receive", 0, 100);
        rootConsumer.spanKind = Span.KIND_CONSUMER;
        // a producer without peer whose consumer is not in the trace
        Span send = span("2", "1", "worker", "send", 10, 15);
        send.spanKind = Span.KIND_PRODUCER;
        // a consumer whose producer's span is missing
        Span orphan = span("3", "missing", "mailer", "receive", 20, 50);
        orphan.spanKind = Span.KIND_CONSUMER;

        assertThat(ServiceGraph.of(Trace.of(rootConsumer, send, orphan)))
                .containsExactly(
                        new Request("user", "worker", ServiceGraph.VIRTUAL_NODE, false, null, 100L),
                        new Request(null, "mailer", ServiceGraph.MESSAGING_SYSTEM, false, null, 30L),
                        new Request("worker", null, ServiceGraph.MESSAGING_SYSTEM, false, 5L, null));
    }

    @Test
    void aRequestFailsWhenOnlyTheClientSpanHasTheErrorFlag() {
        Span root = span("1", null, "a", "root", 0, 100);
        Span call = failed(client(span("2", "1", "a", "HTTP GET", 10, 90))); // e.g. a timeout at the client
        Span served = server(span("3", "2", "b", "/slow", 20, 95));

        assertThat(ServiceGraph.of(Trace.of(root, call, served)))
                .containsExactly(new Request("a", "b", ServiceGraph.DIRECT, true, 80L, 75L));
    }
}
