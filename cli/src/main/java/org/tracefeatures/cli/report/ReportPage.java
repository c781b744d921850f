package org.tracefeatures.cli.report;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.tracefeatures.cli.compare.CohortComparison;
import org.tracefeatures.cli.compare.ComparisonOutput;
import org.tracefeatures.cli.compare.FeatureDistribution;

/**
 * The report as one self-contained HTML page: the charts' titles, descriptions and no-data messages as HTML, their
 * series as JSON in the page, drawn in the browser by the inlined Chart.js and the page's own script; then the
 * slowest traces as an HTML table, linked to the Jaeger UI.
 */
public final class ReportPage {
    private static final String RESOURCES = "org/tracefeatures/cli/report/";

    private ReportPage() {}

    /** @param jaegerUi where the trace links point: {@code <jaegerUi>/trace/<trace id>} */
    public static String render(ReportContent content, URI jaegerUi, ChartJsLibrary chartJs) {
        StringBuilder html = new StringBuilder();
        html.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<title>tracefeatures report</title>\n")
                .append("<style>\n")
                .append(resource("report.css"))
                .append("</style>\n</head>\n<body>\n");

        html.append("<header>\n<h1>tracefeatures report</h1>\n<p class=\"meta\">")
                .append(text(summary(content)))
                .append("</p>\n</header>\n<main>\n");
        for (ChartContent chart : content.charts()) {
            section(html, chart);
        }
        slowestTraces(html, content.slowestTraces(), jaegerUi);
        content.comparison().ifPresent(comparison -> comparison(html, comparison, jaegerUi));
        html.append("</main>\n<footer>Drawn with Chart.js ")
                .append(text(chartJs.version()))
                .append(" (MIT License), inlined in this page: it works offline.</footer>\n");

        html.append("<script>\n").append(chartJs.code()).append("\n</script>\n");
        html.append("<script type=\"application/json\" id=\"report-model\">")
                .append(scriptJson(model(content)))
                .append("</script>\n");
        html.append("<script>\n").append(resource("report.js")).append("</script>\n");
        html.append("</body>\n</html>\n");
        return html.toString();
    }

    private static String summary(ReportContent content) {
        StringBuilder summary = new StringBuilder("Generated ")
                .append(content.generatedAt().truncatedTo(ChronoUnit.SECONDS))
                .append(" from Elasticsearch at ")
                .append(content.elasticsearch())
                .append("; ")
                .append(content.since().map(since -> "traces since " + since).orElse("all traces"))
                .append(". ");
        if (content.range().isPresent()) {
            TimeRange range = content.range().get();
            summary.append("@timestamp from ")
                    .append(Instant.ofEpochMilli(range.firstMillis()))
                    .append(" to ")
                    .append(Instant.ofEpochMilli(range.lastMillis()))
                    .append(", in buckets of ")
                    .append(content.interval().orElseThrow().expression())
                    .append('.');
        } else {
            summary.append("No document found.");
        }
        return summary.toString();
    }

    private static void section(StringBuilder html, ChartContent chart) {
        ChartDefinition definition = chart.definition();
        html.append("<section class=\"chart\" id=\"")
                .append(text(definition.id()))
                .append("\">\n")
                .append("<h2>")
                .append(text(definition.title()))
                .append("</h2>\n")
                .append("<p class=\"description\">")
                .append(text(definition.description()))
                .append("</p>\n")
                .append("<p class=\"source\">")
                .append(text(definition.metric().aggregation + " of "
                        + definition.valueField() + " by " + definition.splitField() + ", index " + definition.index()
                        + " (written by " + definition.job() + ")"))
                .append("</p>\n");
        if (chart.message().isPresent()) {
            html.append("<p class=\"no-data\">")
                    .append(text(chart.message().get()))
                    .append("</p>\n");
        } else {
            html.append("<div class=\"canvas-box\"><canvas role=\"img\" aria-label=\"")
                    .append(text(definition.title()))
                    .append("\"></canvas></div>\n");
        }
        html.append("</section>\n");
    }

