package org.tracefeatures.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.tracefeatures.docker.DockerStackTest.image;
import static org.tracefeatures.docker.DockerStackTest.list;
import static org.tracefeatures.docker.DockerStackTest.map;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The Jaeger v2 configurations of docker/jaeger/ against what the Flink jobs of the stack actually run: the topic
 * and encoding of the input part that docker/flink/submit-jobs.sh composes, the hosts of sql/init/docker.sql, and
 * the dependency index that sql/init/sinks.sql writes for Jaeger Query. Every expected value is read from those
 * files, so the test fails when either side changes alone. Nothing here starts Jaeger.
 */
class JaegerConfigTest {

    private static final Path HOME = home();
    private static final Path DOCKER = HOME.resolve("docker");
    private static final Path COMPOSE_FILE = DOCKER.resolve("docker-compose.yml");
    private static final Path SUBMIT_JOBS = DOCKER.resolve("flink/submit-jobs.sh");
    private static final Path INPUT_DIR = HOME.resolve("sql/init/input");
    private static final Path DOCKER_SQL = HOME.resolve("sql/init/docker.sql");
    private static final Path SINKS_SQL = HOME.resolve("sql/init/sinks.sql");
    private static final Path README = HOME.resolve("README.md");

    /**
     * What each encoding of the OpenTelemetry Collector's (and so Jaeger v2's) Kafka exporter is in the terms of
     * an input part: its value format and, for protobuf, its message class. An input is named after the encoding
     * it reads, with '-' for '_' (input jaeger-proto reads encoding jaeger_proto).
     */
    private static final Map<String, Format> ENCODINGS = Map.of(
            "jaeger_proto", new Format("tolerant-protobuf", "io.jaegertracing.api_v2.Span"),
            "jaeger_json", new Format("tolerant-json", null),
            "otlp_proto", new Format("tolerant-otlp", null));

    /** Jaeger's own name of its dependency index, before prefix and date (DependencyIndexName in Jaeger's code). */
    private static final String JAEGER_DEPENDENCY_INDEX = "jaeger-dependencies";

    /** Jaeger's default date layout of its daily indexes (Go layout), when the configuration sets none. */
    private static final String JAEGER_DEFAULT_DATE_LAYOUT = "2006-01-02";

    private record Format(String valueFormat, String messageClass) {}

    /** The Kafka side of an input part: the topic its span_source table reads and how it decodes a record. */
    private record InputPart(String name, String topic, Format format) {}

    // --- the collector writes what the stack's jobs read ------------------------------------------------

    @Test
    void theCollectorWritesTheTopicAndEncodingOfTheStacksInput() throws IOException {
        InputPart input = dockerInput();
        Map<String, Object> kafka = component(collectorConfig(), "exporters", "kafka");
        Map<String, Object> traces = map(kafka.get("traces"));

        // the topic and encoding under traces: (the exporter's older top-level keys would be a second answer)
        assertThat(kafka).doesNotContainKeys("topic", "encoding");
        assertThat(traces.get("topic"))
                .as("collector.yaml exporters.kafka.traces.topic vs 'topic' of %s", inputFile(input.name))
                .isEqualTo(input.topic);
        String encoding = (String) traces.get("encoding");
        assertThat(encoding)
                .as("collector.yaml exporters.kafka.traces.encoding vs the encoding input %s reads", input.name)
                .isEqualTo(encodingOf(input.name));
        assertThat(ENCODINGS.get(encoding))
                .as("how %s decodes the records of encoding %s", inputFile(input.name), encoding)
                .isEqualTo(input.format);

        assertThat(list(kafka.get("brokers")))
                .as("collector.yaml exporters.kafka.brokers vs sql/init/docker.sql")
                .containsExactlyElementsOf(kafkaBrokers());

        Map<String, Object> pipeline = tracesPipeline(collectorConfig());
        assertThat(list(pipeline.get("receivers"))).containsExactly("otlp");
        assertThat(list(pipeline.get("exporters"))).containsExactly("kafka");
    }

