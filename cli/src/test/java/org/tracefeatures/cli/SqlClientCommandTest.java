package org.tracefeatures.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tracefeatures.runner.RunOptions;

/** The init file that `sql-client` composes for Flink's SQL client, which prints every statement it runs. */
class SqlClientCommandTest {
    @TempDir
    Path dir;

    @Test
    void anInitPartWithASecretPlaceholderIsRefusedRatherThanPrinted() throws Exception {
        Path environment = Files.writeString(
                dir.resolve("env.sql"),
                "CREATE TEMPORARY TABLE elasticsearch_connection WITH ('password' = '${ES_PASSWORD}');\n");
        RunOptions options = new RunOptions();
        options.initScripts.add(environment.toString());
        options.environmentVariables = Map.of("ES_PASSWORD", "s3cret");

        assertThatThrownBy(() -> SqlClientCommand.writeInit(dir, options, List.of()))
                .hasMessage(environment + " names ${ES_PASSWORD}: Flink's SQL client prints every init statement, so"
                        + " it would print the value; run jobs that need secrets with `run` (or `flink run"
                        + " tracefeatures-job.jar`), which fills in ${NAME} from the environment or --secrets without"
                        + " printing it.");
        assertThat(dir.resolve("init.sql")).doesNotExist();
    }
}