    private static void slowestTraces(StringBuilder html, SlowestTraces table, URI jaegerUi) {
        html.append("<section class=\"traces\" id=\"slowest-traces\">\n<h2>Slowest traces</h2>\n")
                .append("<p class=\"description\">")
                .append(text("The slowest span of each service and operation, the " + SlowestTraces.MAX_ROWS
                        + " slowest first, with the trace it belongs to, linked to the Jaeger UI at " + jaegerUi
                        + ". Span metrics are per minute: with --since, from the minute it falls in."))
                .append("</p>\n<p class=\"source\">")
                .append(text("max of maxMicros by service and operation, the trace from durationExemplars, index "
                        + table.index() + " (written by " + SlowestTraces.JOB + ")"))
                .append("</p>\n");
        if (table.message().isPresent()) {
            html.append("<p class=\"no-data\">")
                    .append(text(table.message().get()))
                    .append("</p>\n</section>\n");
            return;
        }
        html.append("<table>\n<thead><tr><th>service</th><th>operation</th><th>slowest span</th><th>minute</th>")
                .append("<th>trace</th></tr></thead>\n<tbody>\n");
        for (SlowestTraces.Row row : table.rows()) {
            html.append("<tr><td>")
                    .append(text(row.service()))
                    .append("</td><td>")
                    .append(text(row.operation()))
                    .append("</td><td class=\"number\">")
                    .append(String.format(Locale.ROOT, "%.3f ms", row.micros() / 1000.0))
                    .append("</td><td>")
                    .append(row.minute())
                    .append("</td><td>");
            if (row.traceId().isPresent()) {
                html.append("<a href=\"")
                        .append(text(traceUrl(jaegerUi, row.traceId().get())))
                        .append("\">")
                        .append(text(row.traceId().get()))
                        .append("</a>");
            } else {
                html.append("(no exemplar)");
            }
            html.append("</td></tr>\n");
        }
        html.append("</tbody>\n</table>\n</section>\n");
    }

    private static void comparison(StringBuilder html, ComparisonSection section, URI jaegerUi) {
        html.append("<section class=\"traces\" id=\"what-changed\">\n<h2>What changed: ")
                .append(text(section.dimension()))
                .append("</h2>\n<p class=\"description\">")
                .append(text("Each feature of the trace-features documents compared between the two cohorts, as"
                        + " bin/tracefeatures compare does: B - A of the means with a 95% confidence interval,"
                        + " Cliff's delta (-1 to 1) and q, the Benjamini-Hochberg adjusted p-value of a Mann-Whitney U"
                        + " test; q < " + CohortComparison.FALSE_DISCOVERY_RATE + " is a change. The most certain"
                        + " and largest changes first; below, each top feature's distribution per cohort."))
                .append("</p>\n");
        if (section.message().isPresent()) {
            html.append("<p class=\"no-data\">")
                    .append(text(section.message().get()))
                    .append("</p>\n</section>\n");
            return;
        }
        CohortComparison.Result result = section.outcome().orElseThrow().result();
        html.append("<p class=\"source\">")
                .append(text("A: " + result.first().label() + ", "
                        + result.first().size() + " traces; B: "
                        + result.second().label() + ", " + result.second().size() + " traces"
                        + (section.outcome().get().sampled() ? " (uniform samples)" : "")))
                .append("</p>\n");
        List<CohortComparison.FeatureDifference> changed = result.features().stream()
                .filter(CohortComparison.FeatureDifference::changed)
                .limit(ComparisonSection.ROWS)
                .toList();
        if (changed.isEmpty()) {
            html.append("<p class=\"no-data\">no feature changed</p>\n");
        } else {
            html.append("<table>\n<thead><tr><th>feature</th><th>A mean</th><th>B mean</th>")
                    .append(
                            "<th>B - A [95% CI]</th><th>Cliff's delta</th><th>q</th><th>a trace of B</th></tr></thead>\n")
                    .append("<tbody>\n");
            for (CohortComparison.FeatureDifference f : changed) {
                html.append("<tr><td>")
                        .append(text(f.feature()))
                        .append("</td><td class=\"number\">")
                        .append(ComparisonOutput.number(f.first().mean()))
                        .append("</td><td class=\"number\">")
                        .append(ComparisonOutput.number(f.second().mean()))
                        .append("</td><td class=\"number\">")
                        .append(text(ComparisonOutput.number(f.difference()) + " [" + ComparisonOutput.number(f.ciLow())
                                + ", " + ComparisonOutput.number(f.ciHigh()) + "]"))
                        .append("</td><td class=\"number\">")
                        .append(String.format(Locale.ROOT, "%.3f", f.cliffsDelta()))
                        .append("</td><td class=\"number\">")
                        .append(text(ComparisonOutput.probability(f.q())))
                        .append("</td><td>");
                f.secondExemplars().stream()
                        .findFirst()
                        .ifPresent(id -> html.append("<a href=\"")
                                .append(text(traceUrl(jaegerUi, id)))
                                .append("\">")
                                .append(text(id))
                                .append("</a>"));
                html.append("</td></tr>\n");
            }
            html.append("</tbody>\n</table>\n");
        }
        html.append("<table>\n<thead><tr><th>pattern</th><th>A share</th><th>B share</th><th>q</th><th>shape</th>")
                .append("</tr></thead>\n<tbody>\n");
        for (CohortComparison.PatternDifference p :
                result.patterns().stream().limit(ComparisonSection.ROWS).toList()) {
            html.append("<tr><td>")
                    .append(text(p.patternId()))
                    .append("</td><td class=\"number\">")
                    .append(ComparisonOutput.percent(p.firstShare()))
                    .append("</td><td class=\"number\">")
                    .append(ComparisonOutput.percent(p.secondShare()))
                    .append("</td><td class=\"number\">")
                    .append(text(ComparisonOutput.probability(p.q())))
                    .append("</td><td>")
                    .append(text(p.shape() == null ? "" : p.shape()))
                    .append("</td></tr>\n");
        }
        html.append("</tbody>\n</table>\n</section>\n");
        for (int i = 0; i < section.charts().size(); i++) {
            FeatureDistribution chart = section.charts().get(i);
            html.append("<section class=\"chart\" id=\"compare-")
                    .append(i + 1)
                    .append("\">\n<h2>")
                    .append(text(chart.feature()))
                    .append("</h2>\n<p class=\"description\">")
                    .append(text("Share of each cohort's traces by value of " + chart.feature() + "."))
                    .append("</p>\n<div class=\"canvas-box\"><canvas role=\"img\" aria-label=\"")
                    .append(text(chart.feature()))
                    .append("\"></canvas></div>\n</section>\n");
        }
    }

