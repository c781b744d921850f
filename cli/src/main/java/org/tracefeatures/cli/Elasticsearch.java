package org.tracefeatures.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** The few Elasticsearch calls that read results back: refresh and search. */
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
        send("POST", "/" + index + "/_refresh?ignore_unavailable=true", null);
    }

    public JsonNode search(String index, String body) {
        return send("POST", "/" + index + "/_search?ignore_unavailable=true", body);
    }

    private JsonNode send(String method, String path, String body) {
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
            if (response.statusCode() >= 300) {
                throw new IllegalStateException(
                        method + " " + path + " answered " + response.statusCode() + ": " + response.body());
            }
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new IllegalStateException(
                    "Elasticsearch at " + url + " did not answer (" + e.getMessage()
                            + "); is it up? `bin/tracefeatures stack status` tells",
                    e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
