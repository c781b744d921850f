package org.tracefeatures.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.parallel.ResourceAccessMode;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.tracefeatures.cli.RetentionCommand;
import picocli.CommandLine;

/**
 * {@code bin/tracefeatures retention} against the real node with the project's index templates: which daily indexes
 * it deletes, which it keeps and which it never touches. The indexes are of days in February 2001, far before anything
 * another test writes, and the clock is fixed at 2001-02-10T12:00Z, so {@code --keep 5d} deletes the days before
 * 2001-02-05. Every other test's index has a scoped name (…-it-&lt;suffix&gt;…), which is not a daily name of ours.
 */
@ExtendWith(RealStack.class)
@ResourceLock(value = RealStack.SHARED_PROCESSES, mode = ResourceAccessMode.READ)
class RetentionITCase {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ELASTICSEARCH = "http://127.0.0.1:" + RealStack.ELASTICSEARCH_PORT;

    /**
     * 12:00 UTC on 2001-02-10, seen from UTC+14, where it is already 2001-02-11: "today" must be the UTC day, else
     * the days 2001-02-05 would go too.
     */
    private static final Clock TODAY_2001_02_10 =
            Clock.fixed(Instant.parse("2001-02-10T12:00:00Z"), ZoneId.of("Pacific/Kiritimati"));

    /** Through the templates, so with "_meta": {"owner": "tracefeatures"}; span-metrics-2001-02-04 gets closed. */
    private static final List<String> OWNED = List.of(
            "trace-features-2001-02-01",
            "trace-features-2001-02-02",
            "trace-features-2001-02-03",
            "trace-features-2001-02-04",
            "trace-features-2001-02-05",
            "trace-features-2001-02-06",
            "trace-features-2001-02-07",
            "trace-features-2001-02-08",
            "trace-features-2001-02-09",
            "trace-features-2001-02-10",
            "span-metrics-2001-02-04",
            "span-metrics-2001-02-05",
            "service-graph-2001-02-04",
            "trace-critical-path-2001-02-04");
    /** Named like ours, but its _meta.owner is replaced by someone else's after the template put ours there. */
    private static final String NOT_OWNED = "trace-summaries-2001-02-03";
    /** Not daily names of ours: never listed, never deleted, whatever their day or mapping. */
    private static final List<String> OTHER_NAMES = List.of(
            "jaeger-dependencies-2001-02-01", // Jaeger's own format, no template of ours
            "trace-features-keepme", // our template and _meta, but no date
            "trace-features-2001-02-30", // our template and _meta, but no valid date
            "tracefeatures-other-2001-02-01"); // no template, no _meta

    private static final List<String> ALL = all();

    private static void createIndexes() {
        deleteIfPresent(ALL); // what an aborted earlier run against the same node left behind
        for (String index : OWNED) {
            put("/" + index, "");
        }
        put("/" + NOT_OWNED, "");
        put("/" + NOT_OWNED + "/_mapping", "{\"_meta\":{\"owner\":\"someone-else\"}}");
        for (String index : OTHER_NAMES) {
            put("/" + index, "{\"settings\":{\"number_of_shards\":1,\"number_of_replicas\":0}}");
        }
        // what the templates gave them, as the command will see it
        assertThat(meta("trace-features-2001-02-01")).isEqualTo("{\"owner\":\"tracefeatures\"}");
        assertThat(meta("span-metrics-2001-02-04")).isEqualTo("{\"owner\":\"tracefeatures\"}");
        assertThat(meta("service-graph-2001-02-04")).isEqualTo("{\"owner\":\"tracefeatures\"}");
        assertThat(meta("trace-features-keepme")).isEqualTo("{\"owner\":\"tracefeatures\"}");
        assertThat(meta(NOT_OWNED)).isEqualTo("{\"owner\":\"someone-else\"}");
        assertThat(meta("tracefeatures-other-2001-02-01")).isEqualTo("");
        assertThat(call("POST", "/span-metrics-2001-02-04/_close", "").statusCode())
                .isEqualTo(200);
    }

    @AfterEach
    void deleteIndexes() { // also after a failed assertion
        deleteIfPresent(ALL);
    }

