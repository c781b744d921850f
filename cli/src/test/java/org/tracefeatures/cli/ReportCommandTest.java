package org.tracefeatures.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.tracefeatures.stack.LocalStackConfig;
import picocli.CommandLine;

class ReportCommandTest {
    @Test
    void sinceTakesIsoTimestampsAndEpochMillis() {
        ReportCommand.TimestampConverter converter = new ReportCommand.TimestampConverter();

        assertThat(converter.convert("2025-11-24T10:00:00.250Z")).isEqualTo(Instant.parse("2025-11-24T10:00:00.250Z"));
        assertThat(converter.convert("2025-11-24T11:00:00+01:00")).isEqualTo(Instant.parse("2025-11-24T10:00:00Z"));
        assertThat(converter.convert("1763978400250")).isEqualTo(Instant.parse("2025-11-24T10:00:00.250Z"));
        assertThatThrownBy(() -> converter.convert("yesterday"))
                .isInstanceOf(CommandLine.TypeConversionException.class)
                .hasMessageContaining("give ISO-8601 like 2025-11-24T10:00:00Z, or epoch millis");
    }

    @Test
    void theDefaultsReadTheLocalStackIntoTheCheckout() {
        ReportCommand report = new ReportCommand();
        new CommandLine(report).parseArgs();

        assertThat(report.elasticsearch.url).isEqualTo(URI.create("http://127.0.0.1:9200"));
        // the checkout: the system property tracefeatures.home, which bin/tracefeatures sets
        assertThat(report.output).isEqualTo(LocalStackConfig.projectHome().resolve(".tracefeatures/report.html"));
        assertThat(report.since).isNull();
        assertThat(report.summariesIndex).isEqualTo("trace-summaries");
        assertThat(report.featuresIndex).isEqualTo("trace-features");
        assertThat(report.criticalPathIndex).isEqualTo("trace-critical-path");
        assertThat(report.spanMetricsIndex).isEqualTo("span-metrics");
        assertThat(report.serviceGraphIndex).isEqualTo("service-graph");
    }

    @Test
    void theServiceGraphIndexIsAnOption() {
        ReportCommand report = new ReportCommand();
        new CommandLine(report).parseArgs("--service-graph-index", "service-graph-staging");

        assertThat(report.serviceGraphIndex).isEqualTo("service-graph-staging");
        assertThat(new CommandLine(new ReportCommand()).getUsageMessage(CommandLine.Help.Ansi.OFF))
                .contains("--service-graph-index=INDEX");
    }

    @Test
    void aReportMadeInCodeAsDemoMakesItHasItsElasticsearchOptionAndPicocliFillsIt() {
        // demo sets the URL on a report it creates without picocli
        ReportCommand inCode = new ReportCommand();
        assertThat(inCode.elasticsearch.url).isEqualTo(URI.create("http://127.0.0.1:9200"));

        ReportCommand parsed = new ReportCommand();
        new CommandLine(parsed).parseArgs("--elasticsearch", "http://es.example:9201");
        assertThat(parsed.elasticsearch.url).isEqualTo(URI.create("http://es.example:9201"));
    }

    @Test
    void theCliListsTheCommand() {
        assertThat(TracefeaturesCli.commandLine().getSubcommands()).containsKey("report");
    }
}
