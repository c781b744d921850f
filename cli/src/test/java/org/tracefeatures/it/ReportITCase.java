package org.tracefeatures.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.tracefeatures.cli.ReportCommand;
import org.tracefeatures.runner.RunOptions;
import org.tracefeatures.runner.SqlJobRunner;
import picocli.CommandLine;

/**
 * bin/tracefeatures report end to end: simulated HotROD traffic through span_count.sql and trace_features.sql
 * into a real Elasticsearch, the report page written from its aggregations, then opened in a real headless
 * Chromium, which draws the charts with the inlined Chart.js; the page records what each chart holds.
 */
@ExtendWith(RealStack.class)
class ReportITCase {
    static final ObjectMapper JSON = new ObjectMapper();

    // Trace k of a test starts k ms after the test's start (the simulator's --start-time), and a trace's
    // @timestamp is its root span's start: original's 100 traces stamp 0..99 ms, reduced's 200..299 ms.
    static final Instant ORIGINAL_START = Instant.parse("2025-11-24T10:00:00Z");
    static final Instant REDUCED_START = ORIGINAL_START.plusMillis(200);
    static final int TRACES = 100;
    // A range of 300 ms in at most 60 buckets: 5 ms (2 ms would take 150), 60 buckets from ORIGINAL_START.
    // Original fills buckets 0..19 with 5 traces each, reduced 40..59; 20..39 hold no trace.
    static final long BUCKET_MILLIS = 5;
    static final int BUCKETS = 60;
    static final List<Long> BUCKET_STARTS = IntStream.range(0, BUCKETS)
            .mapToObj(j -> ORIGINAL_START.toEpochMilli() + j * BUCKET_MILLIS)
            .toList();

    static RealStack.Scope scope;
    static Path workDir;
    static HeadlessChromium chromium;
    static Path page;
    static Map<String, JsonNode> charts;

    @BeforeAll
    static void renderTheReportOfSimulatedTraffic() throws Exception {
        chromium = HeadlessChromium.onPath(RealStack.WORK_DIR.resolve("report/chromium"));
        scope = RealStack.newScope("report");
        // a day before --since: the report must leave it out
        scope.simulate("hotrod-original", 10, "earlier", 30, ORIGINAL_START.minus(1, ChronoUnit.DAYS));
        scope.simulate("hotrod-original", TRACES, "original", 31, ORIGINAL_START);
        scope.simulate("hotrod-reduced", TRACES, "reduced", 32, REDUCED_START);
        Path overrides = scope.overridesPart(
                "trace_summaries",
                "trace-summaries",
                "trace_features",
                "trace-features",
                "trace_critical_path",
                "trace-critical-path");
        for (String job : List.of("span_count.sql", "trace_features.sql")) {
            RunOptions options = RunOptions.parse("--bounded", job);
            options.initScripts.addAll(scope.initScripts(overrides));
            SqlJobRunner.run(options);
        }

        workDir = Files.createDirectories(RealStack.WORK_DIR.resolve("report"));
        page = report(
                "report.html",
                scope.index("trace-summaries"),
                scope.index("trace-features"),
                scope.index("trace-critical-path"),
                ORIGINAL_START);
        charts = renderedCharts(chromium.dumpDom(page));
    }

    @Test
    void theBooksChartHasOneLinePerTestAtItsRouteCallsInEveryBucket() {
        JsonNode chart = charts.get("route-calls");

        assertThat(seriesNames(chart)).containsExactly("original", "reduced");
        assertThat(xValues(chart)).allSatisfy(xs -> assertThat(xs).isEqualTo(BUCKET_STARTS));
        // hotrod-original calls route 10 times per trace, hotrod-reduced 5 times
        assertThat(yValues(chart))
                .containsExactly(
                        Map.entry("original", expected(j -> j < 20 ? 10.0 : null)),
                        Map.entry("reduced", expected(j -> j >= 40 ? 5.0 : null)));
        assertThat(drawn(chart)).containsExactly(Map.entry("original", 20), Map.entry("reduced", 20));
    }

    @Test
    void traceDurationIsTheAverageOfEachBucketsTraces() {
        // worked out here from the documents themselves: durations are random, by the configs' StdDev
        Map<Integer, List<Long>> durations = new HashMap<>();
        for (JsonNode doc : documentsSinceStart("trace-features")) {
            durations
                    .computeIfAbsent(bucket(doc), j -> new ArrayList<>())
                    .add(doc.get("durationMicros").asLong());
        }
        JsonNode chart = charts.get("duration");

        assertThat(seriesNames(chart)).containsExactly("runTest");
        assertThat(xValues(chart)).allSatisfy(xs -> assertThat(xs).isEqualTo(BUCKET_STARTS));
        assertThat(yValues(chart).get("runTest"))
                .isEqualTo(expected(j -> durations.containsKey(j)
                        ? durations.get(j).stream().mapToLong(Long::longValue).sum()
                                / (double) durations.get(j).size()
                        : null));
        assertThat(durations.keySet()).hasSize(40);
        assertThat(drawn(chart)).containsExactly(Map.entry("runTest", 40));
    }

