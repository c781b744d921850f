package org.tracefeatures.cli;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.tracefeatures.cli.report.ChartJsLibrary;
import org.tracefeatures.cli.report.ReportCharts;
import org.tracefeatures.cli.report.ReportContent;
import org.tracefeatures.cli.report.ReportPage;
import org.tracefeatures.cli.report.ReportQueries;
import org.tracefeatures.stack.LocalStackConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

@Command(
        name = "report",
        mixinStandardHelpOptions = true,
        description = {
            "Writes the dashboard's charts as one HTML page that works offline, for a machine without Kibana:"
                    + " route calls per trace by test (the book's chart), trace duration and errors by root"
                    + " operation, the critical path by service, and the client-observed latency of each edge of the"
                    + " service graph, over time, from Elasticsearch aggregations;"
                    + " then the slowest traces by service and operation, from span metrics' exemplars, linked to"
                    + " the Jaeger UI. With --compare-by, what changed between two cohorts (see compare).",
            "A chart or table whose index is missing or empty says which job script fills it. Prints the page's"
                    + " path."
        })
public class ReportCommand implements Callable<Integer> {
    static final Path DEFAULT_OUTPUT = Path.of(".tracefeatures", "report.html");

    @Mixin
    ElasticsearchOption elasticsearch = new ElasticsearchOption();

    @Option(
            names = "--output",
            paramLabel = "FILE",
            description = "Where to write the page (default: ${DEFAULT-VALUE}).")
    Path output = LocalStackConfig.projectHome().resolve(DEFAULT_OUTPUT);

    @Option(
            names = "--since",
            paramLabel = "TIMESTAMP",
            converter = TimestampConverter.class,
            description = "Only traces that start at or after this time (ISO-8601 like 2025-11-24T10:00:00Z, or epoch"
                    + " millis); default: all.")
    Instant since;

    @Option(
            names = "--summaries-index",
            paramLabel = "INDEX",
            description = "Index of sql/span_count.sql's documents (default: ${DEFAULT-VALUE}).")
    String summariesIndex = "trace-summaries";

    @Option(
            names = "--features-index",
            paramLabel = "INDEX",
            description = "Index of sql/trace_features.sql's per-trace documents (default: ${DEFAULT-VALUE}).")
    String featuresIndex = "trace-features";

    @Option(
            names = "--critical-path-index",
            paramLabel = "INDEX",
            description = "Index of sql/trace_features.sql's per-service critical path (default: ${DEFAULT-VALUE}).")
    String criticalPathIndex = "trace-critical-path";

    @Option(
            names = "--span-metrics-index",
            paramLabel = "INDEX",
            description =
                    "Index of sql/span_metrics.sql's documents, for the slowest traces (default: ${DEFAULT-VALUE}).")
    String spanMetricsIndex = "span-metrics";

    @Option(
            names = "--service-graph-index",
            paramLabel = "INDEX",
            description = "Index of sql/service_dependencies.sql's service graph, for the edge latency (default:"
                    + " ${DEFAULT-VALUE}).")
    String serviceGraphIndex = "service-graph";

    @Option(
            names = "--jaeger-ui",
            paramLabel = "URL",
            description = "The Jaeger UI that the slowest traces link to, as URL/trace/<trace id> (default:"
                    + " ${DEFAULT-VALUE}, where docker/ and a local Jaeger serve it).")
    URI jaegerUi = URI.create("http://localhost:16686");

    @Option(
            names = "--compare-by",
            arity = "3",
            paramLabel = "DIMENSION A B",
            description = "Add a section 'What changed': compare's ranked features and patterns between the traces"
                    + " whose DIMENSION is A and those where it is B (as compare --by), with each top feature's"
                    + " distribution per cohort as a chart.")
    String[] compareBy;

    @Override
    public Integer call() throws IOException {
        try {
            System.out.println(write());
            return 0;
        } catch (IllegalStateException e) {
            // Elasticsearch unreachable or refusing a search: the message says what to check
            System.err.println("report: " + e.getMessage());
            return 1;
        }
    }

    /** Queries Elasticsearch, writes the page and returns its absolute path. */
    public Path write() throws IOException {
        ChartJsLibrary chartJs = ChartJsLibrary.fromClasspath();
        ReportContent content = ReportQueries.read(
                elasticsearch.url,
                ReportCharts.over(summariesIndex, featuresIndex, criticalPathIndex, serviceGraphIndex),
                spanMetricsIndex,
                Optional.ofNullable(since),
                Optional.ofNullable(compareBy),
                featuresIndex,
                Clock.systemUTC());
        Path page = output.toAbsolutePath().normalize();
        Files.createDirectories(page.getParent());
        Files.writeString(page, ReportPage.render(content, jaegerUi, chartJs), StandardCharsets.UTF_8);
        return page;
    }

    /** The same timestamps as run's --from: ISO-8601 with an offset, or epoch milliseconds. */
    public static final class TimestampConverter implements ITypeConverter<Instant> {
        @Override
        public Instant convert(String value) {
            if (value.matches("\\d+")) {
                return Instant.ofEpochMilli(Long.parseLong(value));
            }
            try {
                return OffsetDateTime.parse(value).toInstant();
            } catch (DateTimeParseException e) {
                throw new TypeConversionException(
                        "'" + value + "' is not a timestamp: give ISO-8601 like 2025-11-24T10:00:00Z, or epoch millis");
            }
        }
    }
}
