package org.tracefeatures.runner;

import org.apache.flink.table.api.TableEnvironment;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The settings a job runs with: the environment part's defaults, and what a run overrides. */
class SqlJobRunnerTest {

    private static Map<String, String> settings(String... args) {
        TableEnvironment tableEnv = SqlJobRunner.prepare(RunOptions.parse(args));
        return tableEnv.getConfig().getConfiguration().toMap();
    }

    @Test
    void everyJobCheckpointsAndRestartsWithBackoffByDefault() {
        Map<String, String> settings = settings("span_count.sql");

        assertThat(settings).containsEntry("execution.checkpointing.interval", "10 s")
                .containsEntry("execution.checkpointing.externalized-checkpoint-retention", "RETAIN_ON_CANCELLATION")
                .containsEntry("restart-strategy.type", "exponential-delay")
                // the traces view's window count per trace id lives this long (init/traces.sql)
                .containsEntry("table.exec.state.ttl", "10 min");
    }

    @Test
    void aSettingGivenForTheRunWinsOverTheEnvironmentPart() {
        Map<String, String> settings = settings("--set", "execution.checkpointing.interval=3 s", "span_count.sql");

        assertThat(settings).containsEntry("execution.checkpointing.interval", "3 s")
                .containsEntry("restart-strategy.type", "exponential-delay");
    }
}