    @Test
    void aDryRunListsWhatWouldGoAndDeletesNothingThenDeleteDeletesExactlyThat() {
        createIndexes();

        Run dryRun = retention("--keep", "5d");

        assertThat(dryRun.exit).as(dryRun.err).isZero();
        assertThat(dryRun.err).isEmpty();
        // the days before 2001-02-10 - 5 = 2001-02-05, by name
        List<String> wouldDelete = List.of(
                "would delete service-graph-2001-02-04",
                "would delete span-metrics-2001-02-04",
                "would delete trace-critical-path-2001-02-04",
                "would delete trace-features-2001-02-01",
                "would delete trace-features-2001-02-02",
                "would delete trace-features-2001-02-03",
                "would delete trace-features-2001-02-04");
        assertThat(dryRun.lines())
                .filteredOn(line -> line.startsWith("would delete "))
                .isEqualTo(wouldDelete);
        assertThat(dryRun.linesNaming(ALL))
                .containsExactly(
                        "would delete service-graph-2001-02-04",
                        "would delete span-metrics-2001-02-04",
                        "keep span-metrics-2001-02-05",
                        "would delete trace-critical-path-2001-02-04",
                        "would delete trace-features-2001-02-01",
                        "would delete trace-features-2001-02-02",
                        "would delete trace-features-2001-02-03",
                        "would delete trace-features-2001-02-04",
                        "keep trace-features-2001-02-05",
                        "keep trace-features-2001-02-06",
                        "keep trace-features-2001-02-07",
                        "keep trace-features-2001-02-08",
                        "keep trace-features-2001-02-09",
                        "keep trace-features-2001-02-10",
                        "not owned, left alone trace-summaries-2001-02-03"
                                + " (its mapping's _meta.owner is \"someone-else\", not \"tracefeatures\")");
        Matcher summary = Pattern.compile("dry run, nothing deleted: would delete 7 indexes \\(UTC days before"
                        + " 2001-02-05\\), keep (\\d+); (\\d+) not owned, left alone\\. Add --delete to delete them\\.")
                .matcher(dryRun.lastLine());
        assertThat(summary.matches()).as(dryRun.out).isTrue();
        // 7 kept and 1 not owned are this test's; another test's indexes could only add to them
        assertThat(Integer.parseInt(summary.group(1)))
                .isEqualTo(dryRun.count("keep "))
                .isGreaterThanOrEqualTo(7);
        assertThat(Integer.parseInt(summary.group(2)))
                .isEqualTo(dryRun.count("not owned, left alone "))
                .isGreaterThanOrEqualTo(1);
        assertThat(existing()).containsExactlyInAnyOrderElementsOf(ALL);

        // --dry-run said explicitly: the same
        Run explicitDryRun = retention("--keep", "5d", "--dry-run");
        assertThat(explicitDryRun.exit).isZero();
        assertThat(explicitDryRun.out).isEqualTo(dryRun.out);
        assertThat(existing()).containsExactlyInAnyOrderElementsOf(ALL);

        Run delete = retention("--keep", "5d", "--delete");

        assertThat(delete.exit).as(delete.err).isZero();
        assertThat(delete.err).isEmpty();
        assertThat(delete.linesNaming(ALL))
                .containsExactly(
                        "delete service-graph-2001-02-04",
                        "delete span-metrics-2001-02-04",
                        "keep span-metrics-2001-02-05",
                        "delete trace-critical-path-2001-02-04",
                        "delete trace-features-2001-02-01",
                        "delete trace-features-2001-02-02",
                        "delete trace-features-2001-02-03",
                        "delete trace-features-2001-02-04",
                        "keep trace-features-2001-02-05",
                        "keep trace-features-2001-02-06",
                        "keep trace-features-2001-02-07",
                        "keep trace-features-2001-02-08",
                        "keep trace-features-2001-02-09",
                        "keep trace-features-2001-02-10",
                        "not owned, left alone trace-summaries-2001-02-03"
                                + " (its mapping's _meta.owner is \"someone-else\", not \"tracefeatures\")");
        assertThat(delete.lines())
                .filteredOn(line -> line.startsWith("delete "))
                .hasSize(7);
        assertThat(delete.lastLine())
                .matches("deleted 7 indexes \\(UTC days before 2001-02-05\\), kept \\d+; \\d+"
                        + " not owned, left alone\\.");
        assertThat(existing())
                .containsExactlyInAnyOrder(
                        "span-metrics-2001-02-05",
                        "trace-features-2001-02-05",
                        "trace-features-2001-02-06",
                        "trace-features-2001-02-07",
                        "trace-features-2001-02-08",
                        "trace-features-2001-02-09",
                        "trace-features-2001-02-10",
                        "trace-summaries-2001-02-03",
                        "jaeger-dependencies-2001-02-01",
                        "trace-features-keepme",
                        "trace-features-2001-02-30",
                        "tracefeatures-other-2001-02-01");

        // a second run finds nothing more to delete
        Run again = retention("--keep", "5d", "--delete");
        assertThat(again.exit).as(again.err).isZero();
        assertThat(again.lines()).noneMatch(line -> line.startsWith("delete "));
        assertThat(again.lastLine()).startsWith("deleted 0 indexes (UTC days before 2001-02-05), kept ");
        assertThat(existing()).hasSize(12);
    }

    @Test
    void keepTakesWholeDaysOfAtLeastOneAndDeleteIsRefusedWithDryRun() {
        for (String keep : List.of("0d", "14", "2w", "14D", "-3d", "1.5d")) {
            Run run = retention("--keep", keep);
            assertThat(run.exit).as(keep).isEqualTo(2);
            assertThat(run.err).as(keep).startsWith("Invalid value for option '--keep': '" + keep + "' ");
        }
        assertThat(retention("--keep", "0d").err).contains("give at least 1d");
        assertThat(retention("--keep", "2w").err).contains("give whole days as Nd");

        Run both = retention("--keep", "5d", "--delete", "--dry-run");
        assertThat(both.exit).isEqualTo(2);
        assertThat(both.err).startsWith("Error: --delete, --dry-run are mutually exclusive");

        Run none = retention();
        assertThat(none.exit).isEqualTo(2);
        assertThat(none.err).startsWith("Missing required option: '--keep=Nd'");
    }

