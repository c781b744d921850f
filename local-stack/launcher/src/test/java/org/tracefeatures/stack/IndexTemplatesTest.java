package org.tracefeatures.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Against a stand-in for Elasticsearch that records what it is sent. */
class IndexTemplatesTest {

    private record Request(String method, String path, String contentType, String authorization, String body) {}

    @TempDir
    Path templates;

    private HttpServer elasticsearch;
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private volatile int status = 200;
    private volatile String responseBody = "{\"acknowledged\":true}";

    @BeforeEach
    void startElasticsearchStandIn() throws IOException {
        elasticsearch = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        elasticsearch.createContext("/", exchange -> {
            requests.add(new Request(
                    exchange.getRequestMethod(),
                    exchange.getRequestURI().getPath(),
                    exchange.getRequestHeaders().getFirst("Content-Type"),
                    exchange.getRequestHeaders().getFirst("Authorization"),
                    new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
            byte[] body = responseBody.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        elasticsearch.start();
    }

    @AfterEach
    void stopElasticsearchStandIn() {
        elasticsearch.stop(0);
    }

    private URI url() {
        return URI.create("http://127.0.0.1:" + elasticsearch.getAddress().getPort());
    }

    @Test
    void putsEveryJsonFileAsTheTemplateNamedAfterIt() throws IOException {
        Files.writeString(templates.resolve("spans.json"), "{\"index_patterns\":[\"spans-*\"]}");
        Files.writeString(templates.resolve("features.json"), "{\"index_patterns\":[\"features-*\"]}");
        Files.writeString(templates.resolve("README.md"), "not a template");

        List<String> installed = IndexTemplates.install(url(), templates);

        assertThat(installed).containsExactly("features", "spans");
        assertThat(requests)
                .containsExactly(
                        new Request(
                                "PUT",
                                "/_index_template/features",
                                "application/json",
                                null,
                                "{\"index_patterns\":[\"features-*\"]}"),
                        new Request(
                                "PUT",
                                "/_index_template/spans",
                                "application/json",
                                null,
                                "{\"index_patterns\":[\"spans-*\"]}"));
    }

    @Test
    void anEmptyDirectoryInstallsNothing() {
        assertThat(IndexTemplates.install(url(), templates)).isEmpty();
        assertThat(requests).isEmpty();
    }

    @Test
    void sendsTheUserOfTheUrlAsBasicAuthentication() throws IOException {
        Files.writeString(templates.resolve("spans.json"), "{}");
        URI withUser = URI.create(
                "http://elastic:s3cret@127.0.0.1:" + elasticsearch.getAddress().getPort());

        IndexTemplates.install(withUser, templates);

        assertThat(requests).singleElement().extracting(Request::authorization).isEqualTo("Basic ZWxhc3RpYzpzM2NyZXQ=");
    }

    @Test
    void keepsAPathPrefixOfTheUrl() throws IOException {
        Files.writeString(templates.resolve("spans.json"), "{}");

        IndexTemplates.install(URI.create(url() + "/proxied/"), templates);

        assertThat(requests).singleElement().extracting(Request::path).isEqualTo("/proxied/_index_template/spans");
    }

    @Test
    void namesTheFileThatIsNoJsonBeforeSendingAnything() throws IOException {
        Files.writeString(templates.resolve("a-good.json"), "{}");
        Files.writeString(templates.resolve("b-broken.json"), "{\"index_patterns\": [");

        assertThatThrownBy(() -> IndexTemplates.install(url(), templates))
                .isInstanceOf(LocalStackException.class)
                .hasMessageContaining("index template " + templates.resolve("b-broken.json") + " is not valid JSON");
    }

    @Test
    void reportsWhyElasticsearchRefusedATemplate() throws IOException {
        Files.writeString(templates.resolve("spans.json"), "{\"index_patterns\":[]}");
        status = 400;
        responseBody = "{\"error\":{\"root_cause\":[],\"type\":\"illegal_argument_exception\","
                + "\"reason\":\"index patterns are missing\"},\"status\":400}";

        assertThatThrownBy(() -> IndexTemplates.install(url(), templates))
                .isInstanceOf(LocalStackException.class)
                .hasMessage("Elasticsearch at " + url() + " refused index template spans from "
                        + templates.resolve("spans.json") + " (HTTP 400): index patterns are missing");
    }

    @Test
    void saysWhenElasticsearchCannotBeReached() throws IOException {
        Files.writeString(templates.resolve("spans.json"), "{}");
        URI nobodyListening = url();
        elasticsearch.stop(0);

        assertThatThrownBy(() -> IndexTemplates.install(nobodyListening, templates))
                .isInstanceOf(LocalStackException.class)
                .hasMessageStartingWith("could not reach Elasticsearch at " + nobodyListening)
                .hasMessageEndingWith("is it running?");
    }

    @Test
    void saysWhenTheDirectoryIsMissing() {
        Path missing = templates.resolve("missing");

        assertThatThrownBy(() -> IndexTemplates.install(url(), missing))
                .isInstanceOf(LocalStackException.class)
                .hasMessage("index template directory " + missing + " does not exist");
    }
}
