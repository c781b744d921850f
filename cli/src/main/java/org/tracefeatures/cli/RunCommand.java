package org.tracefeatures.cli;

import org.tracefeatures.runner.RunOptions;
import org.tracefeatures.runner.SqlJobRunner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(
        name = "run",
        mixinStandardHelpOptions = true,
        description = {
            "Runs a job script as the packaged job does under `flink run tracefeatures-udf.jar JOB.sql`,"
                    + " here on a local Flink MiniCluster.",
            "Without --bounded the job runs until you stop it (Ctrl-C)."
        })
class RunCommand implements Callable<Integer> {
    @Mixin ScriptOptions scripts;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "A Flink configuration option (repeatable).")
    Map<String, String> configuration = new LinkedHashMap<>();

    @Parameters(paramLabel = "JOB.sql", description = "The job script, e.g. sql/span_count.sql.")
    String job;

    @Override
    public Integer call() throws Exception {
        RunOptions options = scripts.toRunOptions(job);
        options.configuration.putAll(configuration);
        System.err.println("Running " + job + " (input " + options.input + ", init " + options.effectiveInitScripts() + ")");
        SqlJobRunner.run(options);
        return 0;
    }
}
