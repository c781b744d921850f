package org.tracefeatures.stack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The few Elasticsearch REST calls the stack makes. A user name and password in the URL
 * ({@code https://user:secret@host:9200}) are sent as basic authentication.
 */
final class ElasticsearchHttp {

    private static final Logger LOG = LoggerFactory.getLogger(ElasticsearchHttp.class);

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

    record Response(int status, String body) {
        boolean isSuccessful() {
            return status >= 200 && status < 300;
        }
    }

    private final URI base;
    private final String authorization;
    private final HttpClient client;

    ElasticsearchHttp(URI url) {
        if (url.getScheme() == null || url.getHost() == null) {
            throw new LocalStackException("Elasticsearch URL " + url + " needs a scheme and a host, like "
                    + "http://localhost:9200");
        }
        this.authorization = url.getRawUserInfo() == null ? null
                : "Basic " + Base64.getEncoder().encodeToString(
                        decode(url.getRawUserInfo()).getBytes(StandardCharsets.UTF_8));
        this.base = withoutUserInfo(url);
        this.client = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT).build();
    }

    /** Whether the cluster reports yellow or green health within {@code timeout}. */
    boolean isHealthy(Duration timeout) {
        try {
            Response response = send("GET",
                    "/_cluster/health?wait_for_status=yellow&timeout=" + timeout.toMillis() + "ms", null,
                    timeout.plus(CONNECT_TIMEOUT));
            if (!response.isSuccessful()) {
                LOG.debug("Elasticsearch at {} answers cluster health with HTTP {}: {}", base, response.status(),
                        response.body());
                return false;
            }
            String status = JSON.readTree(response.body()).path("status").asText();
            return status.equals("yellow") || status.equals("green");
        } catch (IOException e) {
            LOG.debug("Elasticsearch at {} does not answer: {}", base, e.toString());
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    Response get(String path) throws IOException, InterruptedException {
        return send("GET", path, null, REQUEST_TIMEOUT);
    }

    Response put(String path, String jsonBody) throws IOException, InterruptedException {
        return send("PUT", path, jsonBody, REQUEST_TIMEOUT);
    }

    URI url() {
        return base;
    }

    /** The JSON of a response, or null when it is none. */
    static JsonNode parse(String body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            return null;
        }
    }

    private Response send(String method, String path, String jsonBody, Duration timeout)
            throws IOException, InterruptedException {
        String baseUrl = base.toString().replaceAll("/+$", "");
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .timeout(timeout)
                .method(method, jsonBody == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(jsonBody, StandardCharsets.UTF_8));
        if (jsonBody != null) {
            request.header("Content-Type", "application/json");
        }
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        HttpResponse<String> response = client.send(request.build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        return new Response(response.statusCode(), response.body());
    }

    private static String decode(String rawUserInfo) {
        return URLDecoder.decode(rawUserInfo.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    private static URI withoutUserInfo(URI url) {
        try {
            return new URI(url.getScheme(), null, url.getHost(), url.getPort(), url.getPath(), null, null);
        } catch (URISyntaxException e) {
            throw new LocalStackException("Elasticsearch URL " + url + " is not valid: " + e.getMessage(), e);
        }
    }
}