    @Test
    void theIngesterReadsWhatTheCollectorWrites() throws IOException {
        Map<String, Object> written =
                map(component(collectorConfig(), "exporters", "kafka").get("traces"));
        Map<String, Object> kafka = component(queryConfig(), "receivers", "kafka");
        Map<String, Object> traces = map(kafka.get("traces"));

        assertThat(kafka).doesNotContainKeys("topic", "encoding");
        assertThat(list(traces.get("topics"))).containsExactly(written.get("topic"));
        assertThat(traces.get("encoding")).isEqualTo(written.get("encoding"));
        assertThat(list(kafka.get("brokers")))
                .as("query.yaml receivers.kafka.brokers vs sql/init/docker.sql")
                .containsExactlyElementsOf(kafkaBrokers());
        // a consumer group of its own, so that Jaeger and the Flink jobs each read every record
        assertThat((String) kafka.get("group_id")).isNotBlank();

        Map<String, Object> pipeline = tracesPipeline(queryConfig());
        assertThat(list(pipeline.get("receivers"))).containsExactly("kafka");
        assertThat(list(pipeline.get("exporters"))).containsExactly("jaeger_storage_exporter");
        // the UI reads the storage that the ingester writes
        assertThat(component(queryConfig(), "exporters", "jaeger_storage_exporter")
                        .get("trace_storage"))
                .isEqualTo(queryStorageName());
        assertThat(list(map(queryConfig().get("service")).get("extensions")))
                .contains("jaeger_storage", "jaeger_query", "healthcheckv2");
    }

    @Test
    void everyInputIsAnEncodingOfTheKafkaExporterAndTheReadmeSaysWhichSettingsWriteIt() throws IOException {
        List<String> names;
        try (Stream<Path> files = Files.list(INPUT_DIR)) {
            names = files.map(f -> f.getFileName().toString())
                    .filter(f -> f.endsWith(".sql"))
                    .map(f -> f.substring(0, f.length() - ".sql".length()))
                    .sorted()
                    .collect(Collectors.toList());
        }
        assertThat(names).isNotEmpty();
        List<String> readme = Files.readAllLines(README);
        for (String name : names) {
            InputPart input = inputPart(name);
            String encoding = encodingOf(name);
            assertThat(ENCODINGS)
                    .as("Kafka exporter encoding for input %s", name)
                    .containsKey(encoding);
            assertThat(input.format).as("format of %s", inputFile(name)).isEqualTo(ENCODINGS.get(encoding));

            // the row of README.md's input table for this --input names the exporter settings that write it
            List<String> rows = readme.stream()
                    .filter(line -> line.startsWith("| `" + name + "`"))
                    .toList();
            assertThat(rows)
                    .as("README.md input table row for --input %s", name)
                    .hasSize(1);
            assertThat(rows.get(0))
                    .as("README.md row of --input %s", name)
                    .contains("topic: " + input.topic, "encoding: " + encoding);
        }
    }

    // --- Jaeger Query reads the Elasticsearch and the dependency index that the jobs write ---------------

    @Test
    void jaegerStoresInTheElasticsearchOfTheStack() throws IOException {
        Map<String, Object> elasticsearch = elasticsearchBackend();
        Matcher hosts = option("hosts", tableOptions(DOCKER_SQL, "elasticsearch_connection"));
        assertThat(list(elasticsearch.get("server_urls")))
                .as("query.yaml server_urls vs 'hosts' of elasticsearch_connection in sql/init/docker.sql")
                .containsExactlyElementsOf(List.of(hosts.group(1).split(";")));
    }

