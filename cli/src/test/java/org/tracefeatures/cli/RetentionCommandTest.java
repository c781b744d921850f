package org.tracefeatures.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.tracefeatures.it.RealStack;
import picocli.CommandLine;

/**
 * Which names retention takes for daily indexes of ours, without Elasticsearch (RetentionITCase runs the command
 * against a real node): a prefix of every index template the project installs, then a valid date and nothing else.
 */
class RetentionCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aDailyNameIsAPrefixOfOursAndAValidDate() {
        assertThat(RetentionCommand.day("trace-summaries-2001-02-03")).isEqualTo(LocalDate.of(2001, 2, 3));
        assertThat(RetentionCommand.day("trace-features-2001-02-03")).isEqualTo(LocalDate.of(2001, 2, 3));
        assertThat(RetentionCommand.day("trace-critical-path-2001-02-03")).isEqualTo(LocalDate.of(2001, 2, 3));
        assertThat(RetentionCommand.day("span-metrics-2001-02-03")).isEqualTo(LocalDate.of(2001, 2, 3));
        assertThat(RetentionCommand.day("service-graph-2001-02-03")).isEqualTo(LocalDate.of(2001, 2, 3));

        assertThat(RetentionCommand.day("jaeger-dependencies-2001-02-03")).isNull(); // Jaeger's es-index-cleaner's
        assertThat(RetentionCommand.day("service-graph")).isNull(); // the alias
        assertThat(RetentionCommand.day("service-graph-keepme")).isNull();
        assertThat(RetentionCommand.day("service-graph-2001-02-30")).isNull();
        assertThat(RetentionCommand.day("service-graph-2001-02-03-copy")).isNull();
        assertThat(RetentionCommand.day("service-graph-it-report-1a2b3c4d-2001-02-03"))
                .isNull();
        assertThat(RetentionCommand.day("old-service-graph-2001-02-03")).isNull();
    }

    @Test
    void everyIndexTemplateOfOursHasItsPrefix() throws IOException {
        List<String> templatePrefixes = new ArrayList<>();
        try (Stream<Path> templates = Files.list(RealStack.HOME.resolve("sql/index-templates"))) {
            for (Path template : templates.sorted().toList()) {
                JsonNode parsed = JSON.readTree(template.toFile());
                assertThat(parsed.at("/template/mappings/_meta/owner").asText())
                        .as("_meta.owner of %s", template)
                        .isEqualTo(RetentionCommand.OWNER);
                // daily indexes <prefix>-yyyy-MM-dd, matched by the template as <prefix>-*
                for (JsonNode pattern : parsed.path("index_patterns")) {
                    assertThat(pattern.asText())
                            .as("index pattern of %s", template)
                            .endsWith("-*");
                    templatePrefixes.add(
                            pattern.asText().substring(0, pattern.asText().length() - 2));
                }
            }
        }

        assertThat(templatePrefixes).contains("span-metrics", "service-graph");
        assertThat(RetentionCommand.PREFIXES).containsExactlyInAnyOrderElementsOf(templatePrefixes);
    }

    @Test
    void theHelpNamesEveryPrefix() {
        String help = new CommandLine(new RetentionCommand())
                .getUsageMessage(CommandLine.Help.Ansi.OFF)
                .replaceAll("\\s+", " ");

        for (String prefix : RetentionCommand.PREFIXES) {
            assertThat(help).contains(" " + prefix + "-");
        }
    }
}
