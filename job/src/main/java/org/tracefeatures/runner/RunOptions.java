package org.tracefeatures.runner;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * What to run: the init scripts, the job script, how to bound the span source, the settings and secrets of the run.
 * The options are declared here once, for picocli: `run` and `sql-client` take them as a mixin, and the packaged job
 * ({@code flink run tracefeatures-job.jar OPTIONS JOB.sql}) parses them with {@link #parse}.
 */
public final class RunOptions {
    @Option(
            names = "--input",
            paramLabel = "ENCODING",
            defaultValue = SqlScripts.DEFAULT_INPUT,
            description =
                    "How spans are encoded in Kafka: picks sql/init/input/<input>.sql (default: ${DEFAULT-VALUE}).")
    public String input = SqlScripts.DEFAULT_INPUT;

    @Option(
            names = "--env",
            paramLabel = "local|docker|FILE",
            defaultValue = SqlScripts.DEFAULT_ENVIRONMENT,
            description = "Environment part: local (the embedded stack), docker, or a .sql file of your own"
                    + " (default: ${DEFAULT-VALUE}).")
    public String environment = SqlScripts.DEFAULT_ENVIRONMENT;

    @Option(
            names = "--init",
            paramLabel = "FILE",
            description = "Init scripts to run instead of the default parts (repeatable).")
    public List<String> initScripts = new ArrayList<>();

    @Option(names = "--bounded", description = "Stop at the Kafka offsets that are latest when the job starts.")
    public boolean bounded;

    @Option(
            names = "--from",
            paramLabel = "earliest|latest|group|TIMESTAMP",
            description = "Where to start reading the span topic (epoch millis or ISO-8601 for a timestamp).")
    public String from;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "A Flink configuration option (repeatable).")
    public Map<String, String> configuration = new LinkedHashMap<>();

    @Option(
            names = "--secrets",
            paramLabel = "FILE",
            description = "A properties file (NAME = value) with values for the init parts' $${NAME} placeholders,"
                    + " e.g. 'password' = '$${ES_PASSWORD}'; a name it lacks is taken from the environment variable"
                    + " NAME.")
    public Path secretsFile;

    /** Whether the run waits for the job to end (bounded runs end; streaming ones run until cancelled). */
    public boolean wait = true;

    @Option(names = "--no-wait", description = "Return once the job is submitted instead of waiting for it to end.")
    void noWait(boolean noWait) {
        wait = !noWait;
    }

    /** The job script; a positional parameter of the command that mixes these options in. */
    public String job;

    /** Where ${NAME} placeholders that the secrets file lacks take their values from. */
    public Map<String, String> environmentVariables = System.getenv();

    public List<String> effectiveInitScripts() {
        return initScripts.isEmpty() ? SqlScripts.initParts(input, environment) : initScripts;
    }

    /** Values for the init parts' ${NAME} placeholders. */
    public ScriptVariables variables() {
        return ScriptVariables.of(secretsFile, environmentVariables);
    }

    /** The options and job script of the packaged job's command line; a wrong one fails with the usage. */
    public static RunOptions parse(String... args) {
        PackagedJob command = new PackagedJob();
        CommandLine commandLine = new CommandLine(command);
        try {
            commandLine.parseArgs(args);
        } catch (CommandLine.ParameterException e) {
            StringWriter usage = new StringWriter();
            commandLine.usage(new PrintWriter(usage));
            throw new IllegalArgumentException(e.getMessage() + "\n" + usage);
        }
        command.options.job = command.job;
        return command.options;
    }

    /** The packaged job's command line: these options and the job script. */
    @Command(name = "SqlJobRunner", description = "Runs a tracefeatures SQL job.")
    static final class PackagedJob {
        @Mixin
        RunOptions options;

        @Parameters(paramLabel = "JOB.sql", description = "The job script, e.g. span_count.sql.")
        String job;
    }
}
