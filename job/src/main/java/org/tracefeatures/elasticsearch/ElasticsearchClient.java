package org.tracefeatures.elasticsearch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

/**
 * The Elasticsearch REST calls of everything but the jobs' sink (which writes with the connector's bulk processor):
 * the stack's health and templates, the CLI's searches, reports and retention, the runner's checks before it submits
 * a job. One retry policy: a call Elasticsearch answers with 503 is repeated for up to {@value #UNAVAILABLE_RETRY_SECONDS}
 * s (an index the sink has just created answers a search with 503, "all shards failed", until its primary shard has
 * started). One place for credentials: a user name and password in the URL ({@code https://user:secret@host:9200}) or
 * given apart are sent as basic authentication.
 */
public final class ElasticsearchClient {
    static final int UNAVAILABLE_RETRY_SECONDS = 30;
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** An answer: its HTTP status and body. */
    public record Response(int status, String body) {
        public boolean isSuccessful() {
            return status >= 200 && status < 300;
        }

        /** The body's JSON, or a missing node when it is none. */
        public JsonNode json() {
            return parse(body);
        }
    }

    private final URI base;
    private final String authorization;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT).build();

    /** A client of the node at {@code url}, with the user name and password the URL may carry. */
    public ElasticsearchClient(URI url) {
        this(url, url.getRawUserInfo() == null ? null : decode(url.getRawUserInfo()));
    }

    /** A client of the node at {@code url} that logs in as {@code username}. */
    public ElasticsearchClient(URI url, String username, String password) {
        this(url, username + ":" + password);
    }

    private ElasticsearchClient(URI url, String userInfo) {
        if (url.getScheme() == null || url.getHost() == null) {
            throw new IllegalArgumentException(
                    "Elasticsearch URL " + url + " needs a scheme and a host, like" + " http://localhost:9200");
        }
        this.base = withoutUserInfo(url);
        this.authorization = userInfo == null
                ? null
                : "Basic " + Base64.getEncoder().encodeToString(userInfo.getBytes(StandardCharsets.UTF_8));
    }

    /** The node's URL, without credentials. */
    public URI url() {
        return base;
    }

    /** Sends a request (body JSON or null), repeating it while Elasticsearch answers 503. */
    public Response send(String method, String path, String jsonBody) throws IOException {
        return send(method, path, jsonBody, REQUEST_TIMEOUT);
    }

    /** The same with a timeout of its own for each attempt. */
    public Response send(String method, String path, String jsonBody, Duration timeout) throws IOException {
        return send(method, path, jsonBody, timeout, Duration.ofSeconds(UNAVAILABLE_RETRY_SECONDS));
    }

    private Response send(String method, String path, String jsonBody, Duration timeout, Duration retryUnavailable)
            throws IOException {
        HttpRequest.Builder request = HttpRequest.newBuilder(
                        URI.create(base.toString().replaceAll("/+$", "") + path))
                .timeout(timeout)
                .method(
                        method,
                        jsonBody == null
                                ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofString(jsonBody, StandardCharsets.UTF_8));
        if (jsonBody != null) {
            request.header("Content-Type", "application/json");
        }
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        long deadline = System.nanoTime() + retryUnavailable.toNanos();
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            while (response.statusCode() == 503 && System.nanoTime() < deadline) {
                Thread.sleep(200);
                response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            }
            return new Response(response.statusCode(), response.body());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted during " + method + " " + path);
        }
    }

    /** The JSON answer of a GET of {@code path}, e.g. {@code /_cat/indices?format=json}. */
    public JsonNode get(String path) {
        return json("GET", path, null);
    }

    /** Makes everything written to {@code index} so far searchable: the Flink sink does not refresh. */
    public void refresh(String index) {
        json("POST", "/" + index + "/_refresh?ignore_unavailable=true", null);
    }

    /** The JSON answer of a POST, e.g. of {@code /_search/scroll}; a refusal throws, saying what was answered. */
    public JsonNode post(String path, String body) {
        return json("POST", path, body);
    }

    public JsonNode search(String index, String body) {
        return json("POST", "/" + index + "/_search?ignore_unavailable=true", body);
    }

    /**
     * Deletes the one index of this exact name; false when there is no such index (any more). A name that could stand
     * for other indexes (a wildcard, a list, {@code _all}, date math) is refused before any request, and the request
     * itself forbids wildcard expansion as well.
     */
    public boolean deleteIndex(String index) {
        if (!index.matches("[a-z0-9][a-z0-9._+-]*")) {
            throw new IllegalArgumentException("not the name of one index: '" + index + "'");
        }
        Response response = call("DELETE", "/" + index + "?expand_wildcards=none&allow_no_indices=false", null);
        if (response.status() == 404) {
            return false;
        }
        check("DELETE", "/" + index, response);
        return true;
    }

    /** Whether the cluster reports yellow or green health within {@code timeout}. */
    public boolean isHealthy(Duration timeout) {
        try {
            // once: a node without a master answers 503, and the caller asks again within its own deadline
            Response response = send(
                    "GET",
                    "/_cluster/health?wait_for_status=yellow&timeout=" + timeout.toMillis() + "ms",
                    null,
                    timeout.plus(CONNECT_TIMEOUT),
                    Duration.ZERO);
            String status = response.json().path("status").asText();
            return response.isSuccessful() && (status.equals("yellow") || status.equals("green"));
        } catch (IOException e) {
            return false;
        }
    }

    /** The JSON of a body, or a missing node when it is none. */
    public static JsonNode parse(String body) {
        try {
            JsonNode json = body == null ? null : JSON.readTree(body);
            return json == null ? JSON.missingNode() : json;
        } catch (IOException e) {
            return JSON.missingNode();
        }
    }

    private JsonNode json(String method, String path, String body) {
        Response response = call(method, path, body);
        check(method, path, response);
        return response.json();
    }

    private static void check(String method, String path, Response response) {
        if (!response.isSuccessful()) {
            throw new IllegalStateException(
                    method + " " + path + " answered " + response.status() + ": " + response.body());
        }
    }

    private Response call(String method, String path, String body) {
        try {
            return send(method, path, body);
        } catch (IOException e) {
            throw new IllegalStateException(
                    "Elasticsearch at " + base + " did not answer ("
                            + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage())
                            + "); is it up? `bin/tracefeatures stack status` tells",
                    e);
        }
    }

    private static String decode(String rawUserInfo) {
        return URLDecoder.decode(rawUserInfo.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    private static URI withoutUserInfo(URI url) {
        try {
            return new URI(url.getScheme(), null, url.getHost(), url.getPort(), url.getPath(), null, null);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("Elasticsearch URL " + url + " is not valid: " + e.getMessage(), e);
        }
    }
}
