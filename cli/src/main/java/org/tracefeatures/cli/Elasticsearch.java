package org.tracefeatures.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * The few Elasticsearch calls of the CLI: refresh and search to read results back, a plain GET and the deletion of one
 * index by its exact name for {@code retention}.
 */
public final class Elasticsearch {
    private static final ObjectMapper JSON = new ObjectMapper();
    /**
     * How long a call is repeated while Elasticsearch answers 503: an index the Flink sink has just created
     * answers a search with 503 ("all shards failed") until its primary shard has started, usually within a second.
     */
    static final Duration UNAVAILABLE_RETRY = Duration.ofSeconds(30);

    private final URI url;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public Elasticsearch(URI url) {
        this.url = url;
    }

    /** Makes everything written so far searchable: the Flink sink does not refresh. */
    public void refresh(String index) {
        send("POST", "/" + index + "/_refresh?ignore_unavailable=true", null, false);
    }

    public JsonNode search(String index, String body) {
        return send("POST", "/" + index + "/_search?ignore_unavailable=true", body, false);
    }

    /** A GET of {@code path} (with its query string), e.g. {@code /_cat/indices?format=json}: the answer's JSON. */
    public JsonNode get(String path) {
        return send("GET", path, null, false);
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
        return send("DELETE", "/" + index + "?expand_wildcards=none&allow_no_indices=false", null, true) != null;
    }

    /** The answer's JSON; null for a 404 when {@code notFoundIsNull}, an exception for any other failure. */
    private JsonNode send(String method, String path, String body, boolean notFoundIsNull) {
        HttpRequest request =
                HttpRequest.newBuilder(url.resolve(path))
                        .timeout(Duration.ofSeconds(60))
                        .header("Content-Type", "application/json")
                        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                        .build();
        try {
            long deadline = System.nanoTime() + UNAVAILABLE_RETRY.toNanos();
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            while (response.statusCode() == 503 && System.nanoTime() < deadline) {
                Thread.sleep(200);
                response = http.send(request, HttpResponse.BodyHandlers.ofString());
            }
            if (response.statusCode() == 404 && notFoundIsNull) {
                return null;
            }
            if (response.statusCode() >= 300) {
                throw new IllegalStateException(
                        method + " " + path + " answered " + response.statusCode() + ": " + response.body());
            }
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new IllegalStateException(
                    "Elasticsearch at " + url + " did not answer ("
                            + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage())
                            + "); is it up? `bin/tracefeatures stack status` tells",
                    e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
