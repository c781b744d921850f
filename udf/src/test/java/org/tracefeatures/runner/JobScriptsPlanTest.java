package org.tracefeatures.runner;

import org.apache.flink.table.api.TableEnvironment;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every job script plans against the packaged init parts of every environment: catches SQL that
 * names a missing column or function, or that the planner cannot run as a stream, without a cluster.
 */
class JobScriptsPlanTest {

    @ParameterizedTest
    @ValueSource(strings = {"local", "docker"})
    void spanCountPlansInEveryEnvironment(String environment) {
        TableEnvironment tableEnv =
                SqlJobRunner.prepare(
                        RunOptions.parse("--env", environment, "--from", "earliest", "--bounded", "span_count.sql"));

        String job = SqlStatements.split(SqlScripts.read("span_count.sql")).get(0);
        String plan = tableEnv.explainSql(job);

        assertThat(plan).contains("COLLECT_TRACE").contains("SESSION").contains("trace_summaries");
    }
}
