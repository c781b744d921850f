package org.tracefeatures.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SqlScriptsTest {
    @Test
    void theEnvironmentComesBeforeTheTablesThatTakeItsConnectionsOver() {
        assertThat(SqlScripts.initParts("jaeger-proto", "docker"))
                .containsExactly(
                        "init/functions.sql",
                        "init/settings.sql",
                        "init/docker.sql",
                        "init/span-topic.sql",
                        "init/input/jaeger-proto.sql",
                        "init/spans.sql",
                        "init/traces.sql",
                        "init/sinks.sql");
    }

    @Test
    void boundsAndStartsBecomeAlterTableStatements() {
        assertThat(SqlScripts.sourceOverrides("2026-11-24T10:00:00Z", true))
                .containsExactly(
                        "ALTER TABLE span_source SET ('scan.startup.mode' = 'timestamp',"
                                + " 'scan.startup.timestamp-millis' = '1795514400000')",
                        "ALTER TABLE span_source SET ('scan.bounded.mode' = 'latest-offset')");
        assertThat(SqlScripts.sourceOverrides(null, false)).isEmpty();
    }

    @Test
    void anUnknownStartSaysWhatIsAccepted() {
        assertThatThrownBy(() -> SqlScripts.sourceOverrides("yesterday", false))
                .hasMessageContaining("earliest, latest, group");
    }

    @Test
    void packagedScriptsAreFoundWithoutACheckout() {
        assertThat(SqlScripts.read("span_count.sql")).contains("INSERT INTO trace_summaries");
    }

    @Test
    void aMissingScriptSaysWhereItLooked() {
        assertThatThrownBy(() -> SqlScripts.read("nope.sql")).hasMessageContaining("No SQL script 'nope.sql'");
    }
}
