package org.tracefeatures.it;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What the OSS Elasticsearch lacks: HTTP basic authentication. A reverse proxy on loopback that answers a request
 * without the right user name and password as Elasticsearch's security does (401, a Basic challenge, a
 * security_exception) and forwards every other request to the real node.
 */
final class AuthenticatingProxy implements AutoCloseable {
    private final HttpServer server;
    private final URI target;
    private final String expectedAuthorization;
    private final HttpClient http = HttpClient.newHttpClient();
    private final ExecutorService handlers = Executors.newFixedThreadPool(4);
    private final AtomicInteger forwardedBulkRequests = new AtomicInteger();
    private final AtomicInteger refusedRequests = new AtomicInteger();

    AuthenticatingProxy(URI target, String username, String password) throws IOException {
        this.target = target;
        this.expectedAuthorization = "Basic "
                + Base64.getEncoder().encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(handlers);
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Bulk requests that carried the right credentials and went on to Elasticsearch. */
    int forwardedBulkRequests() {
        return forwardedBulkRequests.get();
    }

    /** Requests without the right credentials (a client sends its first request without, to get the challenge). */
    int refusedRequests() {
        return refusedRequests.get();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getRawPath();
            if (!expectedAuthorization.equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
                refusedRequests.incrementAndGet();
                exchange.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"security\" charset=\"UTF-8\"");
                respond(
                        exchange,
                        401,
                        "{\"error\":{\"type\":\"security_exception\",\"reason\":\"unable to authenticate"
                                + " user for REST request [" + path + "]\"},\"status\":401}");
                return;
            }
            if (path.endsWith("/_bulk")) {
                forwardedBulkRequests.incrementAndGet();
            }
            String query = exchange.getRequestURI().getRawQuery();
            HttpRequest.Builder forward =
                    HttpRequest.newBuilder(target.resolve(path + (query == null ? "" : "?" + query)));
            String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
            if (contentType != null) {
                forward.header("Content-Type", contentType);
            }
            byte[] body = exchange.getRequestBody().readAllBytes();
            forward.method(
                    exchange.getRequestMethod(),
                    body.length == 0
                            ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofByteArray(body));
            HttpResponse<byte[]> response = http.send(forward.build(), HttpResponse.BodyHandlers.ofByteArray());
            response.headers()
                    .firstValue("Content-Type")
                    .ifPresent(value -> exchange.getResponseHeaders().add("Content-Type", value));
            // -1: no body (0 would mean a chunked one)
            boolean noBody = exchange.getRequestMethod().equals("HEAD") || response.body().length == 0;
            exchange.sendResponseHeaders(response.statusCode(), noBody ? -1 : response.body().length);
            if (!noBody) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(response.body());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void respond(HttpExchange exchange, int status, String json) throws IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json; charset=UTF-8");
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        handlers.shutdownNow();
    }
}
