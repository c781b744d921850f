package org.tracefeatures.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Field;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.apache.flink.streaming.connectors.kafka.table.KafkaDynamicSource;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.table.api.internal.TableEnvironmentInternal;
import org.apache.flink.table.catalog.CatalogManager;
import org.apache.flink.table.catalog.ObjectIdentifier;
import org.apache.flink.table.catalog.ResolvedCatalogTable;
import org.apache.flink.table.factories.FactoryUtil;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The secrets of an environment part (test resource secured-environment.sql, the README's example) reach the
 * connectors, and none of what Flink prints about a job shows them: the plans of EXPLAIN with every detail (the JSON
 * execution plan is the graph the web UI draws) and a connector's error, which lists the table's options.
 */
class SecretsStayOutOfPlansTest {
    private static final String KAFKA_PASSWORD = "k4fka-s3cret";
    private static final String TRUSTSTORE_PASSWORD = "tru5t-s3cret";
    private static final String ES_PASSWORD = "e1astic-s3cret";
    private static final Map<String, String> ENVIRONMENT = Map.of(
            "KAFKA_USERNAME",
            "span-reader",
            "KAFKA_PASSWORD",
            KAFKA_PASSWORD,
            "KAFKA_TRUSTSTORE_PASSWORD",
            TRUSTSTORE_PASSWORD,
            "ES_USERNAME",
            "feature-writer",
            "ES_PASSWORD",
            ES_PASSWORD);

    @Test
    void kafkaSecurityPropertiesReachTheConsumersOfTheSpanSource() throws Exception {
        TableEnvironment tableEnv = prepare("span_count.sql");
        CatalogManager catalogs = ((TableEnvironmentInternal) tableEnv).getCatalogManager();
        ObjectIdentifier spanSource = ObjectIdentifier.of(
                catalogs.getCurrentCatalog(), catalogs.getCurrentDatabase(), SqlScripts.SPAN_SOURCE_TABLE);
        ResolvedCatalogTable table = (ResolvedCatalogTable)
                catalogs.getTable(spanSource).orElseThrow().getResolvedTable();

        KafkaDynamicSource source = (KafkaDynamicSource) FactoryUtil.createDynamicTableSource(
                null,
                spanSource,
                table,
                Map.of(),
                tableEnv.getConfig().getConfiguration(),
                getClass().getClassLoader(),
                true);

        // the properties that the source hands to every KafkaConsumer it creates
        Field field = KafkaDynamicSource.class.getDeclaredField("properties");
        field.setAccessible(true);
        Properties consumer = (Properties) field.get(source);
        assertThat(consumer)
                .containsEntry("bootstrap.servers", "kafka.example.com:9093")
                .containsEntry("security.protocol", "SASL_SSL")
                .containsEntry("sasl.mechanism", "PLAIN")
                .containsEntry(
                        "sasl.jaas.config",
                        "org.apache.kafka.common.security.plain.PlainLoginModule required"
                                + " username=\"span-reader\" password=\"k4fka-s3cret\";")
                .containsEntry("ssl.truststore.password", TRUSTSTORE_PASSWORD);
    }

    @Test
    void theSinksTakeTheElasticsearchCredentialsOver() {
        TableEnvironment tableEnv = prepare("span_count.sql");
        CatalogManager catalogs = ((TableEnvironmentInternal) tableEnv).getCatalogManager();

        Map<String, String> options = catalogs.getTable(ObjectIdentifier.of(
                        catalogs.getCurrentCatalog(), catalogs.getCurrentDatabase(), "trace_summaries"))
                .orElseThrow()
                .getResolvedTable()
                .getOptions();

        assertThat(options).containsEntry("username", "feature-writer").containsEntry("password", ES_PASSWORD);
    }

    @ParameterizedTest
    @ValueSource(strings = {"span_count.sql", "trace_features.sql", "service_dependencies.sql", "span_metrics.sql"})
    void noPlanOfAJobShowsASecret(String job) {
        String plan = explain(job, "JSON_EXECUTION_PLAN, CHANGELOG_MODE, ESTIMATED_COST, PLAN_ADVICE");

        assertThat(plan)
                .contains("span_source", "== Physical Execution Plan ==")
                .doesNotContain(KAFKA_PASSWORD, TRUSTSTORE_PASSWORD, ES_PASSWORD);
    }

    @Test
    void aConnectorErrorListsTheTableOptionsWithThePasswordsHidden() {
        TableEnvironment tableEnv = prepare("span_count.sql");
        tableEnv.executeSql("CREATE TEMPORARY TABLE misconfigured (traceId STRING) WITH ('index' = 'x',"
                + " 'no.such.option' = 'y') LIKE elasticsearch_connection");

        assertThatThrownBy(() -> tableEnv.explainSql("INSERT INTO misconfigured VALUES ('a')"))
                .satisfies(error -> {
                    String messages = messages(error);
                    assertThat(messages)
                            .contains("no.such.option", "'password'='******'", "'username'='feature-writer'")
                            .doesNotContain(ES_PASSWORD);
                });
        assertThatThrownBy(
                        () -> tableEnv.explainSql("SELECT * FROM span_source /*+ OPTIONS('no.such.option' = 'y') */"))
                .satisfies(error -> assertThat(messages(error))
                        .contains(
                                "no.such.option",
                                "'properties.sasl.jaas.config'='******'",
                                "'properties.ssl.truststore.password'='******'")
                        .doesNotContain(KAFKA_PASSWORD, TRUSTSTORE_PASSWORD));
    }

    private static String messages(Throwable error) {
        StringBuilder messages = new StringBuilder();
        for (Throwable t = error; t != null; t = t.getCause()) {
            messages.append(t).append('\n');
        }
        return messages.toString();
    }

    private static TableEnvironment prepare(String job) {
        RunOptions options = RunOptions.parse("--env", securedEnvironment(), "--from", "earliest", "--bounded", job);
        options.environmentVariables = ENVIRONMENT;
        return SqlJobRunner.prepare(options);
    }

    private static String explain(String job, String details) {
        return JobScriptsPlanTest.explain(prepare(job), job, details);
    }

    private static String securedEnvironment() {
        try {
            return Path.of(SecretsStayOutOfPlansTest.class
                            .getResource("/secured-environment.sql")
                            .toURI())
                    .toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
