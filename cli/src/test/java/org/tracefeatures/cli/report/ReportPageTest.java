package org.tracefeatures.cli.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.tracefeatures.cli.report.ChartDefinitionTest.points;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class ReportPageTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final List<ChartDefinition> CHARTS =
            ReportCharts.over("trace-summaries", "trace-features", "trace-critical-path", "service-graph");
    static final URI JAEGER_UI = URI.create("http://localhost:16686");
    static final SlowestTraces NO_SPAN_METRICS =
            new SlowestTraces("span-metrics", List.of(), Optional.of(ChartDefinition.noDataMessage(SlowestTraces.JOB)));
    static final ChartJsLibrary FAKE_CHART_JS = new ChartJsLibrary("9.9.9", "/* the library */ window.Chart = null;");

    static final long T = Instant.parse("2025-11-24T10:00:00Z").toEpochMilli();

    static ReportContent content(List<Series> routeCallSeries) {
        return content(
                ChartContent.drawn(CHARTS.get(0), routeCallSeries),
                ChartContent.empty(CHARTS.get(4), CHARTS.get(4).noDataMessage()));
    }

    /** The page with the book's chart and the edge latency as given, the others without data. */
    static ReportContent content(ChartContent routeCalls, ChartContent edgeLatency) {
        return new ReportContent(
                Instant.parse("2025-11-24T10:05:00.123Z"),
                URI.create("http://127.0.0.1:9200"),
                Optional.of(Instant.parse("2025-11-24T09:59:59Z")),
                Optional.of(new TimeRange(T, T + 7)),
                Optional.of(new HistogramInterval("5ms", 5)),
                List.of(
                        routeCalls,
                        ChartContent.empty(CHARTS.get(1), CHARTS.get(1).noDataMessage()),
                        ChartContent.empty(CHARTS.get(2), CHARTS.get(2).noDataMessage()),
                        ChartContent.empty(CHARTS.get(3), CHARTS.get(3).noDataMessage()),
                        edgeLatency),
                NO_SPAN_METRICS,
                Optional.empty());
    }

    @Test
    void thePageCarriesTheLibraryTheSeriesAndTheMessagesOfEmptyCharts() throws Exception {
        String page = ReportPage.render(
                content(List.of(
                        new Series("original", points(T, 10.0, T + 5, null)),
                        new Series("reduced", points(T, null, T + 5, 5.0)))),
                JAEGER_UI,
                FAKE_CHART_JS);

        assertThat(page).startsWith("<!DOCTYPE html>");
        assertThat(page).contains("<script>\n/* the library */ window.Chart = null;\n</script>");
        assertThat(page).contains("Drawn with Chart.js 9.9.9");
        assertThat(page)
                .contains("from Elasticsearch at http://127.0.0.1:9200; traces since 2025-11-24T09:59:59Z."
                        + " @timestamp from 2025-11-24T10:00:00Z to 2025-11-24T10:00:00.007Z, in buckets of 5ms.");
        // nothing loads from elsewhere: the page works offline
        assertThat(page).doesNotContain("src=").doesNotContain("href=");

        assertThat(JSON.readTree(model(page))).isEqualTo(JSON.readTree("""
                {"interval": "5ms", "intervalMillis": 5, "charts": [
                  {"id": "route-calls", "valueTitle": "average spanCounts.route::/GetShortestRoute", "stacked": false,
                   "series": [
                     {"name": "original", "points": [[1763978400000, 10.0], [1763978400005, null]]},
                     {"name": "reduced", "points": [[1763978400000, null], [1763978400005, 5.0]]}]}]}
                """));

        assertThat(page).contains("<section class=\"chart\" id=\"route-calls\">");
        assertThat(section(page, "route-calls")).contains("<canvas").doesNotContain("no-data");
        assertThat(section(page, "duration"))
                .contains("<p class=\"no-data\">no data yet (run sql/trace_features.sql)</p>")
                .doesNotContain("<canvas");
        assertThat(section(page, "errors")).contains("no data yet (run sql/trace_features.sql)");
        assertThat(section(page, "critical-path")).contains("no data yet (run sql/trace_features.sql)");
        assertThat(section(page, "edge-latency"))
                .contains("<h2>Edge latency (client p95) per edge</h2>")
                .contains("<p class=\"no-data\">no data yet (run sql/service_dependencies.sql)</p>")
                .doesNotContain("<canvas");
    }

    @Test
    void theEdgeLatencyIsALinePerEdgeOfTheServiceGraph() throws Exception {
        ChartDefinition edgeLatency = CHARTS.get(4);
        String page = ReportPage.render(
                content(
                        ChartContent.empty(CHARTS.get(0), CHARTS.get(0).noDataMessage()),
                        ChartContent.drawn(
                                edgeLatency,
                                List.of(
                                        new Series("frontend -> route", points(T, 52000.0, T + 5, null)),
                                        new Series("(none)", points(T, 7000.0, T + 5, null))))),
                JAEGER_UI,
                FAKE_CHART_JS);

        assertThat(section(page, "edge-latency"))
                .contains("<h2>Edge latency (client p95) per edge</h2>")
                .contains("<p class=\"source\">avg of clientP95Micros by edge, index service-graph (written by"
                        + " sql/service_dependencies.sql)</p>")
                .contains("<canvas role=\"img\" aria-label=\"Edge latency (client p95) per edge\">")
                .doesNotContain("no-data");
        assertThat(section(page, "route-calls")).contains("no data yet (run sql/span_count.sql)");
        assertThat(section(page, "edge-latency")).contains("one line per edge (client -&gt; server)");
        assertThat(JSON.readTree(model(page))).isEqualTo(JSON.readTree("""
                {"interval": "5ms", "intervalMillis": 5, "charts": [
                  {"id": "edge-latency", "valueTitle": "average clientP95Micros (µs)", "stacked": false,
                   "series": [
                     {"name": "frontend -> route", "points": [[1763978400000, 52000.0], [1763978400005, null]]},
                     {"name": "(none)", "points": [[1763978400000, 7000.0], [1763978400005, null]]}]}]}
                """));
    }

    @Test
    void namesFromTheDataCannotBreakOutOfTheModelScript() throws Exception {
        String name = "</script><script>alert(1)</script>";

        String page = ReportPage.render(content(List.of(new Series(name, points(T, 1.0)))), JAEGER_UI, FAKE_CHART_JS);

        assertThat(page).doesNotContain("<script>alert(1)");
        assertThat(JSON.readTree(model(page)).at("/charts/0/series/0/name").asText())
                .isEqualTo(name);
    }

    @Test
    void withoutAnyDocumentThePageSaysSo() {
        ReportContent nothing = new ReportContent(
                Instant.parse("2025-11-24T10:05:00Z"),
                URI.create("http://es:9200"),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                CHARTS.stream()
                        .map(chart -> ChartContent.empty(chart, chart.noDataMessage()))
                        .toList(),
                NO_SPAN_METRICS,
                Optional.empty());

        String page = ReportPage.render(nothing, JAEGER_UI, FAKE_CHART_JS);

        assertThat(page).contains("all traces. No document found.");
        assertThat(section(page, "route-calls")).contains("no data yet (run sql/span_count.sql)");
        assertThat(model(page)).isEqualTo("{\"charts\":[]}");
    }

    @Test
    void textIsEscapedForHtml() {
        assertThat(ReportPage.text("a < b & \"c\" > d")).isEqualTo("a &lt; b &amp; &quot;c&quot; &gt; d");
    }

    static String model(String page) {
        Matcher model = Pattern.compile(
                        "<script type=\"application/json\" id=\"report-model\">(.*?)</script>", Pattern.DOTALL)
                .matcher(page);
        assertThat(model.find()).as("the page has a report-model script").isTrue();
        return model.group(1);
    }

    static String section(String page, String id) {
        Matcher section = Pattern.compile("<section class=\"chart\" id=\"" + id + "\">(.*?)</section>", Pattern.DOTALL)
                .matcher(page);
        assertThat(section.find()).as("the page has a section " + id).isTrue();
        return section.group(1);
    }
}