    @Test
    void jaegerQueryReadsTheDependencyIndexThatTheSinkWrites() throws IOException {
        // the sink: jaeger-dependencies-{timestamp|yyyy-MM-dd}
        Matcher index = option("index", tableOptions(SINKS_SQL, "jaeger_dependencies"));
        Matcher dynamic = Pattern.compile("(.+)-\\{timestamp\\|([^}]+)}").matcher(index.group(1));
        assertThat(dynamic.matches())
                .as("'index' of jaeger_dependencies: a daily index %s", index.group(1))
                .isTrue();

        // Jaeger: [index_prefix-]jaeger-dependencies-<date layout>, daily by default
        Map<String, Object> elasticsearch = elasticsearchBackend();
        // alias-based rotation would read jaeger-dependencies-read instead of the dated indexes
        assertThat(elasticsearch).doesNotContainKeys("use_aliases", "use_ilm");
        Map<String, Object> indices = map(elasticsearch.get("indices"));
        String prefix = (String) indices.getOrDefault("index_prefix", "");
        String jaegerIndex = prefix.isEmpty()
                ? JAEGER_DEPENDENCY_INDEX
                : prefix.endsWith("-") ? prefix + JAEGER_DEPENDENCY_INDEX : prefix + "-" + JAEGER_DEPENDENCY_INDEX;
        assertThat(jaegerIndex)
                .as("Jaeger's dependency index (index_prefix of query.yaml) vs the sink's")
                .isEqualTo(dynamic.group(1));

        Map<String, Object> dependencies = map(indices.get("dependencies"));
        Map<String, Object> rotation = map(dependencies.get("rotation"));
        assertThat(rotation).doesNotContainKeys("manual_rollover", "auto_rollover", "data_stream");
        Map<String, Object> periodic = map(rotation.get("periodic"));
        String layout = (String) periodic.getOrDefault(
                "date_layout", dependencies.getOrDefault("date_layout", JAEGER_DEFAULT_DATE_LAYOUT));
        Object frequency =
                periodic.getOrDefault("rollover_frequency", dependencies.getOrDefault("rollover_frequency", "day"));
        assertThat(javaDatePattern(layout))
                .as("Jaeger's date layout %s vs the sink's %s", layout, dynamic.group(2))
                .isEqualTo(dynamic.group(2));
        assertThat(frequency).as("rollover_frequency of a daily layout").isEqualTo("day");
    }

    // --- Compose runs these configurations --------------------------------------------------------------

