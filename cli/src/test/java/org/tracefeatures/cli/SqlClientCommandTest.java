package org.tracefeatures.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tracefeatures.runner.RunOptions;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The init file that `sql-client` composes for Flink's SQL client, which knows no ${NAME} placeholders. */
class SqlClientCommandTest {
    @TempDir Path dir;

    @Test
    void theInitFileHasThePlaceholdersFilledInAndOnlyItsOwnerMayReadIt() throws Exception {
        Path environment = Files.writeString(dir.resolve("env.sql"),
                "CREATE TEMPORARY TABLE elasticsearch_connection WITH ('password' = '${ES_PASSWORD}');\n");
        Path secrets = Files.writeString(dir.resolve("secrets.properties"), "ES_PASSWORD = it's s3cret\n");
        RunOptions options = new RunOptions();
        options.initScripts.add(environment.toString());
        options.secretsFile = secrets;
        options.environmentVariables = Map.of();

        Path init = SqlClientCommand.writeInit(dir, options, List.of());

        assertThat(Files.readString(init)).contains("WITH ('password' = 'it''s s3cret');");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(init))).isEqualTo("rw-------");
    }
}
