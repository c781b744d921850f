package org.tracefeatures.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.parallel.ResourceAccessMode;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.tracefeatures.runner.SqlScripts;

/**
 * Credentials given as environment variables reach the connectors and nothing else: `run` (as `bin/tracefeatures run`,
 * a JVM of its own logging everything at INFO) with an environment part whose 'username', 'password' and Kafka JAAS
 * login are ${NAME} placeholders. Elasticsearch sits behind {@link AuthenticatingProxy}, which lets through only
 * requests with the right user name and password: the documents arriving prove that the sink sent them.
 */
@ExtendWith({RealStack.class, RealFlinkCluster.class})
@ResourceLock(value = RealStack.SHARED_PROCESSES, mode = ResourceAccessMode.READ)
class CredentialsITCase {
    private static final String ES_USERNAME = "feature-writer";
    // new for every run, so that no log of an earlier run can hold them
    private static final String ES_PASSWORD = "es-" + UUID.randomUUID();
    private static final String KAFKA_PASSWORD = "kafka-" + UUID.randomUUID();
    /** HotROD original: 53 spans per trace (HotrodExpectations). */
    private static final int TRACES = 5;

    private static AuthenticatingProxy proxy;
    private static RealStack.Scope scope;

    @BeforeAll
    static void startProxyAndSimulate() throws IOException {
        proxy = new AuthenticatingProxy(
                URI.create("http://127.0.0.1:" + RealStack.ELASTICSEARCH_PORT), ES_USERNAME, ES_PASSWORD);
        scope = RealStack.newScope("credentials");
        scope.simulate("hotrod-original", TRACES, "credentials", 41);
    }

    @AfterAll
    static void stopProxy() {
        if (proxy != null) {
            proxy.close();
        }
    }

    @Test
    void theSinkSendsTheCredentialsAndTheRunPrintsAndLogsNoSecret() throws Exception {
        CliProcess.Result run = CliProcess.run(
                RealStack.WORK_DIR.resolve("credentials-local"),
                secrets(ES_PASSWORD),
                process -> {},
                runArguments("trace-summaries-local"));

        assertThat(run.exitCode()).as("exit code; stderr:%n%s", run.err()).isZero();
        assertSummaries(scope.documents("trace-summaries-local"));
        assertThat(proxy.forwardedBulkRequests()).isPositive();
        // the Kafka client logged its whole configuration, the JAAS login masked by Kafka itself; the sink logged
        // that it reached Elasticsearch (through the proxy, so with the credentials)
        assertThat(run.err())
                .contains(
                        "ConsumerConfig values",
                        "sasl.jaas.config = [hidden]",
                        "Elasticsearch RestHighLevelClient is connected to [" + proxy.url() + "]")
                .doesNotContain(ES_PASSWORD, KAFKA_PASSWORD);
        assertThat(run.out()).doesNotContain(ES_PASSWORD, KAFKA_PASSWORD);
    }

    @Test
    void onTheClusterNeitherTheWebUiNorTheLogsShowASecret() throws Exception {
        int forwardedBefore = proxy.forwardedBulkRequests();
        CliProcess.Result run = CliProcess.run(
                RealStack.WORK_DIR.resolve("credentials-cluster"),
                secrets(ES_PASSWORD),
                process -> {},
                runArguments(
                        "trace-summaries-cluster",
                        "--target",
                        "cluster",
                        "--cluster-port",
                        String.valueOf(RealFlinkCluster.REST_PORT)));

        assertThat(run.exitCode()).as("exit code; stderr:%n%s", run.err()).isZero();
        assertSummaries(scope.documents("trace-summaries-cluster"));
        assertThat(proxy.forwardedBulkRequests()).isGreaterThan(forwardedBefore);
        assertThat(run.everything()).doesNotContain(ES_PASSWORD, KAFKA_PASSWORD);
        String jobId = run.out().trim();
        assertThat(jobId).matches("[0-9a-f]{32}");
        // what the web UI shows of the job: name, state, vertices and their descriptions, the plan, the job's
        // configuration, the cluster's configuration, the exceptions
        StringBuilder webUi = new StringBuilder();
        for (String path : List.of(
                "/jobs/" + jobId,
                "/jobs/" + jobId + "/plan",
                "/jobs/" + jobId + "/config",
                "/jobs/" + jobId + "/jobmanager/config",
                "/jobs/" + jobId + "/exceptions",
                "/jobs/" + jobId + "/checkpoints/config",
                "/jobmanager/config",
                "/taskmanagers")) {
            webUi.append(RealFlinkCluster.rest(path)).append('\n');
        }
        assertThat(webUi.toString())
                .contains("\"name\":\"tracefeatures span_count\"", "Sink", "span_source")
                .doesNotContain(ES_PASSWORD, KAFKA_PASSWORD);
        assertThat(clusterLogs()).contains(jobId).doesNotContain(ES_PASSWORD, KAFKA_PASSWORD);
    }

