package org.tracefeatures.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScriptVariablesTest {
    @TempDir
    Path dir;

    @Test
    void placeholdersInOptionValuesTakeEnvironmentVariablesWithTheirQuotesDoubled() {
        ScriptVariables variables = ScriptVariables.of(null, Map.of("ES_PASSWORD", "it's s3cret", "USER", "writer"));

        String script = variables.substitute(
                "env.sql", "CREATE TABLE t WITH ('username' = '${USER}', 'password' = 'x${ES_PASSWORD}y');");

        assertThat(script).isEqualTo("CREATE TABLE t WITH ('username' = 'writer', 'password' = 'xit''s s3crety');");
    }

    @Test
    void commentsAndIdentifiersAreLeftAsTheyAre() {
        ScriptVariables variables = ScriptVariables.of(null, Map.of());
        String script = "-- 'password' = '${ES_PASSWORD}'\n/* '${ES_PASSWORD}' */ SELECT `it's ${X}`, \"${Y}\";";

        assertThat(variables.substitute("env.sql", script)).isEqualTo(script);
    }

    @Test
    void theSecretsFileWinsOverTheEnvironment() throws IOException {
        Path secrets = Files.writeString(dir.resolve("secrets.properties"), "ES_PASSWORD = from the file\n");
        ScriptVariables variables =
                ScriptVariables.of(secrets, Map.of("ES_PASSWORD", "from the environment", "ES_USERNAME", "writer"));

        assertThat(variables.substitute("env.sql", "'${ES_USERNAME}:${ES_PASSWORD}'"))
                .isEqualTo("'writer:from the file'");
    }

    @Test
    void anUnsetVariableIsAnErrorThatSaysWhereToSetIt() throws IOException {
        Path secrets = Files.writeString(dir.resolve("secrets.properties"), "OTHER = x\n");

        assertThatThrownBy(() -> ScriptVariables.of(null, Map.of()).substitute("prod.sql", "'${ES_PASSWORD}'"))
                .hasMessage("prod.sql needs ${ES_PASSWORD}: set the environment variable ES_PASSWORD or give it in a"
                        + " --secrets file.");
        assertThatThrownBy(() -> ScriptVariables.of(secrets, Map.of()).substitute("prod.sql", "'${ES_PASSWORD}'"))
                .hasMessage("prod.sql needs ${ES_PASSWORD}: set the environment variable ES_PASSWORD or add it to "
                        + secrets + ".");
    }

    @Test
    void redactionPutsThePlaceholderBackWhereASubstitutedValueShows() {
        ScriptVariables variables = ScriptVariables.of(null, Map.of("ES_PASSWORD", "s3cret", "LONGER", "s3cret-2"));
        variables.substitute("env.sql", "'${ES_PASSWORD}' '${LONGER}'");

        assertThat(variables.redact("password s3cret, then s3cret-2"))
                .isEqualTo("password ${ES_PASSWORD}, then ${LONGER}");
        assertThat(variables.nameOf("s3cret")).contains("ES_PASSWORD");
        RuntimeException error = new IllegalStateException("outer", new RuntimeException("near 's3cret'"));
        assertThat(variables.redact(error))
                .hasMessage(
                        "java.lang.IllegalStateException: outer\nCaused by: java.lang.RuntimeException: near '${ES_PASSWORD}'")
                .hasNoCause();
        RuntimeException harmless = new IllegalStateException("nothing secret");
        assertThat(variables.redact(harmless)).isSameAs(harmless);
    }
}
