package org.tracefeatures.runner;

import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.types.Row;
import org.apache.flink.util.CloseableIterator;
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
        String plan = explain(environment, "span_count.sql");

        assertThat(plan).contains("COLLECT_TRACE").contains("SESSION").contains("trace_summaries");
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "docker"})
    void traceFeaturesPlansAsOneJobThatAssemblesTracesOnce(String environment) {
        String plan = explain(environment, "trace_features.sql");

        assertThat(plan).contains("trace_features").contains("trace_critical_path");
        // both sinks share one trace assembly (window aggregation) in the execution plan
        String execution = plan.substring(plan.indexOf("== Optimized Execution Plan =="));
        assertThat(execution.split("WindowAggregate", -1)).hasSize(2);
    }

    private static String explain(String environment, String job) {
        TableEnvironment tableEnv =
                SqlJobRunner.prepare(RunOptions.parse("--env", environment, "--from", "earliest", "--bounded", job));
        String statement = SqlStatements.split(SqlScripts.read(job)).get(0);
        String explainable = statement.replaceFirst("(?is)^.*?EXECUTE\\s+(STATEMENT\\s+SET)", "$1");
        try (CloseableIterator<Row> rows = tableEnv.executeSql("EXPLAIN " + explainable).collect()) {
            return String.valueOf(rows.next().getField(0));
        } catch (Exception e) {
            throw new AssertionError("EXPLAIN failed for " + job, e);
        }
    }
}