    @Test
    void errorsAreZeroInEveryBucket() {
        JsonNode chart = charts.get("errors");

        // no endpoint of the HotROD configs fails; a sum over no trace is 0, so every bucket has a point
        assertThat(seriesNames(chart)).containsExactly("runTest");
        assertThat(yValues(chart).get("runTest")).isEqualTo(expected(j -> 0.0));
        assertThat(drawn(chart)).containsExactly(Map.entry("runTest", BUCKETS));
    }

    @Test
    void theCriticalPathStacksEachServicesMicrosTheBiggestShareFirst() {
        Map<String, Map<Integer, Long>> micros = new HashMap<>();
        Map<String, Long> totals = new HashMap<>();
        for (JsonNode doc : documentsSinceStart("trace-critical-path")) {
            String service = doc.get("service").asText();
            micros.computeIfAbsent(service, s -> new HashMap<>())
                    .merge(bucket(doc), doc.get("micros").asLong(), Long::sum);
            totals.merge(service, doc.get("micros").asLong(), Long::sum);
        }
        List<String> byTotal = new ArrayList<>(totals.keySet());
        byTotal.sort((a, b) -> Long.compare(totals.get(b), totals.get(a)));
        Map<String, List<Double>> expectedValues = new LinkedHashMap<>();
        for (String service : byTotal) {
            expectedValues.put(
                    service,
                    expected(j -> micros.get(service).getOrDefault(j, 0L).doubleValue()));
        }
        JsonNode chart = charts.get("critical-path");

        // every service of the configs spends time on the critical path (see TraceFeaturesITCase)
        assertThat(byTotal)
                .containsExactlyInAnyOrder(
                        "test-executor", "ui", "frontend", "customer", "mysql", "driver", "redis", "route");
        assertThat(seriesNames(chart)).containsExactlyElementsOf(byTotal);
        assertThat(yValues(chart)).containsExactlyEntriesOf(expectedValues);
        assertThat(drawn(chart).values()).containsOnly(BUCKETS);
    }

