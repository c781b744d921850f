package org.tracefeatures.cli;

import org.tracefeatures.runner.RunOptions;
import org.tracefeatures.runner.SqlScripts;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.List;

/** Which init scripts to run and how to bound the span source: shared by run and sql-client. */
class ScriptOptions {
    @Option(
            names = "--input",
            defaultValue = SqlScripts.DEFAULT_INPUT,
            description = "How spans are encoded in Kafka: picks sql/init/input/<input>.sql (default: ${DEFAULT-VALUE}).")
    String input;

    @Option(
            names = "--env",
            defaultValue = SqlScripts.DEFAULT_ENVIRONMENT,
            description = "Environment part: local (the embedded stack), docker, or a .sql file of your own (default: ${DEFAULT-VALUE}).")
    String environment;

    @Option(
            names = "--init",
            paramLabel = "FILE",
            description = "Init scripts to run instead of the default parts (repeatable).")
    List<String> initScripts = new ArrayList<>();

    @Option(names = "--bounded", description = "Stop at the Kafka offsets that are latest when the job starts.")
    boolean bounded;

    @Option(
            names = "--from",
            paramLabel = "earliest|latest|group|TIMESTAMP",
            description = "Where to start reading the span topic (epoch millis or ISO-8601 for a timestamp).")
    String from;

    RunOptions toRunOptions(String job) {
        RunOptions options = new RunOptions();
        options.input = input;
        options.environment = environment;
        options.initScripts.addAll(initScripts);
        options.bounded = bounded;
        options.from = from;
        options.job = job;
        return options;
    }
}
