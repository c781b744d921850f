package org.tracefeatures.stack;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.tracefeatures.elasticsearch.ElasticsearchClient;

/**
 * The local Elasticsearch 7.10.2 node: one JVM running the codelibs cluster runner with a single node, listening on
 * 127.0.0.1 only, with its configuration, data and own logs under {@code <data dir>/elasticsearch}.
 */
final class ElasticsearchNode {

    private static final List<String> JVM_OPTIONS = List.of(
            "-Xms1g",
            "-Xmx1g",
            "-XX:+UseG1GC",
            "-Djava.awt.headless=true",
            "-Dfile.encoding=UTF-8",
            // from Elasticsearch's own jvm.options
            "-Dio.netty.noUnsafe=true",
            "-Dio.netty.noKeySetOptimization=true",
            "-Dio.netty.recycler.maxCapacityPerThread=0",
            "-Dlog4j2.disable.jmx=true",
            // Elasticsearch closes logging itself, after its last shutdown messages
            "-Dlog4j.shutdownHookEnabled=false");
    private static final String CLUSTER_NAME = "tracefeatures";

    private final LocalStackConfig config;
    private final ServerProcess process;
    private final ElasticsearchClient http;

    ElasticsearchNode(LocalStackConfig config) {
        this.config = config;
        this.http = new ElasticsearchClient(url());
        this.process = new ServerProcess(
                "Elasticsearch",
                ElasticsearchNodeMain.class.getName(),
                config.dataDir().resolve("run").resolve("elasticsearch.pid"),
                config.dataDir().resolve("logs").resolve("elasticsearch.log"));
    }

    ServerProcess process() {
        return process;
    }

    URI url() {
        return URI.create(config.elasticsearchUrl());
    }

    /** The runner's base path; it puts node 1 in {@code node_1}. */
    Path home() {
        return config.dataDir().resolve("elasticsearch");
    }

    Path nodeConfigDir() {
        return home().resolve("node_1").resolve("config");
    }

    /** Where the launcher puts {@link ElasticsearchNodeMain}, apart from the rest of the launcher's classpath. */
    Path mainClassDir() {
        return home().resolve("main-class");
    }

    private Path tmpDir() {
        return home().resolve("tmp");
    }

    /** Settings that the runner has no option for. The runner copies its own file only when there is none. */
    String elasticsearchYml() {
        return String.join(
                System.lineSeparator(),
                "# Written by `tracefeatures stack up` at every start: edits are lost.",
                "# cluster.name, node.name, node.roles, http.port and the paths come from the command line.",
                "network.host: 127.0.0.1",
                "transport.port: " + config.elasticsearchTransportPort(),
                "discovery.type: single-node",
                // on a nearly full developer disk Elasticsearch would otherwise make every index read-only
                "cluster.routing.allocation.disk.threshold_enabled: false",
                "");
    }

    /** The runner's own logging setup writes five log files besides the console; the console alone is enough. */
    String loggingConfig() {
        return ConsoleLogging.properties("tracefeatures stack up", "error", "[%d{ISO8601}][%-5p][%-25c{1.}] %m%n");
    }

    void writeConfiguration() {
        try {
            Files.createDirectories(nodeConfigDir());
            Files.createDirectories(tmpDir());
            Files.writeString(nodeConfigDir().resolve("elasticsearch.yml"), elasticsearchYml());
            Files.writeString(nodeConfigDir().resolve("log4j2.properties"), loggingConfig());
            String classFile = ElasticsearchNodeMain.class.getName().replace('.', '/') + ".class";
            Path target = mainClassDir().resolve(classFile);
            Files.createDirectories(target.getParent());
            try (InputStream in = ElasticsearchNodeMain.class.getClassLoader().getResourceAsStream(classFile)) {
                if (in == null) {
                    throw new IOException(classFile + " is not on the launcher's classpath");
                }
                Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new LocalStackException(
                    "could not write the Elasticsearch configuration under " + home() + ": " + e.getMessage(), e);
        }
    }

    /** The node's classpath: the runner's and, first, {@link ElasticsearchNodeMain}. */
    String classpath(String runnerClasspath) {
        return mainClassDir() + File.pathSeparator + runnerClasspath;
    }

    List<String> serverArguments() {
        List<String> arguments = new ArrayList<>(JVM_OPTIONS);
        arguments.add("-Djava.io.tmpdir=" + tmpDir());
        arguments.addAll(List.of(
                ElasticsearchNodeMain.class.getName(),
                "-numOfNode",
                "1",
                "-basePath",
                home().toString(),
                "-clusterName",
                CLUSTER_NAME,
                // the runner serves node n on baseHttpPort + n
                "-baseHttpPort",
                Integer.toString(config.elasticsearchHttpPort() - 1)));
        return arguments;
    }

    ProcessHandle start(String runnerClasspath) {
        writeConfiguration();
        return process.start(classpath(runnerClasspath), serverArguments());
    }

    /** Whether the node answers with a yellow or green cluster health within {@code timeout}. */
    boolean answers(Duration timeout) {
        return http.isHealthy(timeout);
    }
}
