package org.tracefeatures.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * Every command's --help as a user reads it. picocli fills in ${NAME} in descriptions from system properties and
 * environment variables, so a description that means the init parts' placeholder must write $${NAME}; written
 * plainly, the help shows "null" where the README shows ${NAME}.
 */
class CommandHelpTest {

    @Test
    void noHelpShowsAPlaceholderFilledWithNull() {
        List<CommandLine> commands = new ArrayList<>();
        collect(TracefeaturesCli.commandLine(), commands);
        assertThat(commands)
                .extracting(CommandLine::getCommandName)
                .contains("run", "sql-client", "simulate", "retention", "stop-job");
        for (CommandLine command : commands) {
            String help = command.getUsageMessage(CommandLine.Help.Ansi.OFF);
            assertThat(help)
                    .as("help of %s", command.getCommandName())
                    .doesNotContain("'null'")
                    .doesNotContainPattern("\\bnull\\b");
        }
    }

    @Test
    void runsHelpNamesThePlaceholdersAsTheInitPartsWriteThem() {
        String help = TracefeaturesCli.commandLine()
                .getSubcommands()
                .get("run")
                .getUsageMessage(CommandLine.Help.Ansi.OFF)
                .replaceAll("\\s+", " ");
        assertThat(help).contains("the init parts' ${NAME} placeholders, e.g. 'password' = '${ES_PASSWORD}'");
    }

    private static void collect(CommandLine command, List<CommandLine> into) {
        into.add(command);
        command.getSubcommands().values().forEach(sub -> collect(sub, into));
    }
}