    @Test
    void theScreenshotShowsTheCharts() throws Exception {
        Path png = workDir.resolve("report.png");

        chromium.screenshot(page, png, 1400, 2000);

        BufferedImage image = ImageIO.read(png.toFile());
        assertThat(image.getWidth()).isEqualTo(1400);
        assertThat(image.getHeight()).isEqualTo(2000);
        Map<Integer, Integer> pixelsByColor = new HashMap<>();
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                pixelsByColor.merge(image.getRGB(x, y) & 0xFFFFFF, 1, Integer::sum);
            }
        }
        // text, axes and antialiased lines give many shades; a blank or unstyled page a handful
        assertThat(pixelsByColor.size()).as("distinct colours in %s", png).isGreaterThan(1000);
        // the first two series colours of the palette in report.js: original's and reduced's lines and points
        assertThat(pixelsByColor.getOrDefault(0x54B399, 0))
                .as("pixels of #54B399 in %s", png)
                .isGreaterThan(100);
        assertThat(pixelsByColor.getOrDefault(0x6092C0, 0))
                .as("pixels of #6092C0 in %s", png)
                .isGreaterThan(100);
    }

    @Test
    void aMissingIndexAndAnEmptyOneSayWhichJobFillsThem() throws Exception {
        String missing = scope.index("trace-summaries-never-written");
        String empty = scope.index("trace-critical-path-empty");
        createIndex(empty);

        Path mixed =
                report("report-missing-and-empty.html", missing, scope.index("trace-features"), empty, ORIGINAL_START);
        Map<String, JsonNode> rendered = renderedCharts(chromium.dumpDom(mixed));

        assertThat(rendered.get("route-calls").get("message").asText())
                .isEqualTo("no data yet (run sql/span_count.sql)");
        assertThat(rendered.get("critical-path").get("message").asText())
                .isEqualTo("no data yet (run sql/trace_features.sql)");
        assertThat(drawn(rendered.get("duration"))).containsExactly(Map.entry("runTest", 40));
        assertThat(drawn(rendered.get("errors"))).containsExactly(Map.entry("runTest", BUCKETS));
    }

    @Test
    void withNothingSinceTheGivenTimeEveryChartSaysNoDataYet() throws Exception {
        Path nothing = report(
                "report-nothing.html",
                scope.index("trace-summaries"),
                scope.index("trace-features"),
                scope.index("trace-critical-path"),
                ORIGINAL_START.plus(1, ChronoUnit.DAYS));
        Map<String, JsonNode> rendered = renderedCharts(chromium.dumpDom(nothing));

        Map<String, String> messages = new TreeMap<>();
        rendered.forEach((id, chart) -> messages.put(id, chart.path("message").asText("(drawn)")));
        assertThat(messages)
                .containsExactly(
                        Map.entry("critical-path", "no data yet (run sql/trace_features.sql)"),
                        Map.entry("duration", "no data yet (run sql/trace_features.sql)"),
                        Map.entry("errors", "no data yet (run sql/trace_features.sql)"),
                        Map.entry("route-calls", "no data yet (run sql/span_count.sql)"));
        assertThat(Files.readString(nothing)).contains("No document found.");
    }

    /** Runs the command as bin/tracefeatures report would. */
    static Path report(String file, String summaries, String features, String criticalPath, Instant since) {
        Path output = workDir.resolve(file);
        int exit = new CommandLine(new ReportCommand())
                .execute(
                        "--elasticsearch",
                        "http://127.0.0.1:" + RealStack.ELASTICSEARCH_PORT,
                        "--output",
                        output.toString(),
                        "--since",
                        since.toString(),
                        "--summaries-index",
                        summaries,
                        "--features-index",
                        features,
                        "--critical-path-index",
                        criticalPath);
        assertThat(exit).as("report exit code").isZero();
        assertThat(output).isRegularFile();
        return output;
    }

    /** What the page recorded after drawing (see report.js), by chart id. */
    static Map<String, JsonNode> renderedCharts(String dom) throws Exception {
        Matcher recorded = Pattern.compile(
                        "<script type=\"application/json\" id=\"rendered-charts\">(.*?)</script>", Pattern.DOTALL)
                .matcher(dom);
        assertThat(recorded.find())
                .as("the page's script recorded what it drew; DOM:%n%s", dom)
                .isTrue();
        Map<String, JsonNode> byId = new LinkedHashMap<>();
        for (JsonNode chart : JSON.readTree(recorded.group(1))) {
            assertThat(chart.has("error"))
                    .as("chart %s failed to draw: %s", chart.get("id"), chart.get("error"))
                    .isFalse();
            byId.put(chart.get("id").asText(), chart);
        }
        assertThat(byId.keySet()).containsExactlyInAnyOrder("route-calls", "duration", "errors", "critical-path");
        return byId;
    }

    static List<String> seriesNames(JsonNode chart) {
        List<String> names = new ArrayList<>();
        chart.get("series").forEach(series -> names.add(series.get("name").asText()));
        return names;
    }

    static List<List<Long>> xValues(JsonNode chart) {
        List<List<Long>> xs = new ArrayList<>();
        for (JsonNode series : chart.get("series")) {
            List<Long> seriesXs = new ArrayList<>();
            series.get("points").forEach(point -> seriesXs.add(point.get(0).asLong()));
            xs.add(seriesXs);
        }
        return xs;
    }

    static Map<String, List<Double>> yValues(JsonNode chart) {
        Map<String, List<Double>> ys = new LinkedHashMap<>();
        for (JsonNode series : chart.get("series")) {
            List<Double> values = new ArrayList<>();
            series.get("points")
                    .forEach(point -> values.add(
                            point.get(1).isNull() ? null : point.get(1).asDouble()));
            ys.put(series.get("name").asText(), values);
        }
        return ys;
    }

    static Map<String, Integer> drawn(JsonNode chart) {
        Map<String, Integer> drawn = new LinkedHashMap<>();
        chart.get("series")
                .forEach(series -> drawn.put(
                        series.get("name").asText(), series.get("drawn").asInt()));
        return drawn;
    }

    static List<Double> expected(java.util.function.IntFunction<Double> valueOfBucket) {
        List<Double> values = new ArrayList<>();
        IntStream.range(0, BUCKETS).forEach(j -> values.add(valueOfBucket.apply(j)));
        return values;
    }

    static List<JsonNode> documentsSinceStart(String defaultIndex) {
        List<JsonNode> documents = new ArrayList<>();
        Set<String> testNames = new HashSet<>();
        for (JsonNode hit : scope.documents(defaultIndex)) {
            JsonNode doc = hit.get("_source");
            if (!Instant.parse(doc.get("@timestamp").asText()).isBefore(ORIGINAL_START)) {
                documents.add(doc);
                testNames.add(doc.get("testName").asText());
            }
        }
        assertThat(testNames).containsExactlyInAnyOrder("original", "reduced");
        return documents;
    }

    /** The 5 ms bucket of a document, counted from ORIGINAL_START. */
    static int bucket(JsonNode doc) {
        long millis = Instant.parse(doc.get("@timestamp").asText()).toEpochMilli() - ORIGINAL_START.toEpochMilli();
        return (int) (millis / BUCKET_MILLIS);
    }

    static void createIndex(String index) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(
                                        URI.create("http://127.0.0.1:" + RealStack.ELASTICSEARCH_PORT + "/" + index))
                                .PUT(HttpRequest.BodyPublishers.noBody())
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode())
                .as("creating %s: %s", index, response.body())
                .isEqualTo(200);
    }
}
