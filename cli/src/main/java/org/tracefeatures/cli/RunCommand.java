package org.tracefeatures.cli;

import java.util.Optional;
import java.util.concurrent.Callable;
import org.tracefeatures.runner.RunOptions;
import org.tracefeatures.runner.SqlJobRunner;
import org.tracefeatures.stack.FlinkClusterConfig;
import org.tracefeatures.stack.LocalStackConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
        name = "run",
        mixinStandardHelpOptions = true,
        description = {
            "Runs a job script as the packaged job does under `flink run tracefeatures-job.jar JOB.sql`,"
                    + " here on a local Flink MiniCluster, or (--target cluster) on the cluster of `cluster up`.",
            "Without --bounded the job runs until you stop it: on the MiniCluster with Ctrl-C; on the cluster"
                    + " this command returns once the job is submitted, printing its id and web UI page."
        })
class RunCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    RunOptions options;

    enum Target {
        local,
        cluster
    }

    @Option(
            names = "--target",
            defaultValue = "local",
            description = "local: a MiniCluster in this process; cluster: submit to the Flink cluster of `cluster up`,"
                    + " shipping job/target/tracefeatures-job.jar (default: ${DEFAULT-VALUE}).")
    Target target;

    @Option(
            names = "--cluster-port",
            paramLabel = "PORT",
            defaultValue = "" + FlinkClusterConfig.DEFAULT_REST_PORT,
            description = "With --target cluster: the cluster's REST port on 127.0.0.1 (default: ${DEFAULT-VALUE}).")
    int clusterPort;

    @Option(
            names = "--savepoint",
            paramLabel = "PATH",
            description = "Start from this savepoint (what `cluster stop-job` prints) or retained checkpoint: its open"
                    + " trace windows and Kafka offsets; the same as --set execution.state-recovery.path=PATH.")
    String savepoint;

    @Parameters(paramLabel = "JOB.sql", description = "The job script, e.g. sql/span_count.sql.")
    String job;

    @Override
    public Integer call() throws Exception {
        options.job = job;
        if (target == Target.cluster) {
            // a --set of the same key wins
            ClusterSubmission.configuration(
                            "127.0.0.1", clusterPort, ClusterSubmission.shadedJar(LocalStackConfig.projectHome()))
                    .forEach(options.configuration::putIfAbsent);
            options.wait = options.bounded;
        }
        if (target == Target.local && options.bounded) {
            BoundedRuns.quietDeclinedCheckpoints();
        }
        if (savepoint != null) {
            options.configuration.put("execution.state-recovery.path", savepoint);
        }
        System.err.println(
                "Running " + job + " (input " + options.input + ", init " + options.effectiveInitScripts() + ")");
        Optional<String> jobId =
                SqlJobRunner.run(options).map(client -> client.getJobID().toString());
        if (target == Target.cluster && jobId.isPresent()) {
            spec.commandLine().getOut().println(jobId.get());
            System.err.println("Web UI: " + ClusterSubmission.webUi("127.0.0.1", clusterPort, jobId.get()));
        }
        return 0;
    }
}
