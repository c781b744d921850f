package org.tracefeatures.stack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.tracefeatures.elasticsearch.ElasticsearchClient;

/**
 * Installs the project's Elasticsearch index templates: every {@code *.json} file of a directory becomes the
 * composable index template named after the file ({@code spans.json} is {@code PUT /_index_template/spans}).
 */
public final class IndexTemplates {

    private static final String SUFFIX = ".json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private IndexTemplates() {}

    /**
     * Installs, in file name order, every template file of {@code directory} into the cluster at
     * {@code elasticsearch}, replacing templates of the same name.
     *
     * @return the names of the installed templates
     * @throws LocalStackException naming the file and Elasticsearch's answer when a file is no JSON, the cluster
     *                             cannot be reached or it refuses a template
     */
    public static List<String> install(URI elasticsearch, Path directory) {
        List<Path> files = templateFiles(directory);
        ElasticsearchClient http;
        try {
            http = new ElasticsearchClient(elasticsearch);
        } catch (IllegalArgumentException e) {
            throw new LocalStackException(e.getMessage(), e);
        }
        List<String> installed = new ArrayList<>();
        for (Path file : files) {
            String name = templateName(file);
            String body = readJson(file);
            // Elasticsearch refuses such a template with "template after composition is invalid": say why first
            for (String alias : aliases(body)) {
                refuseIndexNamed(http, alias, name);
            }
            ElasticsearchClient.Response response;
            try {
                response =
                        http.send("PUT", "/_index_template/" + URLEncoder.encode(name, StandardCharsets.UTF_8), body);
            } catch (IOException e) {
                throw new LocalStackException(
                        "could not reach Elasticsearch at " + http.url() + " to install " + file + " (" + e
                                + "); is it running?",
                        e);
            }
            if (!response.isSuccessful()) {
                throw new LocalStackException("Elasticsearch at " + http.url() + " refused index template " + name
                        + " from " + file + " (HTTP " + response.status() + "): " + reason(response.body()));
            }
            installed.add(name);
        }
        return installed;
    }

    /** The aliases that a template gives every index it matches. */
    private static List<String> aliases(String template) {
        List<String> aliases = new ArrayList<>();
        ElasticsearchClient.parse(template)
                .path("template")
                .path("aliases")
                .fieldNames()
                .forEachRemaining(aliases::add);
        return aliases;
    }

    /**
     * Fails when a concrete index holds the name of a template's alias, as an index written before the jobs wrote
     * daily indexes does: Elasticsearch refuses the template then, and would refuse to create the daily indexes.
     */
    private static void refuseIndexNamed(ElasticsearchClient http, String alias, String template) {
        ElasticsearchClient.Response response;
        try {
            response = http.send(
                    "GET",
                    "/" + URLEncoder.encode(alias, StandardCharsets.UTF_8)
                            + "/_settings?filter_path=*.settings.index.provided_name",
                    null);
        } catch (IOException e) {
            throw new LocalStackException("could not reach Elasticsearch at " + http.url() + " (" + e + ")", e);
        }
        JsonNode indexes = response.isSuccessful() ? response.json() : null;
        if (indexes != null && indexes.has(alias)) {
            throw new LocalStackException("Elasticsearch at " + http.url() + " holds an index named '" + alias
                    + "', written before the jobs wrote daily indexes. Index template " + template + " gives the daily"
                    + " indexes the alias '" + alias + "', which Elasticsearch refuses while an index has that"
                    + " name. Keep its documents in an index of the daily pattern and delete it: POST /_reindex"
                    + " {\"source\":{\"index\":\"" + alias + "\"},\"dest\":{\"index\":\"" + alias + "-before-daily\"}}"
                    + ", then DELETE /" + alias + " (or only the DELETE, if you do not need them); then install the"
                    + " templates again.");
        }
    }

    /** The template files of {@code directory}, in file name order. */
    public static List<Path> templateFiles(Path directory) {
        if (!Files.isDirectory(directory)) {
            throw new LocalStackException("index template directory " + directory + " does not exist");
        }
        try (Stream<Path> entries = Files.list(directory)) {
            return entries.filter(file -> file.getFileName().toString().endsWith(SUFFIX))
                    .filter(Files::isRegularFile)
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new LocalStackException("could not list " + directory + ": " + e.getMessage(), e);
        }
    }

    static String templateName(Path file) {
        String fileName = file.getFileName().toString();
        return fileName.substring(0, fileName.length() - SUFFIX.length());
    }

    private static String readJson(Path file) {
        try {
            String body = Files.readString(file);
            JSON.readTree(body);
            return body;
        } catch (IOException e) {
            throw new LocalStackException("index template " + file + " is not valid JSON: " + e.getMessage(), e);
        }
    }

    /** Elasticsearch's own explanation from an error body, else the body itself. */
    private static String reason(String body) {
        String reason =
                ElasticsearchClient.parse(body).path("error").path("reason").asText("");
        return reason.isEmpty() ? body : reason;
    }
}