    @Test
    void composeRunsTheJaegerConfigsWithOneJaegerV2Release() throws IOException {
        Map<String, Object> services = map(compose().get("services"));
        List<String> jaegerImages = new ArrayList<>();
        for (String name : List.of("jaeger-collector", "jaeger-query")) {
            Map<String, Object> service = map(services.get(name));
            String image = (String) service.get("image");
            assertThat(image).as("image of %s", name).matches("jaegertracing/jaeger:2\\.\\d+\\.\\d+");
            jaegerImages.add(image);

            List<Object> command = list(service.get("command"));
            assertThat(command).as("command of %s", name).hasSize(2).startsWith("--config");
            String configPath = (String) command.get(1);
            String mount = "./jaeger/" + Path.of(configPath).getFileName() + ":" + configPath + ":ro";
            assertThat(list(service.get("volumes"))).as("volumes of %s", name).contains(mount);
            assertThat(DOCKER.resolve("jaeger").resolve(Path.of(configPath).getFileName()))
                    .isRegularFile();

            // the healthcheck asks the healthcheckv2 extension of the service's own configuration
            Map<String, Object> config =
                    yaml(DOCKER.resolve("jaeger").resolve(Path.of(configPath).getFileName()));
            String healthEndpoint = (String)
                    map(component(config, "extensions", "healthcheckv2").get("http"))
                            .get("endpoint");
            String probe = String.join(
                    " ",
                    list(map(service.get("healthcheck")).get("test")).stream()
                            .map(String::valueOf)
                            .toList());
            assertThat(probe).as("healthcheck of %s", name).contains("127.0.0.1:" + port(healthEndpoint) + "/status");
        }
        assertThat(jaegerImages).as("one Jaeger release for both roles").containsOnly(jaegerImages.get(0));
        String release = jaegerImages.get(0).substring(jaegerImages.get(0).indexOf(':') + 1);
        assertThat(Files.readString(DOCKER.resolve("hotrod/Dockerfile")))
                .as("docker/hotrod/Dockerfile: the HotROD of the same Jaeger release")
                .contains("FROM jaegertracing/example-hotrod:" + release + "\n");
        assertThat(image(services, "hotrod")).isEqualTo("tracefeatures-hotrod:" + release);

        // OTLP: published as the collector listens, and HotROD exports to it
        Map<String, Object> protocols =
                map(component(collectorConfig(), "receivers", "otlp").get("protocols"));
        String grpc = (String) map(protocols.get("grpc")).get("endpoint");
        String http = (String) map(protocols.get("http")).get("endpoint");
        assertThat(containerPorts(services, "jaeger-collector")).containsExactlyInAnyOrder(port(grpc), port(http));
        assertThat(map(map(services.get("hotrod")).get("environment")).get("OTEL_EXPORTER_OTLP_ENDPOINT"))
                .isEqualTo("http://jaeger-collector:" + port(http));
        // the UI: jaeger_query's default HTTP endpoint :16686, unless query.yaml sets another
        Map<String, Object> queryHttp =
                map(component(queryConfig(), "extensions", "jaeger_query").get("http"));
        String ui = (String) queryHttp.getOrDefault("endpoint", ":16686");
        assertThat(containerPorts(services, "jaeger-query")).containsExactly(port(ui));

        // the topic the collector writes is the one kafka-init creates with the stack's partitions
        List<Object> create = list(map(services.get("kafka-init")).get("command"));
        assertThat(create.get(create.indexOf("--topic") + 1)).isEqualTo(dockerInput().topic);
    }

    // --- helpers --------------------------------------------------------------------------------------------

    private static Path home() {
        String home = System.getProperty("tracefeatures.home");
        Path path =
                (home != null ? Path.of(home) : Path.of("..")).toAbsolutePath().normalize();
        if (!Files.isRegularFile(path.resolve("docker/docker-compose.yml"))) {
            throw new IllegalStateException(
                    "no docker/docker-compose.yml under " + path + ": set -Dtracefeatures.home to the repository root");
        }
        return path;
    }

    private static Map<String, Object> collectorConfig() throws IOException {
        return yaml(DOCKER.resolve("jaeger/collector.yaml"));
    }

    private static Map<String, Object> queryConfig() throws IOException {
        return yaml(DOCKER.resolve("jaeger/query.yaml"));
    }