    @Test
    void anElasticsearchThatDoesNotAnswerIsOneLineThatSaysWhatToCheck() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        Run run = retention("--keep", "5d", "--delete", "--elasticsearch", "http://127.0.0.1:" + closedPort);

        assertThat(run.exit).isEqualTo(1);
        assertThat(run.out).isEmpty();
        assertThat(run.err.lines().toList()).hasSize(1);
        assertThat(run.err.strip())
                .startsWith("retention: Elasticsearch at http://127.0.0.1:" + closedPort + " did not answer (")
                .contains("is it up? `bin/tracefeatures stack status` tells")
                .endsWith("; nothing was deleted");
    }

    @Test
    void theHelpStatesTheRule() {
        StringWriter help = new StringWriter();
        new CommandLine(new RetentionCommand()).usage(new PrintWriter(help));
        // normalise the wrapping of the usage help: the sentences are what matters
        String text = help.toString().replaceAll("\\s+", " ");
        assertThat(text)
                .contains("an index of UTC day D is deleted when D < today (UTC) - N days")
                .contains("--keep 14d on 2026-12-05 deletes the days up to 2026-11-20 and keeps 2026-11-21 onward")
                .contains("Refused together with --dry-run")
                .contains("jaeger-dependencies-*");
    }

    private static Run retention(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        List<String> all = new ArrayList<>(List.of(args));
        if (!all.contains("--elasticsearch")) {
            all.addAll(List.of("--elasticsearch", ELASTICSEARCH));
        }
        int exit = new CommandLine(new RetentionCommand(TODAY_2001_02_10))
                .setOut(new PrintWriter(out, true))
                .setErr(new PrintWriter(err, true))
                .execute(all.toArray(String[]::new));
        return new Run(exit, out.toString(), err.toString());
    }

    private record Run(int exit, String out, String err) {
        List<String> lines() {
            return out.lines().toList();
        }

        /** The lines that name one of {@code indexes} as a word of their own. */
        List<String> linesNaming(List<String> indexes) {
            return lines().stream()
                    .filter(line -> List.of(line.split(" ")).stream().anyMatch(indexes::contains))
                    .toList();
        }

        int count(String prefix) {
            return (int)
                    lines().stream().filter(line -> line.startsWith(prefix)).count();
        }

        String lastLine() {
            List<String> lines = lines();
            return lines.isEmpty() ? "" : lines.get(lines.size() - 1);
        }
    }

    /** Which of this test's indexes exist, open or closed, as Elasticsearch lists them. */
    private static List<String> existing() {
        HttpResponse<String> response =
                call("GET", "/_cat/indices?format=json&h=index&expand_wildcards=open,closed", "");
        assertThat(response.statusCode()).isEqualTo(200);
        List<String> names = new ArrayList<>();
        try {
            for (JsonNode row : JSON.readTree(response.body())) {
                if (ALL.contains(row.path("index").asText())) {
                    names.add(row.path("index").asText());
                }
            }
        } catch (Exception e) {
            throw new IllegalStateException(response.body(), e);
        }
        return names;
    }

    /** The index mapping's _meta as JSON, "" when it has none. */
    private static String meta(String index) {
        HttpResponse<String> response = call("GET", "/" + index + "/_mapping?expand_wildcards=open,closed", "");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        try {
            JsonNode meta =
                    JSON.readTree(response.body()).path(index).path("mappings").path("_meta");
            return meta.isMissingNode() ? "" : meta.toString();
        } catch (Exception e) {
            throw new IllegalStateException(response.body(), e);
        }
    }

    private static void put(String path, String body) {
        HttpResponse<String> response = call("PUT", path, body);
        assertThat(response.statusCode())
                .as("PUT " + path + ": " + response.body())
                .isEqualTo(200);
    }

    /** One by one, by exact name. */
    private static void deleteIfPresent(List<String> indexes) {
        for (String index : indexes) {
            int status =
                    call("DELETE", "/" + index + "?expand_wildcards=none", "").statusCode();
            assertThat(status).as("DELETE " + index).isIn(200, 404);
        }
    }

    private static List<String> all() {
        List<String> all = new ArrayList<>(OWNED);
        all.add(NOT_OWNED);
        all.addAll(OTHER_NAMES);
        return List.copyOf(all);
    }

    private static HttpResponse<String> call(String method, String path, String body) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(ELASTICSEARCH + path))
                .header("Content-Type", "application/json")
                .method(
                        method,
                        body.isEmpty()
                                ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofString(body))
                .build();
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(method + " " + path + ": " + e.getMessage(), e);
        }
    }
}