    @Test
    void aWrongPasswordIsRefusedBeforeTheJobIsSubmittedWithWhatToFix() throws Exception {
        String wrongPassword = "wrong-" + UUID.randomUUID();
        int forwardedBefore = proxy.forwardedBulkRequests();

        CliProcess.Result run = CliProcess.run(
                RealStack.WORK_DIR.resolve("credentials-wrong"),
                secrets(wrongPassword),
                process -> {},
                runArguments("trace-summaries-wrong"));

        assertThat(run.exitCode()).isNotZero();
        assertThat(run.err())
                .contains(
                        "Authentication failed: Elasticsearch at " + proxy.url() + " answered HTTP 401"
                                + " Unauthorized to the user name and password of table ",
                        "({\"error\":{\"type\":\"security_exception\"",
                        ". Check the password (${IT_ES_PASSWORD}: the environment variable IT_ES_PASSWORD or the --secrets"
                                + " entry IT_ES_PASSWORD) and the user name (${IT_ES_USERNAME}: the environment variable"
                                + " IT_ES_USERNAME or the --secrets entry IT_ES_USERNAME) that the environment part's"
                                + " elasticsearch_connection gives as 'password' and 'username'; the job was not submitted.")
                .doesNotContain("Submitted", wrongPassword, ES_USERNAME, KAFKA_PASSWORD);
        assertThat(proxy.forwardedBulkRequests()).isEqualTo(forwardedBefore);
    }

    /** The values of the environment part's placeholders, as environment variables of the CLI. */
    private static Map<String, String> secrets(String esPassword) {
        return Map.of("IT_ES_USERNAME", ES_USERNAME, "IT_ES_PASSWORD", esPassword, "IT_KAFKA_PASSWORD", KAFKA_PASSWORD);
    }

    private static String[] runArguments(String index, String... moreOptions) throws IOException {
        // the test broker speaks PLAINTEXT: its clients take the JAAS login (and log their configuration) without
        // using it
        Path environment = scope.part("secured-env-" + index + ".sql", """
                CREATE TEMPORARY TABLE kafka_connection WITH (
                  'connector' = 'kafka',
                  'properties.bootstrap.servers' = '%s',
                  'properties.sasl.jaas.config' = 'org.apache.kafka.common.security.plain.PlainLoginModule required username="span-reader" password="${IT_KAFKA_PASSWORD}";'
                );
                CREATE TEMPORARY TABLE elasticsearch_connection WITH (
                  'connector' = 'tracefeatures-elasticsearch',
                  'sink.flush-on-checkpoint' = 'true',
                  'hosts' = '%s',
                  'username' = '${IT_ES_USERNAME}',
                  'password' = '${IT_ES_PASSWORD}'
                );
                """.formatted(RealStack.kafka(), proxy.url()));
        List<String> args = new ArrayList<>(List.of("run", "--bounded"));
        args.addAll(List.of(moreOptions));
        for (String part : SqlScripts.initParts(SqlScripts.DEFAULT_INPUT, environment.toString())) {
            args.addAll(List.of("--init", part));
        }
        args.addAll(
                List.of("--init", scope.overridesPart("trace_summaries", index).toString(), "span_count.sql"));
        return args.toArray(String[]::new);
    }

    private static void assertSummaries(List<JsonNode> documents) {
        assertThat(documents).hasSize(TRACES);
        for (JsonNode document : documents) {
            assertThat(document.at("/_source/spanCount").asLong()).isEqualTo(53);
        }
    }

    private static String clusterLogs() throws IOException {
        StringBuilder logs = new StringBuilder();
        try (Stream<Path> files =
                Files.list(RealStack.WORK_DIR.resolve("flink-cluster").resolve("logs"))) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                logs.append(Files.readString(file));
            }
        }
        return logs.toString();
    }
}
