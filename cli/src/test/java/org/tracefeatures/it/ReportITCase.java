package org.tracefeatures.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
import org.junit.jupiter.api.parallel.ResourceAccessMode;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.tracefeatures.cli.ReportCommand;
import org.tracefeatures.elasticsearch.ElasticsearchClient;
import org.tracefeatures.runner.RunOptions;
import org.tracefeatures.runner.SqlJobRunner;
import picocli.CommandLine;

/**
 * bin/tracefeatures report end to end: simulated HotROD traffic through span_count.sql and trace_features.sql
 * into a real Elasticsearch, the report page written from its aggregations, then opened in a real headless
 * Chromium, which draws the charts with the inlined Chart.js; the page records what each chart holds. The slowest
 * traces come from span-metrics documents with known exemplars, written here as span_metrics.sql writes them, and the
 * edge latency from service-graph documents written here as service_dependencies.sql writes them.
 */
@ExtendWith(RealStack.class)
@ResourceLock(value = RealStack.SHARED_PROCESSES, mode = ResourceAccessMode.READ)
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

    static final String JAEGER_UI = "http://jaeger.example:16686";

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

        writeSpanMetrics(scope.index("span-metrics"));
        writeServiceGraph(scope.index("service-graph"));

        workDir = Files.createDirectories(RealStack.WORK_DIR.resolve("report"));
        page = report(
                "report.html",
                scope.index("trace-summaries"),
                scope.index("trace-features"),
                scope.index("trace-critical-path"),
                scope.index("span-metrics"),
                scope.index("service-graph"),
                ORIGINAL_START,
                JAEGER_UI);
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
    void theEdgeLatencyHasALinePerEdgeTheSlowestFirst() {
        JsonNode chart = charts.get("edge-latency");

        // 10:00's documents, all in the first bucket: api -> orders averages its two connection types; (none) holds the
        // documents without an edge, of which one has a client latency; 09:59's document is before --since
        assertThat(seriesNames(chart))
                .containsExactly("frontend -> route", "api -> orders", "(none)", "frontend -> mysql");
        assertThat(xValues(chart)).allSatisfy(xs -> assertThat(xs).isEqualTo(BUCKET_STARTS));
        assertThat(yValues(chart))
                .containsExactly(
                        Map.entry("frontend -> route", expected(j -> j == 0 ? 52000.0 : null)),
                        Map.entry("api -> orders", expected(j -> j == 0 ? 20000.0 : null)),
                        Map.entry("(none)", expected(j -> j == 0 ? 7000.0 : null)),
                        Map.entry("frontend -> mysql", expected(j -> j == 0 ? 2000.0 : null)));
        assertThat(drawn(chart).values()).containsOnly(1);
    }

    @Test
    void fromTheMiddleOfAMinuteTheEdgeLatencyStillShowsThatMinutesDocumentsInTheFirstBucket() throws Exception {
        // --since 10:00:00.250: reduced's traces from then on (250..299 ms) set the range; the service graph's
        // documents of 10:00 are stamped 10:00:00.000 but hold the requests of the whole minute
        Path midMinute = report(
                "report-edges-mid-minute.html",
                scope.index("trace-summaries"),
                scope.index("trace-features"),
                scope.index("trace-critical-path"),
                scope.index("span-metrics"),
                scope.index("service-graph"),
                ORIGINAL_START.plusMillis(250),
                JAEGER_UI);
        Map<String, JsonNode> midCharts = renderedCharts(chromium.dumpDom(midMinute));
        JsonNode chart = midCharts.get("edge-latency");

        // the same lines and values as from 10:00:00 (theEdgeLatencyHasALinePerEdgeTheSlowestFirst), in the first
        // bucket, on the time axis of the other charts
        assertThat(seriesNames(chart))
                .containsExactly("frontend -> route", "api -> orders", "(none)", "frontend -> mysql");
        List<Long> axis = xValues(midCharts.get("duration")).get(0);
        assertThat(xValues(chart)).allSatisfy(xs -> assertThat(xs).isEqualTo(axis));
        Map<String, List<Double>> values = yValues(chart);
        assertThat(values.get("frontend -> route").get(0)).isEqualTo(52000.0);
        assertThat(values.get("api -> orders").get(0)).isEqualTo(20000.0);
        assertThat(values.get("(none)").get(0)).isEqualTo(7000.0);
        assertThat(values.get("frontend -> mysql").get(0)).isEqualTo(2000.0);
        assertThat(drawn(chart).values()).containsOnly(1);
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

        Path mixed = report(
                "report-missing-and-empty.html",
                missing,
                scope.index("trace-features"),
                empty,
                scope.index("span-metrics-never-written"),
                scope.index("service-graph-never-written"),
                ORIGINAL_START,
                JAEGER_UI);
        Map<String, JsonNode> rendered = renderedCharts(chromium.dumpDom(mixed));

        assertThat(rendered.get("route-calls").get("message").asText())
                .isEqualTo("no data yet (run sql/span_count.sql)");
        assertThat(rendered.get("critical-path").get("message").asText())
                .isEqualTo("no data yet (run sql/trace_features.sql)");
        assertThat(drawn(rendered.get("duration"))).containsExactly(Map.entry("runTest", 40));
        assertThat(drawn(rendered.get("errors"))).containsExactly(Map.entry("runTest", BUCKETS));
        assertThat(rendered.get("edge-latency").get("message").asText())
                .isEqualTo("no data yet (run sql/service_dependencies.sql)");
        assertThat(slowestTracesMessage(mixed)).isEqualTo("no data yet (run sql/span_metrics.sql)");
    }

    @Test
    void withNothingSinceTheGivenTimeEveryChartSaysNoDataYet() throws Exception {
        Path nothing = report(
                "report-nothing.html",
                scope.index("trace-summaries"),
                scope.index("trace-features"),
                scope.index("trace-critical-path"),
                scope.index("span-metrics"),
                scope.index("service-graph"),
                ORIGINAL_START.plus(1, ChronoUnit.DAYS),
                JAEGER_UI);
        Map<String, JsonNode> rendered = renderedCharts(chromium.dumpDom(nothing));

        Map<String, String> messages = new TreeMap<>();
        rendered.forEach((id, chart) -> messages.put(id, chart.path("message").asText("(drawn)")));
        assertThat(messages)
                .containsExactly(
                        Map.entry("critical-path", "no data yet (run sql/trace_features.sql)"),
                        Map.entry("duration", "no data yet (run sql/trace_features.sql)"),
                        Map.entry("edge-latency", "no data yet (run sql/service_dependencies.sql)"),
                        Map.entry("errors", "no data yet (run sql/trace_features.sql)"),
                        Map.entry("route-calls", "no data yet (run sql/span_count.sql)"));
        assertThat(Files.readString(nothing)).contains("No document found.");
        assertThat(slowestTracesMessage(nothing)).isEqualTo("no data yet (run sql/span_metrics.sql)");
    }

    /**
     * What writeSpanMetrics wrote, worked out by hand: per service and operation the largest maxMicros since 10:00
     * (09:59's documents left out) and its document's slowest exemplar; the 20 slowest of 27 rows, equal durations
     * by service then operation. The durations are the exemplars' micros in ms, the minutes the documents'.
     */
    static final List<List<String>> SLOWEST_TRACES = expectedSlowestTraces();

    static List<List<String>> expectedSlowestTraces() {
        List<List<String>> rows = new ArrayList<>();
        // the highest bucket's exemplar, not le200ms's
        rows.add(List.of("customer", "SQL SELECT", "1200.000 ms", "2025-11-24T10:00:00Z", link("c0ffee0000000001")));
        // the slowest of four documents since 10:00 (server at 10:00 and 10:01, client with errors at 10:00); the
        // one of 09:59 (9 s) is before --since
        rows.add(List.of(
                "frontend", "HTTP GET /dispatch", "730.000 ms", "2025-11-24T10:01:00Z", link("fd00000000000730")));
        // written before span_metrics.sql kept exemplars: the duration from maxMicros, no link
        rows.add(List.of("route", "/GetShortestRoute", "60.000 ms", "2025-11-24T10:00:00Z", "(no exemplar)"));
        // names from the data, escaped; the trace id one path segment of the link
        rows.add(List.of(
                "driver",
                "&lt;script&gt;alert(&quot;op&quot;)&lt;/script&gt; &amp; co",
                "5.000 ms",
                "2025-11-24T10:01:00Z",
                "<a href=\"" + JAEGER_UI + "/trace/ab%26c%3Cd%3E%22e%22%2Ff\">ab&amp;c&lt;d&gt;&quot;e&quot;/f</a>"));
        // 1.88 ms twice: mysql before redis
        rows.add(List.of("mysql", "SQL SELECT", "1.880 ms", "2025-11-24T10:00:00Z", link("ba5e000000001880")));
        // redis's 22 operations at 1000 + 40 n us: the 15 slowest fill the table, n = 22 down to 8
        for (int n = 22; n >= 8; n--) {
            rows.add(List.of(
                    "redis",
                    String.format("GetDriver-%02d", n),
                    String.format("%d.%03d ms", (1000 + 40 * n) / 1000, (1000 + 40 * n) % 1000),
                    "2025-11-24T10:00:00Z",
                    link(String.format("4ed1500000000%03d", n))));
        }
        return rows;
    }

    @Test
    void theSlowestTracesLinkEachOperationsSlowestSpanToTheJaegerUi() throws Exception {
        assertThat(slowestTraces(page)).hasSize(20).containsExactlyElementsOf(SLOWEST_TRACES);
    }

    @Test
    void theSlowestTracesIncludeTheMinuteSinceFallsIn() throws Exception {
        // 10:00:30 is after every trace, so no chart has data; 10:00's span metrics may hold spans after it
        Path midMinute = report(
                "report-mid-minute.html",
                scope.index("trace-summaries"),
                scope.index("trace-features"),
                scope.index("trace-critical-path"),
                scope.index("span-metrics"),
                scope.index("service-graph"),
                ORIGINAL_START.plusSeconds(30),
                JAEGER_UI + "/");

        assertThat(Files.readString(midMinute)).contains("No document found.");
        // the same rows: 10:00 is in, 09:59 still out, and the UI's trailing slash is not doubled
        assertThat(slowestTraces(midMinute)).containsExactlyElementsOf(SLOWEST_TRACES);
    }

    @Test
    void withCompareByThePageSaysWhatChangedAndDrawsTheTopFeaturesDistributions() throws Exception {
        Path compared = report(
                "report-compare.html",
                scope.index("trace-summaries"),
                scope.index("trace-features"),
                scope.index("trace-critical-path"),
                scope.index("span-metrics"),
                scope.index("service-graph"),
                ORIGINAL_START,
                JAEGER_UI,
                "--compare-by",
                "testName",
                "original",
                "reduced");

        String section = firstMatch(
                "<section class=\"traces\" id=\"what-changed\">(.*?)</section>",
                Files.readString(compared),
                "the comparison");
        assertThat(section)
                .contains("A: testName = original, 100 traces; B: testName = reduced, 100 traces")
                // the top row: 10 route calls per trace against 5, every trace, no spread
                .containsPattern("<tbody>\n<tr><td>spanCounts.route::/GetShortestRoute</td><td class=\"number\">10</td>"
                        + "<td class=\"number\">5</td><td class=\"number\">-5 \\[-5, -5\\]</td>"
                        + "<td class=\"number\">-1.000</td>");
        // the top feature's distribution: every original trace at 10, every reduced one at 5
        JsonNode chart = renderedCharts(chromium.dumpDom(compared)).get("compare-1");
        assertThat(chart.get("labels").toString()).isEqualTo("[\"5\",\"10\"]");
        assertThat(seriesNames(chart)).containsExactly("A: testName = original", "B: testName = reduced");
        assertThat(yValues(chart))
                .containsExactly(
                        Map.entry("A: testName = original", List.of(0.0, 1.0)),
                        Map.entry("B: testName = reduced", List.of(1.0, 0.0)));
    }

    /** Runs the command as bin/tracefeatures report would. */
    static Path report(
            String file,
            String summaries,
            String features,
            String criticalPath,
            String spanMetrics,
            String serviceGraph,
            Instant since,
            String jaegerUi,
            String... moreArgs) {
        Path output = workDir.resolve(file);
        List<String> args = new ArrayList<>(List.of(
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
                criticalPath,
                "--span-metrics-index",
                spanMetrics,
                "--service-graph-index",
                serviceGraph,
                "--jaeger-ui",
                jaegerUi));
        args.addAll(List.of(moreArgs));
        int exit = new CommandLine(new ReportCommand()).execute(args.toArray(String[]::new));
        assertThat(exit).as("report exit code").isZero();
        assertThat(output).isRegularFile();
        return output;
    }

    /** The cells of the slowest-traces table as the page's HTML has them (escaped), row by row. */
    static List<List<String>> slowestTraces(Path page) throws Exception {
        String table = firstMatch("<tbody>\n(.*?)</tbody>", slowestTracesSection(page), "the slowest traces' table");
        List<List<String>> rows = new ArrayList<>();
        Matcher row = Pattern.compile("<tr>(.*?)</tr>\n").matcher(table);
        while (row.find()) {
            List<String> cells = new ArrayList<>();
            Matcher cell = Pattern.compile("<td[^>]*>(.*?)</td>").matcher(row.group(1));
            while (cell.find()) {
                cells.add(cell.group(1));
            }
            rows.add(cells);
        }
        return rows;
    }

    static String slowestTracesMessage(Path page) throws Exception {
        return firstMatch(
                "<p class=\"no-data\">(.*?)</p>", slowestTracesSection(page), "why there are no slowest traces");
    }

    static String slowestTracesSection(Path page) throws Exception {
        return firstMatch(
                "<section class=\"traces\" id=\"slowest-traces\">(.*?)</section>",
                Files.readString(page),
                "the slowest traces");
    }

    /** The first group of the first match of regex (. matching line ends too) in text, which must have one. */
    static String firstMatch(String regex, String text, String what) {
        Matcher match = Pattern.compile(regex, Pattern.DOTALL).matcher(text);
        assertThat(match.find()).as("%s in:%n%s", what, text).isTrue();
        return match.group(1);
    }

    static String link(String traceId) {
        return "<a href=\"" + JAEGER_UI + "/trace/" + traceId + "\">" + traceId + "</a>";
    }

    /**
     * span_metrics.sql's documents, one per minute, service, operation, kind and status, with known exemplars: per
     * line service | operation | spanKind | error | minute of 2025-11-24 (UTC) | maxMicros | durationExemplars as
     * bucket=traceId:micros (null for a bucket without spans; nothing for a document without durationExemplars).
     * Only the fields the report reads, and calls.
     */
    static final String SPAN_METRICS = """
            customer | SQL SELECT                          | client | false | 10:00 | 1200000 | le2ms=null le200ms=c0ffee0000000150:150000 le1400ms=c0ffee0000000001:1200000
            frontend | HTTP GET /dispatch                  | server | false | 10:00 |  450000 | le800ms=fd00000000000450:450000
            frontend | HTTP GET /dispatch                  | server | false | 10:01 |  730000 | le50ms=fd00000000000040:40000 le800ms=fd00000000000730:730000
            frontend | HTTP GET /dispatch                  | client | true  | 10:00 |  600000 | le800ms=fd00000000000600:600000
            frontend | HTTP GET /dispatch                  | server | false | 09:59 | 9000000 | le10000ms=fd00000000009000:9000000
            ghost    | before since                        | server | false | 09:59 | 2000000 | le2000ms=0000000000000000:2000000
            route    | /GetShortestRoute                   | server | false | 10:00 |   60000 |
            driver   | <script>alert("op")</script> & co   | server | false | 10:01 |    5000 | le6ms=ab&c<d>"e"/f:5000
            mysql    | SQL SELECT                          | server | false | 10:00 |    1880 | le2ms=ba5e000000001880:1880
            """;

    static void writeSpanMetrics(String index) throws Exception {
        List<String> lines = new ArrayList<>(SPAN_METRICS.lines().toList());
        // 22 operations of redis at 1000 + 40 n us, more than a service's 20 terms
        for (int n = 1; n <= 22; n++) {
            lines.add(String.format(
                    "redis | GetDriver-%02d | server | false | 10:00 | %d | le2ms=4ed1500000000%03d:%d",
                    n, 1000 + 40 * n, n, 1000 + 40 * n));
        }
        ElasticsearchClient elasticsearch = RealStack.elasticsearch();
        for (String line : lines) {
            String[] fields = line.split("\\|");
            ObjectNode doc = JSON.createObjectNode()
                    .put("@timestamp", "2025-11-24T" + fields[4].strip() + ":00Z")
                    .put("service", fields[0].strip())
                    .put("operation", fields[1].strip())
                    .put("spanKind", fields[2].strip())
                    .put("error", Boolean.parseBoolean(fields[3].strip()))
                    .put("calls", 1)
                    .put("maxMicros", Long.parseLong(fields[5].strip()));
            if (fields.length > 6) {
                ObjectNode exemplars = doc.putObject("durationExemplars");
                for (String exemplar : fields[6].strip().split(" ")) {
                    String bucket = exemplar.substring(0, exemplar.indexOf('='));
                    String value = exemplar.substring(bucket.length() + 1);
                    if (value.equals("null")) {
                        exemplars.putNull(bucket);
                    } else {
                        int colon = value.lastIndexOf(':');
                        exemplars
                                .putObject(bucket)
                                .put("traceId", value.substring(0, colon))
                                .put("micros", Long.parseLong(value.substring(colon + 1)));
                    }
                }
            }
            var response = elasticsearch.send("POST", "/" + index + "/_doc", doc.toString());
            assertThat(response.status())
                    .as("indexing %s: %s", line, response.body())
                    .isEqualTo(201);
        }
    }

    /**
     * service_dependencies.sql's service-graph documents, one per minute and edge: per line minute of 2025-11-24 (UTC) |
     * client | server | connectionType | clientP95Micros, "-" for a null (an unknown caller or callee, a client span's
     * latency that a server-side document does not have). The edge is "client -> server" when both are known, as the
     * job writes it. Only the fields the report reads, and calls.
     */
    static final String SERVICE_GRAPH = """
            10:00 | frontend | route    | direct           |   52000
            10:00 | api      | orders   | direct           |   10000
            10:00 | api      | orders   | messaging_system |   30000
            10:00 | frontend | mysql    | database         |    2000
            10:00 | frontend | -        | direct           |    7000
            10:00 | -        | customer | direct           |       -
            09:59 | frontend | route    | direct           | 9000000
            """;

    static void writeServiceGraph(String index) throws Exception {
        ElasticsearchClient elasticsearch = RealStack.elasticsearch();
        for (String line : SERVICE_GRAPH.lines().toList()) {
            String[] fields = line.split("\\|");
            String client = fields[1].strip();
            String server = fields[2].strip();
            String clientP95 = fields[4].strip();
            ObjectNode doc = JSON.createObjectNode()
                    .put("@timestamp", "2025-11-24T" + fields[0].strip() + ":00Z")
                    .put("client", client.equals("-") ? null : client)
                    .put("server", server.equals("-") ? null : server)
                    .put("edge", client.equals("-") || server.equals("-") ? null : client + " -> " + server)
                    .put("connectionType", fields[3].strip())
                    .put("calls", 1)
                    .put("clientP95Micros", clientP95.equals("-") ? null : Long.valueOf(clientP95));
            var response = elasticsearch.send("POST", "/" + index + "/_doc", doc.toString());
            assertThat(response.status())
                    .as("indexing %s: %s", line, response.body())
                    .isEqualTo(201);
        }
    }

    /** What the page recorded after drawing (see report.js), by chart id. */
    static Map<String, JsonNode> renderedCharts(String dom) throws Exception {
        String recorded = firstMatch(
                "<script type=\"application/json\" id=\"rendered-charts\">(.*?)</script>",
                dom,
                "what the page's script recorded it drew");
        Map<String, JsonNode> byId = new LinkedHashMap<>();
        for (JsonNode chart : JSON.readTree(recorded)) {
            assertThat(chart.has("error"))
                    .as("chart %s failed to draw: %s", chart.get("id"), chart.get("error"))
                    .isFalse();
            byId.put(chart.get("id").asText(), chart);
        }
        // and with --compare-by, compare-1, compare-2, ...: one per top feature
        assertThat(byId.keySet())
                .filteredOn(id -> !id.matches("compare-\\d+"))
                .containsExactlyInAnyOrder("route-calls", "duration", "errors", "critical-path", "edge-latency");
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
