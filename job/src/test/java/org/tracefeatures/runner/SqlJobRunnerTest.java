package org.tracefeatures.runner;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.table.api.TableEnvironment;
import org.junit.jupiter.api.Test;

/** The settings a job runs with: the environment part's defaults, and what a run overrides. */
class SqlJobRunnerTest {

    private static Map<String, String> settings(String... args) {
        TableEnvironment tableEnv = SqlJobRunner.prepare(RunOptions.parse(args));
        return tableEnv.getConfig().getConfiguration().toMap();
    }

    @Test
    void everyJobCheckpointsAndRestartsWithBackoffByDefault() {
        Map<String, String> settings = settings("span_count.sql");

        assertThat(settings)
                .containsEntry("execution.checkpointing.interval", "10 s")
                .containsEntry("execution.checkpointing.externalized-checkpoint-retention", "RETAIN_ON_CANCELLATION")
                .containsEntry("restart-strategy.type", "exponential-delay")
                // the traces view's window count per trace id lives this long (init/traces.sql)
                .containsEntry("table.exec.state.ttl", "10 min");
    }

    @Test
    void everyJobHandsRowsBetweenChainedOperatorsWithoutCopies() {
        assertThat(settings("span_count.sql")).containsEntry("pipeline.object-reuse", "true");
    }

    @Test
    void aSettingGivenForTheRunWinsOverTheEnvironmentPart() {
        Map<String, String> settings = settings("--set", "execution.checkpointing.interval=3 s", "span_count.sql");

        assertThat(settings)
                .containsEntry("execution.checkpointing.interval", "3 s")
                .containsEntry("restart-strategy.type", "exponential-delay");
    }

    @Test
    void aJobForAClusterRunsWithParallelismOneUnlessTheRunSaysOtherwise() {
        TableEnvironment remote =
                SqlJobRunner.prepare(RunOptions.parse("--set", "execution.target=remote", "span_count.sql"));
        TableEnvironment remoteWithTwo = SqlJobRunner.prepare(RunOptions.parse(
                "--set", "execution.target=remote", "--set", "parallelism.default=2", "span_count.sql"));
        TableEnvironment local = SqlJobRunner.prepare(RunOptions.parse("span_count.sql"));

        assertThat(remote.getConfig().get(CoreOptions.DEFAULT_PARALLELISM)).isEqualTo(1);
        assertThat(remoteWithTwo.getConfig().get(CoreOptions.DEFAULT_PARALLELISM))
                .isEqualTo(2);
        // a local MiniCluster keeps Flink's default for it: one task per core
        assertThat(local.getConfig().get(CoreOptions.DEFAULT_PARALLELISM))
                .isEqualTo(Runtime.getRuntime().availableProcessors());
    }

    @Test
    void aLocalRunKeepsItsCheckpointsInFilesAndAClusterRunInTheClustersDirectory() {
        Map<String, String> local = SqlJobRunner.prepare(RunOptions.parse("span_count.sql"))
                .getConfig()
                .getRootConfiguration()
                .toMap();
        Map<String, String> remote = SqlJobRunner.prepare(
                        RunOptions.parse("--set", "execution.target=remote", "span_count.sql"))
                .getConfig()
                .getRootConfiguration()
                .toMap();
        Map<String, String> chosen = SqlJobRunner.prepare(RunOptions.parse(
                        "--set", "execution.checkpointing.dir=file:///var/lib/checkpoints", "span_count.sql"))
                .getConfig()
                .getRootConfiguration()
                .toMap();

        // in the JobManager's memory (no directory) a checkpoint over 5 MB fails, and with it the job
        assertThat(local)
                .containsEntry(
                        "execution.checkpointing.dir",
                        Path.of(System.getProperty("java.io.tmpdir"), "tracefeatures-checkpoints")
                                .toUri()
                                .toString());
        assertThat(remote).doesNotContainKey("execution.checkpointing.dir");
        assertThat(chosen).containsEntry("execution.checkpointing.dir", "file:///var/lib/checkpoints");
    }
}