    /** The Jaeger UI's page of a trace: the id as one path segment, whatever characters it holds. */
    static String traceUrl(URI jaegerUi, String traceId) {
        return jaegerUi.toString().replaceFirst("/+$", "") + "/trace/"
                + URLEncoder.encode(traceId, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** What report.js draws: the charts with series, their points as [epoch millis, value or null]. */
    private static ObjectNode model(ReportContent content) {
        ObjectNode model = TimeRange.JSON.createObjectNode();
        content.interval().ifPresent(interval -> {
            model.put("interval", interval.expression());
            model.put("intervalMillis", interval.millis());
        });
        content.comparison()
                .filter(comparison -> comparison.outcome().isPresent())
                .ifPresent(comparison -> {
                    ArrayNode distributions = model.putArray("distributions");
                    CohortComparison.Result result =
                            comparison.outcome().orElseThrow().result();
                    for (int i = 0; i < comparison.charts().size(); i++) {
                        FeatureDistribution chart = comparison.charts().get(i);
                        ObjectNode spec = distributions.addObject();
                        spec.put("id", "compare-" + (i + 1));
                        spec.put("feature", chart.feature());
                        chart.labels().forEach(spec.putArray("labels")::add);
                        ArrayNode series = spec.putArray("series");
                        ObjectNode first = series.addObject()
                                .put("name", "A: " + result.first().label());
                        Arrays.stream(chart.firstShares()).forEach(first.putArray("shares")::add);
                        ObjectNode second = series.addObject()
                                .put("name", "B: " + result.second().label());
                        Arrays.stream(chart.secondShares()).forEach(second.putArray("shares")::add);
                    }
                });
        ArrayNode charts = model.putArray("charts");
        for (ChartContent chart : content.charts()) {
            if (chart.message().isPresent()) {
                continue;
            }
            ObjectNode spec = charts.addObject();
            spec.put("id", chart.definition().id());
            spec.put("valueTitle", chart.definition().valueTitle());
            spec.put("stacked", chart.definition().stacked());
            ArrayNode seriesArray = spec.putArray("series");
            for (Series series : chart.series()) {
                ObjectNode seriesNode = seriesArray.addObject();
                seriesNode.put("name", series.name());
                ArrayNode points = seriesNode.putArray("points");
                for (Series.Point point : series.points()) {
                    points.addArray().add(point.timeMillis()).add(point.value());
                }
            }
        }
        return model;
    }

    /** JSON as the raw text of a script element: no "<", so no "</script" or "<!--" can end or change it. */
    static String scriptJson(ObjectNode json) {
        return json.toString().replace("<", "\\u003c");
    }

    static String text(String value) {
        return value.replace("&", "&amp;")
                .replace("<", "&lt;")
                .replace(">", "&gt;")
                .replace("\"", "&quot;");
    }

    private static String resource(String name) {
        try (InputStream in = ReportPage.class.getClassLoader().getResourceAsStream(RESOURCES + name)) {
            if (in == null) {
                throw new IllegalStateException(
                        RESOURCES + name + " is not on the classpath; rebuild with mvn package");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCES + name, e);
        }
    }
}
