package org.tracefeatures.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RunOptionsTest {

    @Test
    void theDefaultsAreTheLocalStackAndJaegersProtobufInput() {
        RunOptions options = RunOptions.parse("span_count.sql");

        assertThat(options.job).isEqualTo("span_count.sql");
        assertThat(options.input).isEqualTo("jaeger-proto");
        assertThat(options.environment).isEqualTo("local");
        assertThat(options.initScripts).isEmpty();
        assertThat(options.bounded).isFalse();
        assertThat(options.from).isNull();
        assertThat(options.configuration).isEmpty();
        assertThat(options.secretsFile).isNull();
        assertThat(options.wait).isTrue();
    }

    @Test
    void everyOptionOfThePackagedJob() {
        RunOptions options = RunOptions.parse(
                "--input",
                "otlp-proto",
                "--env",
                "docker",
                "--init",
                "a.sql",
                "--init",
                "b.sql",
                "--bounded",
                "--from",
                "2026-12-05T10:00:00Z",
                "--set",
                "parallelism.default=2",
                "--set",
                "pipeline.name=x=y",
                "--secrets",
                "/run/secrets.properties",
                "--no-wait",
                "trace_features.sql");

        assertThat(options.job).isEqualTo("trace_features.sql");
        assertThat(options.input).isEqualTo("otlp-proto");
        assertThat(options.environment).isEqualTo("docker");
        assertThat(options.initScripts).containsExactly("a.sql", "b.sql");
        assertThat(options.bounded).isTrue();
        assertThat(options.from).isEqualTo("2026-12-05T10:00:00Z");
        assertThat(options.configuration)
                .containsExactly(Map.entry("parallelism.default", "2"), Map.entry("pipeline.name", "x=y"));
        assertThat(options.secretsFile).isEqualTo(Path.of("/run/secrets.properties"));
        assertThat(options.wait).isFalse();
        assertThat(options.effectiveInitScripts()).isEqualTo(List.of("a.sql", "b.sql"));
    }

    @Test
    void aMissingJobOrAnUnknownOptionFailsWithTheUsage() {
        assertThatThrownBy(() -> RunOptions.parse("--bounded"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("JOB.sql")
                .hasMessageContaining("Usage: SqlJobRunner");
        assertThatThrownBy(() -> RunOptions.parse("--no-such-option", "span_count.sql"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--no-such-option")
                .hasMessageContaining("--from=earliest|latest|group|TIMESTAMP");
        assertThatThrownBy(() -> RunOptions.parse("--set", "no-equals-sign", "span_count.sql"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no-equals-sign");
    }
}
