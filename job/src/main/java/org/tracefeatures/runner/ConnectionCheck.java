package org.tracefeatures.runner;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.tracefeatures.elasticsearch.ElasticsearchClient;

/**
 * Asks Kafka for the input topic and Elasticsearch for an answer before a job is submitted. Flink's Kafka source
 * fails over for ever on a topic that does not exist, printing a stack trace every few seconds, and a bounded run
 * never returns; the sink retries a node that does not answer until the job restarts. One line that names what is
 * missing and what to do is better than either.
 */
final class ConnectionCheck {
    static final Duration TIMEOUT = Duration.ofSeconds(15);

    private ConnectionCheck() {}

    /** Fails with what to do when the Kafka tables' topics do not exist or an Elasticsearch table's node is silent. */
    static void check(TableEnvironment tableEnv) {
        Set<String> elasticsearchHosts = new LinkedHashSet<>();
        CatalogTables.options(tableEnv).forEach((table, options) -> {
            String connector = options.getOrDefault("connector", "");
            if (connector.equals("kafka") && options.containsKey("topic")) {
                checkTopics(table, options);
            } else if (connector.contains("elasticsearch") && options.containsKey("hosts")) {
                elasticsearchHosts.add(options.get("hosts").split(";")[0].strip());
            }
        });
        elasticsearchHosts.forEach(ConnectionCheck::checkAnswers);
    }

    private static void checkTopics(String table, Map<String, String> options) {
        List<String> topics = Arrays.stream(options.get("topic").split(";"))
                .map(String::strip)
                .toList();
        String servers = options.getOrDefault("properties.bootstrap.servers", "");
        try (Admin admin = admin(options)) {
            for (String topic : topics) {
                try {
                    admin.describeTopics(List.of(topic)).allTopicNames().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                        throw new SetupException("The topic '" + topic + "' of table " + table + " does not"
                                + " exist on Kafka at " + servers + ". Create it (bin/tracefeatures stack up creates"
                                + " jaeger-spans and otlp_spans), write spans to it (bin/tracefeatures simulate --topic "
                                + topic + "), or read another topic (--input, or 'topic' in the input part); the job"
                                + " was not submitted.");
                    }
                    throw new SetupException("Kafka at " + servers + " refused to describe the topic '"
                            + topic + "' of table " + table + ": "
                            + e.getCause().getMessage()
                            + "; the job was not submitted.");
                }
            }
        } catch (TimeoutException e) {
            throw new SetupException("Kafka at " + servers + " did not answer within " + TIMEOUT.toSeconds()
                    + " s: start it (bin/tracefeatures stack up) or correct 'properties.bootstrap.servers' in the"
                    + " environment part's kafka_connection; the job was not submitted.");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while asking Kafka at " + servers + " for the input topic", e);
        }
    }

    /** An admin client with a Kafka table's own client settings (security, for one), as its source connects. */
    static Admin admin(Map<String, String> options) {
        Properties config = new Properties();
        options.forEach((key, value) -> {
            if (key.startsWith("properties.")) {
                config.put(key.substring("properties.".length()), value);
            }
        });
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis());
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis());
        return Admin.create(config);
    }

    private static void checkAnswers(String host) {
        try {
            // any answer will do, 401 included: ElasticsearchCredentials checks the user name and password
            new ElasticsearchClient(URI.create(host)).send("GET", "/", null, TIMEOUT);
        } catch (IOException | IllegalArgumentException e) {
            throw new SetupException("Elasticsearch at " + host + " does not answer (" + e
                    + "): start it (bin/tracefeatures stack up) or correct 'hosts' in the environment part's"
                    + " elasticsearch_connection; the job was not submitted.");
        }
    }
}