    private static Map<String, Object> compose() throws IOException {
        return yaml(COMPOSE_FILE);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> yaml(Path file) throws IOException {
        Yaml yaml = new Yaml(new SafeConstructor(new LoaderOptions()));
        try (Reader reader = Files.newBufferedReader(file)) {
            return (Map<String, Object>) yaml.load(reader);
        }
    }

    /** A component of a collector configuration (receivers, exporters, extensions) that must be configured. */
    private static Map<String, Object> component(Map<String, Object> config, String kind, String id) {
        Map<String, Object> components = map(config.get(kind));
        assertThat(components).as("%s of the Jaeger configuration", kind).containsKey(id);
        return map(components.get(id));
    }

    private static Map<String, Object> tracesPipeline(Map<String, Object> config) {
        return map(map(map(config.get("service")).get("pipelines")).get("traces"));
    }

    /** The storage backend that jaeger_query reads, which must be an Elasticsearch one. */
    private static String queryStorageName() throws IOException {
        Map<String, Object> storage =
                map(component(queryConfig(), "extensions", "jaeger_query").get("storage"));
        return (String) storage.get("traces");
    }

    private static Map<String, Object> elasticsearchBackend() throws IOException {
        Map<String, Object> backends =
                map(component(queryConfig(), "extensions", "jaeger_storage").get("backends"));
        String name = queryStorageName();
        assertThat(backends)
                .as("jaeger_storage backend %s that jaeger_query reads", name)
                .containsKey(name);
        Map<String, Object> backend = map(backends.get(name));
        assertThat(backend).as("backend %s", name).containsKey("elasticsearch");
        return map(backend.get("elasticsearch"));
    }

    /** The input part that the stack's sql-submit composes into the jobs' init file. */
    private static InputPart dockerInput() throws IOException {
        Matcher part = Pattern.compile("init/input/([\\w-]+)\\.sql").matcher(Files.readString(SUBMIT_JOBS));
        assertThat(part.find())
                .as("an input part in INIT_PARTS of %s", SUBMIT_JOBS)
                .isTrue();
        String name = part.group(1);
        assertThat(part.find()).as("one input part in %s", SUBMIT_JOBS).isFalse();
        return inputPart(name);
    }

    private static InputPart inputPart(String name) throws IOException {
        String options = tableOptions(INPUT_DIR.resolve(name + ".sql"), "span_source");
        String topic = option("topic", options).group(1);
        String valueFormat = option("value.format", options).group(1);
        Matcher messageClass = Pattern.compile("'value\\.[\\w-]+\\.message-class-name'\\s*=\\s*'([^']+)'")
                .matcher(options);
        return new InputPart(name, topic, new Format(valueFormat, messageClass.find() ? messageClass.group(1) : null));
    }

    private static String inputFile(String name) {
        return "sql/init/input/" + name + ".sql";
    }

    private static String encodingOf(String input) {
        return input.replace('-', '_');
    }

    /** The brokers of kafka_connection in sql/init/docker.sql. */
    private static List<String> kafkaBrokers() throws IOException {
        Matcher servers = option("properties.bootstrap.servers", tableOptions(DOCKER_SQL, "kafka_connection"));
        return List.of(servers.group(1).split(","));
    }

    /** The WITH (...) options of a CREATE [TEMPORARY] TABLE, comments removed. */
    private static String tableOptions(Path sqlFile, String table) throws IOException {
        String sql = Files.readString(sqlFile).replaceAll("--[^\\n]*", "");
        Matcher create = Pattern.compile(
                        "CREATE\\s+(?:TEMPORARY\\s+)?TABLE\\s+`?" + table
                                + "`?\\b.*?\\bWITH\\s*\\((.*?)\\)\\s*(?:LIKE\\s+\\w+\\s*)?;",
                        Pattern.CASE_INSENSITIVE | Pattern.DOTALL)
                .matcher(sql);
        if (!create.find()) {
            return fail("no CREATE TABLE %s ... WITH (...) in %s", table, sqlFile);
        }
        return create.group(1);
    }

    private static Matcher option(String key, String options) {
        Matcher option = Pattern.compile("'" + Pattern.quote(key) + "'\\s*=\\s*'([^']+)'")
                .matcher(options);
        assertThat(option.find()).as("option '%s' in %s", key, options).isTrue();
        return option;
    }

    /** A Go time layout of year, month, day and hour as a Java date pattern (2006-01-02 is yyyy-MM-dd). */
    private static String javaDatePattern(String goLayout) {
        return goLayout.replace("2006", "yyyy")
                .replace("01", "MM")
                .replace("02", "dd")
                .replace("15", "HH");
    }

    private static String port(String endpoint) {
        return endpoint.substring(endpoint.lastIndexOf(':') + 1);
    }

    /** The container side of a service's published ports ("127.0.0.1:4317:4317" is 4317). */
    private static List<String> containerPorts(Map<String, Object> services, String service) {
        return list(map(services.get(service)).get("ports")).stream()
                .map(p -> port(String.valueOf(p)))
                .toList();
    }
}
