package org.tracefeatures.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.ResourceAccessMode;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.tracefeatures.stack.IndexTemplates;
import org.tracefeatures.stack.LocalStackException;

/**
 * The clients against the real node: a search of an index whose primary shard has not started yet (as right after
 * the Flink sink creates it) waits for the shard instead of failing with 503; installing the index templates checks
 * that no index holds the name of their aliases.
 */
@ExtendWith(RealStack.class)
@ResourceLock(value = RealStack.SHARED_PROCESSES, mode = ResourceAccessMode.READ)
class ElasticsearchITCase {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void aSearchWaitsForAPrimaryShardThatIsStillStarting() throws Exception {
        String index = RealStack.newScope("es-client").index("shard-starting");
        // a primary shard that no node may hold stays unassigned: searches answer 503 until the filter goes
        assertThat(call(
                                "PUT",
                                "/" + index,
                                "{\"settings\":{\"number_of_shards\":1,\"number_of_replicas\":0,"
                                        + "\"index.routing.allocation.require._name\":\"no-such-node\"},"
                                        + "\"mappings\":{\"properties\":{\"n\":{\"type\":\"long\"}}}}")
                        .statusCode())
                .isEqualTo(200);
        HttpResponse<String> unavailable = call("POST", "/" + index + "/_search", "{}");
        assertThat(unavailable.statusCode()).as(unavailable.body()).isEqualTo(503);

        CompletableFuture<HttpResponse<String>> release = CompletableFuture.supplyAsync(
                () -> call("PUT", "/" + index + "/_settings", "{\"index.routing.allocation.require._name\":null}"),
                CompletableFuture.delayedExecutor(1, TimeUnit.SECONDS));
        JsonNode hits = RealStack.elasticsearch().search(index, "{\"query\":{\"match_all\":{}}}");

        assertThat(release.get().statusCode()).isEqualTo(200);
        assertThat(hits.at("/hits/total/value").asLong()).isZero();
        assertThat(hits.at("/_shards/successful").asInt()).isEqualTo(1);
    }

    /**
     * An index that holds the name the daily indexes' alias needs (trace-summaries, written before the jobs wrote
     * daily indexes) would make Elasticsearch refuse every daily index and document: installing the templates stops
     * with what to do instead.
     */
    @Test
    void installingTemplatesStopsAtAnIndexThatHoldsTheNameOfTheirAlias(@TempDir Path templates) throws Exception {
        String legacy = RealStack.newScope("legacy").index("summaries");
        assertThat(call("PUT", "/" + legacy, "{}").statusCode()).isEqualTo(200);
        Files.writeString(
                templates.resolve(legacy + ".json"),
                "{\"index_patterns\":[\"" + legacy + "-*\"],\"template\":{\"aliases\":{\"" + legacy + "\":{}}}}");
        URI elasticsearch = URI.create("http://127.0.0.1:" + RealStack.ELASTICSEARCH_PORT);
        try {
            assertThatThrownBy(() -> IndexTemplates.install(elasticsearch, templates))
                    .isInstanceOf(LocalStackException.class)
                    .hasMessageContaining("holds an index named '" + legacy + "'")
                    .hasMessageContaining("POST /_reindex")
                    .hasMessageContaining("DELETE /" + legacy);

            assertThat(call("DELETE", "/" + legacy, "").statusCode()).isEqualTo(200);
            assertThat(IndexTemplates.install(elasticsearch, templates)).containsExactly(legacy);
            // and the daily index gets the alias
            assertThat(call("PUT", "/" + legacy + "-2026-12-05", "{}").statusCode())
                    .isEqualTo(200);
            assertThat(call("GET", "/_alias/" + legacy, "").body()).contains("\"" + legacy + "-2026-12-05\"");
        } finally {
            call("DELETE", "/" + legacy + "*", "");
            call("DELETE", "/_index_template/" + legacy, "");
        }
    }

    private static HttpResponse<String> call(String method, String path, String body) {
        HttpRequest request = HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + RealStack.ELASTICSEARCH_PORT + path))
                .header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(body))
                .build();
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(method + " " + path + ": " + e.getMessage(), e);
        }
    }
}
