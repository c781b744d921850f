package org.tracefeatures.elasticsearch;

import java.io.Serializable;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.streaming.connectors.elasticsearch7.RestClientFactory;
import org.apache.flink.table.api.ValidationException;
import org.apache.http.HttpHost;
import org.apache.http.auth.AuthScope;
import org.apache.http.auth.UsernamePasswordCredentials;
import org.apache.http.impl.client.BasicCredentialsProvider;
import org.elasticsearch.client.RestClient;
import org.elasticsearch.client.RestClientBuilder;
import org.elasticsearch.client.RestHighLevelClient;

/** The hosts of a sink table and its user name and password, which the REST client sends as basic authentication. */
record ElasticsearchConnection(List<String> hosts, String username, String password) implements Serializable {

    static ElasticsearchConnection of(List<String> hosts, String username, String password, String table) {
        for (String host : hosts) {
            URI uri = parse(host, table);
            if (uri.getScheme() == null || uri.getHost() == null || uri.getPort() < 0) {
                throw new ValidationException("Table " + table + ": host '" + host + "' is not of the form "
                        + "'http://host:port' (or https).");
            }
        }
        return new ElasticsearchConnection(List.copyOf(hosts), username, password);
    }

    private static URI parse(String host, String table) {
        try {
            return URI.create(host.strip());
        } catch (IllegalArgumentException e) {
            throw new ValidationException("Table " + table + ": host '" + host + "' is no URL: " + e.getMessage(), e);
        }
    }

    List<HttpHost> httpHosts() {
        List<HttpHost> httpHosts = new ArrayList<>();
        for (String host : hosts) {
            URI uri = URI.create(host.strip());
            httpHosts.add(new HttpHost(uri.getHost(), uri.getPort(), uri.getScheme()));
        }
        return httpHosts;
    }

    /** A client of its own, configured as the sink's bulk processor's client is. */
    RestHighLevelClient restHighLevelClient() {
        RestClientBuilder builder = RestClient.builder(httpHosts().toArray(HttpHost[]::new));
        restClientFactory().configureRestClientBuilder(builder);
        return new RestHighLevelClient(builder);
    }

    /** Basic authentication when a user name is set; nothing else changes in the client. */
    RestClientFactory restClientFactory() {
        String user = username;
        String secret = password;
        if (user == null || user.isEmpty()) {
            return builder -> {};
        }
        return (RestClientFactory) (RestClientBuilder builder) -> builder.setHttpClientConfigCallback(client -> {
            BasicCredentialsProvider credentials = new BasicCredentialsProvider();
            credentials.setCredentials(
                    AuthScope.ANY, new UsernamePasswordCredentials(user, secret == null ? "" : secret));
            return client.setDefaultCredentialsProvider(credentials);
        });
    }

    @Override
    public String toString() {
        return "ElasticsearchConnection" + hosts + (username == null ? "" : " as " + username);
    }
}
