package org.tracefeatures.runner;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.flink.table.api.TableEnvironment;
import org.tracefeatures.elasticsearch.ElasticsearchClient;

/**
 * Tries the user name and password of the Elasticsearch tables before a job is submitted. A sink whose credentials
 * Elasticsearch refuses fails every bulk request, and the restart strategy would restart the job for ever; asking once
 * first turns that into one error that says what to fix. A node that does not answer is ConnectionCheck's.
 */
final class ElasticsearchCredentials {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private ElasticsearchCredentials() {}

    /** Connection settings of Elasticsearch tables that have a user name, and the tables that use them. */
    private record Login(String host, String username, String password) {}

    /** Fails with what to fix when Elasticsearch answers 401 to a table's user name and password. */
    static void check(TableEnvironment tableEnv, ScriptVariables variables) {
        for (Map.Entry<Login, List<String>> login : logins(tableEnv).entrySet()) {
            Login credentials = login.getKey();
            Optional<ElasticsearchClient.Response> response = get(credentials);
            if (response.isPresent() && response.get().status() == 401) {
                throw new SetupException(variables.redact(
                        refused(credentials, login.getValue(), response.get().body(), variables)));
            }
        }
    }

    private static String refused(Login login, List<String> tables, String body, ScriptVariables variables) {
        return "Authentication failed: Elasticsearch at " + login.host() + " answered HTTP 401 Unauthorized to the"
                + " user name and password of table " + String.join(", ", tables)
                + (body.isBlank() ? "" : " (" + body.strip() + ")") + ". Check the password ("
                + variables
                        .nameOf(login.password())
                        .map(ElasticsearchCredentials::variable)
                        .orElse("as written")
                + ") and the user name ("
                + variables
                        .nameOf(login.username())
                        .map(ElasticsearchCredentials::variable)
                        .orElse("'" + login.username() + "'")
                + ") that the environment part's elasticsearch_connection gives as 'password' and 'username';"
                + " the job was not submitted.";
    }

    private static String variable(String name) {
        return "${" + name + "}: the environment variable " + name + " or the --secrets entry " + name;
    }

    private static Optional<ElasticsearchClient.Response> get(Login login) {
        try {
            return Optional.of(new ElasticsearchClient(URI.create(login.host()), login.username(), login.password())
                    .send("GET", "/", null, TIMEOUT));
        } catch (IOException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** The first host, user name and password of every Elasticsearch table with a user name, and their tables. */
    private static Map<Login, List<String>> logins(TableEnvironment tableEnv) {
        Map<Login, List<String>> logins = new LinkedHashMap<>();
        CatalogTables.options(tableEnv).forEach((table, options) -> {
            String username = options.getOrDefault("username", "");
            if (!options.getOrDefault("connector", "").contains("elasticsearch") || username.isBlank()) {
                return;
            }
            String host = options.getOrDefault("hosts", "").split(";")[0].strip();
            Login login = new Login(host, username, options.getOrDefault("password", ""));
            logins.computeIfAbsent(login, key -> new ArrayList<>()).add(table);
        });
        return logins;
    }
}
