package org.tracefeatures.trace.features;

import static org.assertj.core.api.Assertions.assertThat;
import static org.tracefeatures.trace.features.Spans.calling;
import static org.tracefeatures.trace.features.Spans.client;
import static org.tracefeatures.trace.features.Spans.copy;
import static org.tracefeatures.trace.features.Spans.failed;
import static org.tracefeatures.trace.features.Spans.followsFrom;
import static org.tracefeatures.trace.features.Spans.server;
import static org.tracefeatures.trace.features.Spans.span;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.tracefeatures.trace.Span;
import org.tracefeatures.trace.Trace;
import org.tracefeatures.trace.features.ServiceCalls.Edge;

class ServiceCallsTest {

    @Test
    void hotrodDispatchCallsEachServiceOncePerRequest() {
        // HotrodTraceFeaturesTest's trace: every request is a client span in the caller with the callee's
        // server span below it; only the client->server hop crosses services
        List<Edge> calls = ServiceCalls.of(Trace.of(HotrodTraceFeaturesTest.hotrod()));

        assertThat(calls)
                .containsExactly(
                        new Edge("customer", "mysql", 1, 0),
                        new Edge("driver", "redis", 11, 0), // /FindDriverIDs and 10 x /GetDriver
                        new Edge("frontend", "customer", 1, 0),
                        new Edge("frontend", "driver", 1, 0),
                        new Edge("frontend", "route", 10, 0),
                        new Edge("test-executor", "ui", 1, 0),
                        new Edge("ui", "frontend", 1, 0));
    }

    @Test
    void aServerSpanSharingItsClientsIdIsOneCallFromTheClientsService() {
        // Zipkin-style: the server half has the client's id and the client's parent
        Span root = server(span("1", null, "ui", "/", 0, 100));
        Span uiClient = client(span("2", "1", "ui", "HTTP GET", 10, 90));
        Span frontendServer = server(span("2", "1", "frontend", "/dispatch", 20, 80));
        Span mysqlClient = client(span("3", "2", "frontend", "SELECT", 30, 40));

        assertThat(ServiceCalls.of(Trace.of(root, uiClient, frontendServer, mysqlClient)))
                .containsExactly(new Edge("ui", "frontend", 1, 0));
    }

    @Test
    void withVirtualPeersAClientSpanWithoutAServerChildIsACallToItsPeer() {
        Span root = server(span("1", null, "api", "/order", 0, 100));
        // an uninstrumented database and queue: the client and producer spans alone
        Span select = calling("mysql", client(span("2", "1", "api", "SELECT", 10, 20)));
        Span failedSelect = failed(calling("mysql", client(span("3", "1", "api", "SELECT", 25, 30))));
        Span send = calling("orders", span("4", "1", "api", "send", 35, 40));
        send.spanKind = "producer";
        // peer.service on a call whose callee reports spans: counted once, at the callee's span
        Span toBilling = calling("billing", client(span("5", "1", "api", "HTTP POST", 45, 90)));
        Span billing = server(span("6", "5", "billing", "/charge", 50, 85));
        // a peer named like the caller gives no call, as a span below its own service does
        Span self = calling("api", client(span("7", "1", "api", "local", 91, 92)));
        // a call to its own service over HTTP: the server span below reports it, whatever server.address says
        Span selfCall = calling("api.internal:8080", client(span("8", "1", "api", "HTTP GET", 93, 99)));
        Span selfServer = server(span("9", "8", "api", "/internal", 94, 98));
        Trace trace = Trace.of(root, select, failedSelect, send, toBilling, billing, self, selfCall, selfServer);

        assertThat(ServiceCalls.of(trace, true))
                .containsExactly(
                        new Edge("api", "billing", 1, 0),
                        new Edge("api", "mysql", 2, 1),
                        new Edge("api", "orders", 1, 0));
        // without virtual peers, as Jaeger's dependency graph counts: only calls between services that report spans
        assertThat(ServiceCalls.of(trace, false)).containsExactly(new Edge("api", "billing", 1, 0));
    }

    @Test
    void errorCallsAreThoseWhoseCalleeSpanFailed() {
        Span root = span("1", null, "a", "root", 0, 100);
        Span failedCall = failed(span("2", "1", "b", "x", 10, 20));
        Span goodCall = span("3", "1", "b", "x", 30, 40);
        // the caller's own failure is not the callee's
        Span failedCaller = failed(span("4", "1", "a", "internal", 50, 60));
        Span callFromFailedCaller = span("5", "4", "c", "y", 52, 58);

        assertThat(ServiceCalls.of(Trace.of(root, failedCall, goodCall, failedCaller, callFromFailedCaller)))
                .containsExactly(new Edge("a", "b", 2, 1), new Edge("a", "c", 1, 0));
    }

    @Test
    void rootsOrphansAndSpansBelowTheirOwnServiceGiveNoCall() {
        Span root = span("1", null, "a", "root", 0, 100);
        Span internal = span("2", "1", "a", "internal", 10, 20);
        Span orphan = span("3", "missing", "b", "lost", 30, 40);
        Span secondRoot = span("4", null, "c", "other root", 50, 60);

        assertThat(ServiceCalls.of(Trace.of(root, internal, orphan, secondRoot)))
                .isEmpty();
    }

    @Test
    void aSpanDeliveredTwiceIsOneCallAndFollowsFromCounts() {
        Span root = span("1", null, "a", "root", 0, 100);
        Span call = span("2", "1", "b", "x", 10, 20);
        Span async = followsFrom(span("3", "1", "queue", "consume", 90, 120));

        assertThat(ServiceCalls.of(Trace.of(root, call, copy(call), async)))
                .containsExactly(new Edge("a", "b", 1, 0), new Edge("a", "queue", 1, 0));
    }

    @Test
    void parentLinksInACycleCountWithoutHanging() {
        Span a = span("1", "2", "a", "x", 0, 10);
        Span b = span("2", "1", "b", "y", 5, 10);

        assertThat(ServiceCalls.of(Trace.of(a, b))).containsExactly(new Edge("a", "b", 1, 0), new Edge("b", "a", 1, 0));
    }

    @Test
    void aMissingServiceIsNamedNull() {
        Span root = span("1", null, "a", "root", 0, 100);
        Span anonymous = span("2", "1", null, "x", 10, 20);

        assertThat(ServiceCalls.of(Trace.of(root, anonymous))).containsExactly(new Edge("a", "null", 1, 0));
    }
}
