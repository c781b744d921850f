package org.tracefeatures.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.tracefeatures.runner.RunOptions;
import org.tracefeatures.runner.ScriptVariables;
import org.tracefeatures.runner.SetupException;
import org.tracefeatures.runner.SqlJobRunner;
import org.tracefeatures.runner.SqlScripts;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Unmatched;

@Command(
        name = "sql-client",
        mixinStandardHelpOptions = true,
        description = {
            "Starts Flink's own SQL client with the tracefeatures functions on its classpath and the init"
                    + " parts (functions, environment, input, traces, sinks) already run.",
            "Other arguments go to the SQL client: -f FILE runs a script and exits (e.g. -f sql/span_count.sql);"
                    + " without -f the interactive client opens. Your own -i FILE is run after ours.",
            "Jobs run on a local MiniCluster inside the client."
        })
public class SqlClientCommand implements Callable<Integer> {
    /** Flink's SQL client echoes every statement of its init file to the terminal and its log. */
    static final ScriptVariables NO_PLACEHOLDERS = ScriptVariables.refusing(
            "Flink's SQL client prints every init"
                    + " statement, so it would print the value; run jobs that need secrets with `run` (or `flink run"
                    + " tracefeatures-job.jar`), which fills in ${NAME} from the environment or --secrets without printing it.");

    @Mixin
    RunOptions options;

    @Unmatched
    List<String> clientArguments = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        return start(Files.createTempDirectory("tracefeatures-sql-client"), ProcessBuilder.Redirect.INHERIT);
    }

    /** Runs the client to its end with this command's options; returns its exit code. */
    public int start(Path workDir, ProcessBuilder.Redirect output) throws Exception {
        List<String> arguments = new ArrayList<>(clientArguments);
        List<String> userInit = takeInitFiles(arguments);
        if (options.secretsFile != null || !options.wait) {
            throw new SetupException("sql-client takes neither --secrets (Flink's SQL client prints every init"
                    + " statement, so it would print the values) nor --no-wait: use run for those.");
        }
        // what the client's jobs will read and write, the user's init files included (they may name the topic)
        RunOptions checked = new RunOptions();
        checked.initScripts.addAll(options.effectiveInitScripts());
        checked.initScripts.addAll(userInit);
        checked.configuration.putAll(options.configuration);
        SqlJobRunner.checkConnections(checked, NO_PLACEHOLDERS);
        Path init = writeInit(workDir, options, userInit);
        SqlClientProcess client = new SqlClientProcess(workDir);
        System.err.println("SQL client init: " + init + "; log: " + client.logFile());
        return client.run(init, arguments, output);
    }

    /** Removes the -i/--init FILE pairs from the client's arguments: the client takes only one. */
    private static List<String> takeInitFiles(List<String> arguments) {
        List<String> files = new ArrayList<>();
        for (int i = 0; i < arguments.size(); ) {
            String arg = arguments.get(i);
            if ((arg.equals("-i") || arg.equals("--init")) && i + 1 < arguments.size()) {
                files.add(arguments.get(i + 1));
                arguments.subList(i, i + 2).clear();
            } else {
                i++;
            }
        }
        return files;
    }

    /**
     * One init file composed from the parts, the source bounds, the --set options and the user's own init files. A
     * -f INSERT on a local MiniCluster only finishes if the client waits for it: dml-sync.
     */
    static Path writeInit(Path workDir, RunOptions options, List<String> userInit) throws IOException {
        StringBuilder text = new StringBuilder();
        for (String part : options.effectiveInitScripts()) {
            text.append("-- ")
                    .append(part)
                    .append('\n')
                    .append(NO_PLACEHOLDERS.substitute(part, SqlScripts.read(part)))
                    .append("\n\n");
        }
        for (String statement : SqlScripts.sourceOverrides(options.from, options.bounded)) {
            text.append(statement).append(";\n");
        }
        text.append("SET 'table.dml-sync' = 'true';\n");
        // --set wins over the parts' SETs, as under run
        options.configuration.forEach((key, value) -> text.append("SET '")
                .append(key.replace("'", "''"))
                .append("' = '")
                .append(value.replace("'", "''"))
                .append("';\n"));
        for (String file : userInit) {
            text.append("-- ")
                    .append(file)
                    .append('\n')
                    .append(SqlScripts.read(file))
                    .append("\n");
        }
        Path init = workDir.resolve("init.sql");
        Files.writeString(init, text.toString(), StandardCharsets.UTF_8);
        return init;
    }
}
