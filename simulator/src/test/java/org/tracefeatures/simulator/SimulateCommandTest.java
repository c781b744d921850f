package org.tracefeatures.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class SimulateCommandTest {

    private final StringWriter err = new StringWriter();

    private int execute(String... args) {
        return new CommandLine(new SimulateCommand())
                .setErr(new PrintWriter(err))
                .execute(args);
    }

    @Test
    void theTopicFollowsTheEncodingUnlessGiven() {
        assertThat(topicOf()).isEqualTo("jaeger-spans");
        assertThat(topicOf("--encoding", "jaeger-json")).isEqualTo("jaeger-spans");
        // the OpenTelemetry Collector's default, which `run --input otlp-proto` reads
        assertThat(topicOf("--encoding", "otlp-proto")).isEqualTo("otlp_spans");
        assertThat(topicOf("--encoding", "otlp-proto", "--topic", "spans")).isEqualTo("spans");
    }

    private static String topicOf(String... args) {
        SimulateCommand command = new SimulateCommand();
        List<String> withConfig = new ArrayList<>(List.of("--config", "hotrod-original"));
        withConfig.addAll(List.of(args));
        new CommandLine(command).parseArgs(withConfig.toArray(String[]::new));
        return command.topic();
    }

    @Test
    void parsesEveryOption() {
        SimulateCommand command = new SimulateCommand();
        new CommandLine(command)
                .parseArgs(
                        "--config",
                        "hotrod-reduced",
                        "--duration",
                        "2m",
                        "--workers",
                        "4",
                        "--test-name",
                        "smoke",
                        "--seed",
                        "42",
                        "--kafka",
                        "kafka:29092",
                        "--topic",
                        "spans",
                        "--start-time",
                        "2024-05-01T14:00:00+02:00",
                        "--encoding",
                        "otlp-proto");

        assertThat(command.config).isEqualTo("hotrod-reduced");
        assertThat(command.runLength.duration).isEqualTo(Duration.ofMinutes(2));
        assertThat(command.runLength.traces).isNull();
        assertThat(command.workers).isEqualTo(4);
        assertThat(command.testName).isEqualTo("smoke");
        assertThat(command.seed).isEqualTo(42L);
        assertThat(command.kafka).isEqualTo("kafka:29092");
        assertThat(command.topic()).isEqualTo("spans");
        assertThat(command.startTime).isEqualTo(Instant.parse("2024-05-01T12:00:00Z"));
        assertThat(command.encoding).isEqualTo(SpanEncoding.OTLP_PROTO);
    }

    @Test
    void hasDefaults() {
        SimulateCommand command = new SimulateCommand();
        new CommandLine(command).parseArgs("--config", "hotrod-original");

        assertThat(command.runLength).isNull();
        assertThat(command.workers).isEqualTo(1);
        assertThat(command.kafka).isEqualTo("127.0.0.1:9092");
        assertThat(command.topic()).isEqualTo("jaeger-spans");
        assertThat(command.seed).isNull();
        assertThat(command.startTime).isNull();
        assertThat(command.encoding).isEqualTo(SpanEncoding.JAEGER_PROTO);
    }

    @Test
    void everyEncodingHasTheNameOfItsInput() {
        for (String name : new String[] {"jaeger-proto", "jaeger-json", "otlp-proto"}) {
            SimulateCommand command = new SimulateCommand();
            new CommandLine(command).parseArgs("--config", "hotrod-original", "--encoding", name);
            assertThat(command.encoding.toString()).isEqualTo(name);
        }
    }

    @Test
    void anUnknownEncodingSaysWhichExist() {
        assertThat(execute("--config", "hotrod-original", "--encoding", "thrift"))
                .isEqualTo(CommandLine.ExitCode.USAGE);
        assertThat(err.toString())
                .contains("'thrift' is not an encoding: give one of jaeger-proto, jaeger-json, otlp-proto");
    }

    @Test
    void readsDurationsWithUnits() {
        SimulateCommand.DurationConverter converter = new SimulateCommand.DurationConverter();

        assertThat(converter.convert("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(converter.convert("30s")).isEqualTo(Duration.ofSeconds(30));
        assertThat(converter.convert("2m")).isEqualTo(Duration.ofMinutes(2));
        assertThat(converter.convert("1h")).isEqualTo(Duration.ofHours(1));
        assertThat(converter.convert("PT90S")).isEqualTo(Duration.ofSeconds(90));
        assertThatThrownBy(() -> converter.convert("soon"))
                .hasMessageContaining("give a whole number and a unit, like 500ms, 30s, 2m or 1h");
    }

    @Test
    void tracesAndDurationExcludeEachOther() {
        assertThat(execute("--config", "hotrod-original", "--traces", "5", "--duration", "5s"))
                .isEqualTo(CommandLine.ExitCode.USAGE);
        assertThat(err.toString()).contains("mutually exclusive");
    }

    @Test
    void rejectsZeroWorkers() {
        assertThat(execute("--config", "hotrod-original", "--workers", "0")).isEqualTo(CommandLine.ExitCode.USAGE);
        assertThat(err.toString()).contains("--workers must be at least 1");
    }

    @Test
    void anInvalidConfigIsReportedWithoutAStackTrace() {
        assertThat(execute("--config", "no-such-config")).isEqualTo(CommandLine.ExitCode.USAGE);
        assertThat(err.toString())
                .startsWith("simulate: no config file \"no-such-config\"")
                .doesNotContain("Exception");
    }
}
