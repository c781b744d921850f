package org.tracefeatures.runner;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Stream;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.types.Row;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every job script plans against the packaged init parts of every environment and every input:
 * catches SQL that names a missing column or function, or that the planner cannot run as a stream,
 * without a cluster.
 */
class JobScriptsPlanTest {

    static Stream<Arguments> environmentsAndInputs() {
        return Stream.of("local", "docker")
                .flatMap(environment -> Stream.of("jaeger-proto", "jaeger-json", "otlp-proto")
                        .map(input -> Arguments.of(environment, input)));
    }

    @ParameterizedTest
    @MethodSource("environmentsAndInputs")
    void spanCountPlansInEveryEnvironmentWithEveryInput(String environment, String input) {
        String plan = explain(environment, input, "span_count.sql");

        assertThat(plan).contains("COLLECT_TRACE").contains("SESSION").contains("trace_summaries");
    }

    @ParameterizedTest
    @MethodSource("environmentsAndInputs")
    void traceFeaturesPlansAsOneJobThatAssemblesTracesOnce(String environment, String input) {
        String plan = explain(environment, input, "trace_features.sql");

        assertThat(plan).contains("trace_features").contains("trace_critical_path");
        // both sinks share one trace assembly (session window aggregation) in the execution plan
        String execution = plan.substring(plan.indexOf("== Optimized Execution Plan =="));
        assertThat(execution.split("window=\\[SESSION", -1)).hasSize(2);
    }

    @ParameterizedTest
    @MethodSource("environmentsAndInputs")
    void serviceDependenciesPlansAsOneJobOverTracesAssembledOnce(String environment, String input) {
        String plan = explain(environment, input, "service_dependencies.sql");

        assertThat(plan)
                .contains("jaeger_dependencies")
                .contains("SERVICE_CALLS")
                .contains("DEPENDENCY_LINKS")
                .contains("CUMULATE")
                .contains("max_size=[1 h], step=[1 min]")
                .contains("service_graph")
                .contains("SERVICE_GRAPH_REQUESTS")
                .contains("TUMBLE")
                .contains("size=[1 min]")
                .contains("WindowRank");
        // Jaeger's dependency graph and the service graph share one trace assembly in the execution plan, and the
        // guard's ranking and fold share the service graph's first stage: its requests are worked out once a trace
        String execution = plan.substring(plan.indexOf("== Optimized Execution Plan =="));
        assertThat(execution.split("window=\\[SESSION", -1)).hasSize(2);
        assertThat(execution.split("invocation=\\[SERVICE_GRAPH_REQUESTS", -1)).hasSize(2);
        // the links, the service graph's stage 1 and its fold: each a window aggregate, written once per window
        assertThat(execution.split("GlobalWindowAggregate", -1)).hasSize(4);
    }

    @ParameterizedTest
    @MethodSource("environmentsAndInputs")
    void spanMetricsPlansAsMinuteWindowsOverSpansWithoutTraceAssembly(String environment, String input) {
        String plan = explain(environment, input, "span_metrics.sql");

        assertThat(plan)
                .contains("span_metrics")
                .contains("TUMBLE")
                .contains("size=[1 min]")
                .contains("LATENCY_SKETCH")
                .contains("LATENCY_HISTOGRAM")
                .contains("WindowRank")
                .contains("WindowJoin")
                .doesNotContain("SESSION")
                .doesNotContain("COLLECT_TRACE");
    }

    private static String explain(String environment, String input, String job) {
        return explain(
                SqlJobRunner.prepare(RunOptions.parse(
                        "--env", environment, "--input", input, "--from", "earliest", "--bounded", job)),
                job,
                "");
    }

    /** Runs the job's SET and CREATE statements, then explains its last statement, the job, with these details. */
    static String explain(TableEnvironment tableEnv, String job, String details) {
        List<String> statements = SqlStatements.split(SqlScripts.read(job));
        for (String setup : statements.subList(0, statements.size() - 1)) {
            if (!SqlJobRunner.applySet(tableEnv, setup)) {
                tableEnv.executeSql(setup);
            }
        }
        String statement = statements.get(statements.size() - 1);
        String explainable = statement.replaceFirst("(?is)^.*?EXECUTE\\s+(STATEMENT\\s+SET)", "$1");
        try (CloseableIterator<Row> rows =
                tableEnv.executeSql("EXPLAIN " + details + " " + explainable).collect()) {
            return String.valueOf(rows.next().getField(0));
        } catch (Exception e) {
            throw new AssertionError("EXPLAIN failed for " + job, e);
        }
    }
}
