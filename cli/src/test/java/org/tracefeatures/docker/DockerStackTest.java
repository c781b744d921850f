package org.tracefeatures.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.tracefeatures.cli.report.ChartDefinition;
import org.tracefeatures.cli.report.ReportCharts;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * What can be checked of docker/ on a machine without a Docker engine: that Compose reads the file, that every
 * file it mounts and every file the Dockerfiles copy exists after the Maven build, that the image versions are
 * the project's, that the Kibana saved objects only use fields that the Flink SQL sinks write, and that the charts of
 * bin/tracefeatures report are the dashboard's. Nothing here pulls an image or starts a container.
 */
class DockerStackTest {

    private static final Path HOME = home();
    private static final Path DOCKER = HOME.resolve("docker");
    private static final Path COMPOSE_FILE = DOCKER.resolve("docker-compose.yml");
    private static final Path SAVED_OBJECTS = DOCKER.resolve("kibana/saved-objects.ndjson");
    private static final Path SINKS_SQL = HOME.resolve("sql/init/sinks.sql");

    /**
     * Sink indexes in Jaeger's own document format, for Jaeger Query rather than Kibana: Jaeger installs their
     * index template itself (a composable one of ours would take its place, see sinks.sql), and Kibana has no
     * index pattern for them.
     */
    private static final Set<String> JAEGER_INDEXES = Set.of("jaeger-dependencies");

    private static final ObjectMapper JSON = new ObjectMapper();

    // --- (1) Compose reads the file ---------------------------------------------------------------------

    @Test
    void composeValidatesTheFile() throws Exception {
        String composeCommand = dockerCompose();

        Result plain = run(composeCommand, "-f", COMPOSE_FILE.toString(), "config");
        assertThat(plain.exitCode)
                .as("docker-compose config:\n%s", plain.output)
                .isZero();

        Result simulator = run(composeCommand, "-f", COMPOSE_FILE.toString(), "--profile", "simulator", "config");
        assertThat(simulator.exitCode)
                .as("docker-compose --profile simulator config:\n%s", simulator.output)
                .isZero();

        Result services =
                run(composeCommand, "-f", COMPOSE_FILE.toString(), "--profile", "simulator", "config", "--services");
        assertThat(services.exitCode)
                .as("docker-compose --profile simulator config --services:\n%s", services.output)
                .isZero();
        assertThat(services.output.lines().map(String::trim))
                .contains(
                        "kafka",
                        "elasticsearch",
                        "kibana",
                        "jaeger-collector",
                        "jaeger-query",
                        "hotrod",
                        "jobmanager",
                        "taskmanager",
                        "sql-submit",
                        "simulator");
    }

    // --- (2) every mounted or copied file exists ---------------------------------------------------------

    @Test
    void everyMountedAndCopiedPathExists() throws IOException {
        Map<String, Object> services = services();
        Set<String> namedVolumes =
                map(compose().getOrDefault("volumes", Map.of())).keySet();
        List<String> missing = new ArrayList<>();
        int checked = 0;

        for (Map.Entry<String, Object> service : services.entrySet()) {
            Map<String, Object> definition = map(service.getValue());
            for (Object volume : list(definition.get("volumes"))) {
                Optional<String> source = bindSource(volume);
                if (source.isEmpty()) {
                    String name = String.valueOf(volume).split(":", 2)[0];
                    assertThat(namedVolumes)
                            .as("service %s mounts named volume %s, declared under volumes:", service.getKey(), name)
                            .contains(name);
                    continue;
                }
                Path path = DOCKER.resolve(source.get()).normalize();
                checked++;
                if (!Files.exists(path)) {
                    missing.add(service.getKey() + " mounts " + path);
                }
            }

            Object build = definition.get("build");
            if (build != null) {
                Path context = DOCKER.resolve(
                                build instanceof String s
                                        ? s
                                        : (String) map(build).get("context"))
                        .normalize();
                String dockerfileName = build instanceof Map<?, ?> m && m.get("dockerfile") != null
                        ? (String) m.get("dockerfile")
                        : "Dockerfile";
                Path dockerfile = context.resolve(dockerfileName).normalize();
                checked++;
                if (!Files.isRegularFile(dockerfile)) {
                    missing.add(service.getKey() + " builds with " + dockerfile);
                    continue;
                }
                List<String> sources = copySources(dockerfile);
                Set<String> kept = dockerignoreExceptions(dockerfile);
                for (String copied : sources) {
                    Path path = context.resolve(copied).normalize();
                    checked++;
                    if (!Files.exists(path)) {
                        missing.add(dockerfile + " copies " + path);
                    }
                    if (kept != null && !kept.contains(copied)) {
                        missing.add(dockerfile + ".dockerignore does not keep " + copied + " (add !" + copied + ")");
                    }
                }
            }
        }

        assertThat(checked).as("paths checked").isGreaterThan(5);
        assertThat(missing)
                .as("paths that the stack needs but that are missing; build the jars first with"
                        + " `mvn -B package -DskipTests` at the repository root")
                .isEmpty();
    }

    @Test
    void theJobManagerAndEveryTaskManagerShareTheCheckpointDirectory() throws IOException {
        Map<String, Object> services = services();
        for (String flink : List.of("jobmanager", "taskmanager")) {
            Map<String, Object> definition = map(services.get(flink));
            // in memory (the default without a directory) a restarted or resubmitted job finds no checkpoint
            assertThat((String) map(definition.get("environment")).get("FLINK_PROPERTIES"))
                    .as(flink)
                    .contains("execution.checkpointing.dir: file:///opt/flink/checkpoints");
            assertThat(list(definition.get("volumes"))).as(flink).contains("flink-checkpoints:/opt/flink/checkpoints");
        }
    }

    @Test
    void theFlinkImageAddsTheShadedUdfJar() throws IOException {
        List<String> sources = copySources(DOCKER.resolve("flink/Dockerfile"));
        assertThat(sources).containsExactly("job/target/tracefeatures-job.jar");
        assertThat(HOME.resolve("job/target/tracefeatures-job.jar"))
                .as("the shaded jar of `mvn package` in job/")
                .isRegularFile();
    }

    // --- (3) versions ------------------------------------------------------------------------------------

    @Test
    void imageVersionsAreTheProjectsVersions() throws Exception {
        Map<String, String> pom = rootPomProperties();

        String from = fromImages(DOCKER.resolve("flink/Dockerfile")).get(0);
        Matcher flink = Pattern.compile("flink:(\\d+\\.\\d+\\.\\d+)-scala_2\\.12-java17")
                .matcher(from);
        assertThat(flink.matches()).as("docker/flink/Dockerfile FROM %s", from).isTrue();
        assertThat(flink.group(1))
                .as("Flink of the image vs flink.version of the root pom")
                .isEqualTo(pom.get("flink.version"));

        Map<String, Object> services = services();
        assertThat(image(services, "elasticsearch"))
                .isEqualTo("docker.elastic.co/elasticsearch/elasticsearch-oss:7.10.2");
        assertThat(image(services, "kibana")).isEqualTo("docker.elastic.co/kibana/kibana-oss:7.10.2");
        // the local stack's Elasticsearch is elasticsearch-cluster-runner 7.10.2.x
        assertThat(pom.get("elasticsearch-cluster-runner.version")).startsWith("7.10.2.");
        assertThat(image(services, "kafka")).isEqualTo("apache/kafka:" + pom.get("kafka.version"));
    }

    @Test
    void everyImageIsPinnedAndEveryLongRunningServiceHasAHealthcheck() throws IOException {
        Map<String, Object> services = services();
        for (Map.Entry<String, Object> service : services.entrySet()) {
            Map<String, Object> definition = map(service.getValue());
            String image = (String) definition.get("image");
            assertThat(image).as("image of %s", service.getKey()).isNotNull();
            String tag = image.substring(image.lastIndexOf('/') + 1);
            assertThat(tag).as("image of %s has a tag", service.getKey()).contains(":");
            assertThat(tag).as("image of %s is pinned", service.getKey()).doesNotEndWith(":latest");

            // one-shot services say restart "no"; everything else keeps running and must say when it is healthy
            boolean oneShot = "no".equals(String.valueOf(definition.get("restart")));
            if (!oneShot) {
                Map<String, Object> healthcheck = map(definition.get("healthcheck"));
                assertThat(list(healthcheck.get("test")))
                        .as("healthcheck of %s", service.getKey())
                        .isNotEmpty();
            }

            Object dependsOn = definition.get("depends_on");
            if (dependsOn != null) {
                assertThat(dependsOn)
                        .as("depends_on of %s names conditions", service.getKey())
                        .isInstanceOf(Map.class);
                for (Map.Entry<String, Object> dependency : map(dependsOn).entrySet()) {
                    assertThat(services)
                            .as("%s depends on a service of this file", service.getKey())
                            .containsKey(dependency.getKey());
                    assertThat(map(dependency.getValue()).get("condition"))
                            .as("condition of %s on %s", service.getKey(), dependency.getKey())
                            .isIn("service_started", "service_healthy", "service_completed_successfully");
                }
            }
        }
    }

    @Test
    void theDockerFilesAreTheEnvironmentPartOfTheStack() throws IOException {
        // sql/init/docker.sql names hosts that must be services of this stack
        String docker = Files.readString(HOME.resolve("sql/init/docker.sql"));
        assertThat(docker).contains("'kafka:9092'", "'http://elasticsearch:9200'");
        assertThat(services()).containsKeys("kafka", "elasticsearch");
    }

    // --- (4) Kibana's fields are the sinks' columns -------------------------------------------------------

    @Test
    void kibanaSavedObjectsAreValidAndReferenceEachOther() throws IOException {
        Map<String, JsonNode> objects = savedObjects();
        assertThat(objects.values().stream().map(o -> o.path("type").asText()))
                .contains("index-pattern", "visualization", "dashboard");

        for (JsonNode object : objects.values()) {
            String id = object.path("id").asText();
            String type = object.path("type").asText();
            assertThat(object.path("migrationVersion").path(type).isTextual())
                    .as("migrationVersion of %s", id)
                    .isTrue();
            for (JsonNode reference : object.path("references")) {
                JsonNode target = objects.get(reference.path("id").asText());
                assertThat(target).as("%s references %s", id, reference).isNotNull();
                assertThat(target.path("type").asText())
                        .as("type of %s's reference %s", id, reference)
                        .isEqualTo(reference.path("type").asText());
            }
            JsonNode attributes = object.path("attributes");
            if (type.equals("visualization")) {
                JsonNode visState = JSON.readTree(attributes.path("visState").asText());
                assertThat(visState.path("title").asText())
                        .isEqualTo(attributes.path("title").asText());
                assertThat(visState.path("aggs").isArray()).as("aggs of %s", id).isTrue();
                indexPatternOf(object, objects); // resolves, or fails
            }
            if (type.equals("dashboard")) {
                JsonNode panels = JSON.readTree(attributes.path("panelsJSON").asText());
                assertThat(panels).as("panels of %s", id).isNotEmpty();
                Set<String> refNames = new LinkedHashSet<>();
                object.path("references")
                        .forEach(r -> refNames.add(r.path("name").asText()));
                for (JsonNode panel : panels) {
                    assertThat(refNames)
                            .as("panel %s of %s", panel, id)
                            .contains(panel.path("panelRefName").asText());
                }
            }
        }
    }

    @Test
    void everyFieldKibanaUsesIsAColumnOfItsSinkTable() throws IOException {
        Map<String, SinkTable> tablesByIndex = sinkTablesByIndex();
        Map<String, JsonNode> objects = savedObjects();
        List<String> problems = new ArrayList<>();
        Set<String> patternsSeen = new LinkedHashSet<>();

        for (JsonNode object : objects.values()) {
            String type = object.path("type").asText();
            JsonNode pattern;
            List<String> fields = new ArrayList<>();
            if (type.equals("index-pattern")) {
                pattern = object;
                JsonNode attributes = object.path("attributes");
                fields.add(attributes.path("timeFieldName").asText());
                String formatMap = attributes.path("fieldFormatMap").asText("");
                if (!formatMap.isEmpty()) {
                    JSON.readTree(formatMap).fieldNames().forEachRemaining(fields::add);
                }
            } else if (type.equals("visualization")) {
                pattern = indexPatternOf(object, objects);
                collectFields(
                        JSON.readTree(object.path("attributes").path("visState").asText()), fields);
            } else {
                continue;
            }

            String title = pattern.path("attributes").path("title").asText();
            patternsSeen.add(title);
            SinkTable table = tablesByIndex.get(indexOf(title));
            if (table == null) {
                problems.add(
                        object.path("id").asText() + ": no sink table in sinks.sql writes index " + indexOf(title));
                continue;
            }
            for (String field : fields) {
                if (!table.has(field)) {
                    problems.add(object.path("id").asText() + ": field '" + field + "' is not a column of " + table.name
                            + " (a MAP column's keys count as its sub-fields)");
                }
            }
        }

        assertThat(problems).isEmpty();
        // every sink has its index pattern, and every skipped pattern really has no sink yet
        for (String index : tablesByIndex.keySet()) {
            if (JAEGER_INDEXES.contains(index)) {
                continue;
            }
            assertThat(patternsSeen)
                    .as("index pattern for sink index %s", index)
                    .contains(index + "*");
        }
    }

    @Test
    void theChartsUseTheRouteOperationsOfTheSimulatorAndOfHotrod() throws IOException {
        Map<String, JsonNode> objects = savedObjects();
        List<String> fields = new ArrayList<>();
        for (JsonNode object : objects.values()) {
            if (object.path("type").asText().equals("visualization")) {
                collectFields(
                        JSON.readTree(object.path("attributes").path("visState").asText()), fields);
            }
        }
        // the book's chart (the simulator's configs) and HotROD's route service (operation /route)
        assertThat(fields)
                .contains(
                        "spanCounts.route::/GetShortestRoute",
                        "spanCounts.route::/route",
                        "testName",
                        "durationMicros",
                        "errorCount",
                        "rootOperation",
                        "micros",
                        "service");
        String simulatorConfig =
                Files.readString(HOME.resolve("simulator/src/main/resources/configs/hotrod-original.json"));
        assertThat(simulatorConfig).contains("\"route\"", "\"/GetShortestRoute\"");
    }

    @Test
    void theValueAxisAndTheSeriesOfEveryLineOrAreaChartAreTitledAsTheirMetric() throws IOException {
        List<String> problems = new ArrayList<>();
        int checked = 0;
        for (JsonNode object : savedObjects().values()) {
            if (!object.path("type").asText().equals("visualization")) {
                continue;
            }
            String id = object.path("id").asText();
            JsonNode visState =
                    JSON.readTree(object.path("attributes").path("visState").asText());
            Map<String, String> labels = new LinkedHashMap<>();
            visState.path("aggs")
                    .forEach(agg -> labels.put(
                            agg.path("id").asText(),
                            agg.path("params").path("customLabel").asText()));
            Map<String, String> axisTitles = new LinkedHashMap<>();
            visState.at("/params/valueAxes")
                    .forEach(axis -> axisTitles.put(
                            axis.path("id").asText(), axis.at("/title/text").asText()));
            for (JsonNode series : visState.at("/params/seriesParams")) {
                checked++;
                String label = labels.get(series.at("/data/id").asText());
                if (!series.at("/data/label").asText().equals(label)) {
                    problems.add(id + ": series " + series.at("/data") + " is not labelled '" + label + "'");
                }
                String axisTitle = axisTitles.get(series.path("valueAxis").asText());
                if (!Objects.equals(label, axisTitle)) {
                    problems.add(id + ": the value axis of '" + label + "' is titled '" + axisTitle + "'");
                }
            }
        }
        assertThat(checked).as("series of line and area charts").isGreaterThan(5);
        assertThat(problems).isEmpty();
    }

    @Test
    void everySinkIndexHasAnIndexTemplateThatTheStackInstalls() throws IOException {
        Map<String, SinkTable> tables = sinkTablesByIndex();
        for (String index : tables.keySet()) {
            if (JAEGER_INDEXES.contains(index)) {
                continue;
            }
            Path template = HOME.resolve("sql/index-templates/" + index + ".json");
            assertThat(template).as("index template for %s", index).isRegularFile();
            // daily indexes (index-YYYY-MM-DD), searched through the alias of the index's fixed name
            JsonNode parsed = JSON.readTree(template.toFile());
            assertThat(parsed.path("index_patterns").toString()).contains("\"" + index + "-*\"");
            assertThat(parsed.at("/template/aliases").has(index))
                    .as("alias %s in %s", index, template)
                    .isTrue();
            assertThat(parsed.at("/template/mappings/_meta/owner").asText()).isEqualTo("tracefeatures");
        }
        Map<String, Object> templates = map(services().get("es-templates"));
        assertThat(list(templates.get("volumes")))
                .anySatisfy(v -> assertThat(bindSource(v)).contains("../sql/index-templates"));
    }

    // --- (5) the report's charts are the dashboard's ----------------------------------------------------------

    @Test
    void everyChartOfTheReportIsOnTheDashboardWithItsTitleIndexMetricAndSeries() throws IOException {
        Map<String, JsonNode> objects = savedObjects();
        Set<String> onTheDashboard = new LinkedHashSet<>();
        objects.get("tracefeatures-dashboard")
                .path("references")
                .forEach(reference -> onTheDashboard.add(reference.path("id").asText()));
        // the sink tables' indexes, as bin/tracefeatures report reads them by default
        List<ChartDefinition> charts =
                ReportCharts.over("trace-summaries", "trace-features", "trace-critical-path", "service-graph");

        for (ChartDefinition chart : charts) {
            // the dashboard's book chart names its traffic: "... by test (simulator)"
            List<JsonNode> visualizations = objects.values().stream()
                    .filter(object -> object.path("type").asText().equals("visualization"))
                    .filter(object -> {
                        String title = object.path("attributes").path("title").asText();
                        return title.equals(chart.title()) || title.startsWith(chart.title() + " (");
                    })
                    .toList();
            assertThat(visualizations)
                    .as("Kibana visualizations titled as the report's chart %s", chart.title())
                    .hasSize(1);
            JsonNode visualization = visualizations.get(0);
            String id = visualization.path("id").asText();
            assertThat(onTheDashboard).as("the dashboard shows %s", id).contains(id);
            assertThat(indexPatternOf(visualization, objects)
                            .path("attributes")
                            .path("title")
                            .asText())
                    .as("index pattern of %s", id)
                    .isEqualTo(chart.index() + "*");

            JsonNode aggs = JSON.readTree(
                            visualization.path("attributes").path("visState").asText())
                    .path("aggs");
            List<JsonNode> metrics = new ArrayList<>();
            List<JsonNode> splits = new ArrayList<>();
            for (JsonNode agg : aggs) {
                if (agg.path("schema").asText().equals("metric")) {
                    metrics.add(agg);
                } else if (agg.path("type").asText().equals("terms")) {
                    splits.add(agg);
                }
            }
            assertThat(metrics).as("metrics of %s", id).hasSize(1);
            JsonNode metric = metrics.get(0);
            assertThat(metric.path("type").asText())
                    .as("metric of %s", id)
                    .isEqualTo(chart.metric().name().toLowerCase(Locale.ROOT));
            assertThat(metric.at("/params/field").asText())
                    .as("metric field of %s", id)
                    .isEqualTo(chart.valueField());
            assertThat(splits).as("terms of %s", id).hasSize(1);
            assertThat(splits.get(0).at("/params/field").asText())
                    .as("series of %s", id)
                    .isEqualTo(chart.splitField());
            if (chart.seriesOrder() == ChartDefinition.SeriesOrder.BY_METRIC) {
                assertThat(splits.get(0).at("/params/orderBy").asText())
                        .as("series of %s ordered by the metric", id)
                        .isEqualTo(metric.path("id").asText());
                assertThat(splits.get(0).at("/params/order").asText()).isEqualTo("desc");
            }
        }
    }

    // --- helpers --------------------------------------------------------------------------------------------

    private static Path home() {
        String home = System.getProperty("tracefeatures.home");
        Path path = home != null ? Path.of(home) : Path.of("..");
        Path normalized = path.toAbsolutePath().normalize();
        if (!Files.isRegularFile(normalized.resolve("docker/docker-compose.yml"))) {
            throw new IllegalStateException("no docker/docker-compose.yml under " + normalized
                    + ": set -Dtracefeatures.home to the repository root");
        }
        return normalized;
    }

    private record Result(int exitCode, String output) {}

    private static Result run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command)
                .directory(HOME.toFile())
                .redirectErrorStream(true)
                .start();
        byte[] output;
        try (InputStream in = process.getInputStream()) {
            output = in.readAllBytes();
        }
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            fail("%s did not finish within 120 s", String.join(" ", command));
        }
        return new Result(process.exitValue(), new String(output, StandardCharsets.UTF_8));
    }

    private static String dockerCompose() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path candidate = Path.of(dir, "docker-compose");
            if (Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        return fail("docker-compose is not installed: install the Debian package docker-compose"
                + " (apt-get install -y docker-compose), as docker/README.md says, and run the test again");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> services() throws IOException {
        return map(compose().get("services"));
    }

    private static Map<String, Object> compose() throws IOException {
        LoaderOptions options = new LoaderOptions();
        Yaml yaml = new Yaml(new SafeConstructor(options));
        try (Reader reader = Files.newBufferedReader(COMPOSE_FILE)) {
            return (Map<String, Object>) yaml.load(reader);
        }
    }

    static String image(Map<String, Object> services, String service) {
        return (String) map(services.get(service)).get("image");
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object value) {
        return value == null ? Map.of() : (Map<String, Object>) value;
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Object value) {
        return value == null ? List.of() : (List<Object>) value;
    }

    /** The host path of a bind mount (short or long syntax); empty for a named volume. */
    private static Optional<String> bindSource(Object volume) {
        if (volume instanceof String shortSyntax) {
            String source = shortSyntax.split(":", 2)[0];
            return source.startsWith(".") || source.startsWith("/") ? Optional.of(source) : Optional.empty();
        }
        Map<String, Object> longSyntax = map(volume);
        return "bind".equals(longSyntax.get("type"))
                ? Optional.of((String) longSyntax.get("source"))
                : Optional.empty();
    }

    /** Dockerfile instructions with continuation lines joined and comments dropped. */
    private static List<String> instructions(Path dockerfile) throws IOException {
        List<String> instructions = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : Files.readAllLines(dockerfile)) {
            String trimmed = line.trim();
            if (trimmed.startsWith("#") || trimmed.isEmpty()) {
                continue;
            }
            if (trimmed.endsWith("\\")) {
                current.append(trimmed, 0, trimmed.length() - 1).append(' ');
                continue;
            }
            current.append(trimmed);
            instructions.add(current.toString());
            current.setLength(0);
        }
        return instructions;
    }

    /** The context paths that COPY and ADD take (not those of COPY --from, which come from another stage). */
    private static List<String> copySources(Path dockerfile) throws IOException {
        List<String> sources = new ArrayList<>();
        for (String instruction : instructions(dockerfile)) {
            String[] words = instruction.split("\\s+");
            if (!words[0].equalsIgnoreCase("COPY") && !words[0].equalsIgnoreCase("ADD")) {
                continue;
            }
            List<String> arguments = new ArrayList<>();
            boolean fromStage = false;
            for (int i = 1; i < words.length; i++) {
                if (words[i].startsWith("--from=")) {
                    fromStage = true;
                } else if (!words[i].startsWith("--")) {
                    arguments.add(words[i]);
                }
            }
            if (!fromStage) {
                sources.addAll(arguments.subList(0, arguments.size() - 1)); // the last one is the destination
            }
        }
        return sources;
    }

    private static List<String> fromImages(Path dockerfile) throws IOException {
        List<String> images = new ArrayList<>();
        for (String instruction : instructions(dockerfile)) {
            String[] words = instruction.split("\\s+");
            if (words[0].equalsIgnoreCase("FROM")) {
                images.add(words[1]);
            }
        }
        return images;
    }

    /** The paths a Dockerfile's own ignore file (BuildKit: Dockerfile.dockerignore) keeps with '!'; null without one. */
    private static Set<String> dockerignoreExceptions(Path dockerfile) throws IOException {
        Path ignore = dockerfile.resolveSibling(dockerfile.getFileName() + ".dockerignore");
        if (!Files.isRegularFile(ignore)) {
            return null;
        }
        Set<String> kept = new LinkedHashSet<>();
        for (String line : Files.readAllLines(ignore)) {
            if (line.startsWith("!")) {
                kept.add(line.substring(1).trim());
            }
        }
        return kept;
    }

    private static Map<String, String> rootPomProperties() throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        Document pom =
                factory.newDocumentBuilder().parse(HOME.resolve("pom.xml").toFile());
        Element properties = (Element)
                pom.getDocumentElement().getElementsByTagName("properties").item(0);
        Map<String, String> values = new LinkedHashMap<>();
        for (org.w3c.dom.Node child = properties.getFirstChild(); child != null; child = child.getNextSibling()) {
            if (child instanceof Element element) {
                values.put(element.getTagName(), element.getTextContent().trim());
            }
        }
        return values;
    }

    private static Map<String, JsonNode> savedObjects() throws IOException {
        Map<String, JsonNode> objects = new LinkedHashMap<>();
        List<String> lines = Files.readAllLines(SAVED_OBJECTS);
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            assertThat(line)
                    .as("line %d of %s: NDJSON has no blank lines", i + 1, SAVED_OBJECTS)
                    .isNotBlank();
            JsonNode object = JSON.readTree(line);
            assertThat(object.isObject()).as("line %d is a JSON object", i + 1).isTrue();
            String id = object.path("id").asText();
            assertThat(id).as("id on line %d", i + 1).isNotEmpty();
            assertThat(object.path("attributes").isObject())
                    .as("attributes of %s", id)
                    .isTrue();
            assertThat(objects.put(id, object)).as("id %s appears once", id).isNull();
        }
        return objects;
    }

    /** The index pattern that a visualization's search source names through its indexRefName. */
    private static JsonNode indexPatternOf(JsonNode visualization, Map<String, JsonNode> objects) throws IOException {
        String id = visualization.path("id").asText();
        JsonNode searchSource = JSON.readTree(visualization
                .path("attributes")
                .path("kibanaSavedObjectMeta")
                .path("searchSourceJSON")
                .asText());
        String refName = searchSource.path("indexRefName").asText();
        assertThat(refName).as("indexRefName of %s", id).isNotEmpty();
        for (JsonNode reference : visualization.path("references")) {
            if (reference.path("name").asText().equals(refName)) {
                JsonNode pattern = objects.get(reference.path("id").asText());
                assertThat(pattern).as("index pattern %s of %s", reference, id).isNotNull();
                assertThat(pattern.path("type").asText()).isEqualTo("index-pattern");
                return pattern;
            }
        }
        return fail("%s has no reference named %s", id, refName);
    }

    /** Every value of a key "field" in a visState: the aggs' fields and any in the params. */
    private static void collectFields(JsonNode node, List<String> fields) {
        if (node.isObject()) {
            Iterator<Map.Entry<String, JsonNode>> entries = node.fields();
            while (entries.hasNext()) {
                Map.Entry<String, JsonNode> entry = entries.next();
                if (entry.getKey().equals("field") && entry.getValue().isTextual()) {
                    fields.add(entry.getValue().asText());
                } else {
                    collectFields(entry.getValue(), fields);
                }
            }
        } else if (node.isArray()) {
            node.forEach(child -> collectFields(child, fields));
        }
    }

    private static String indexOf(String patternTitle) {
        return patternTitle.endsWith("*") ? patternTitle.substring(0, patternTitle.length() - 1) : patternTitle;
    }

    /** A CREATE TABLE of sinks.sql: column name to SQL type, and the Elasticsearch index it writes. */
    private record SinkTable(String name, String index, Map<String, String> columns) {
        boolean has(String field) {
            if (columns.containsKey(field)) {
                return true;
            }
            int dot = field.indexOf('.');
            // spanCounts.route::/GetShortestRoute is key "route::/GetShortestRoute" of the MAP column spanCounts
            return dot > 0
                    && columns.getOrDefault(field.substring(0, dot), "")
                            .toUpperCase()
                            .startsWith("MAP<");
        }
    }

    private static final Pattern CREATE_TABLE = Pattern.compile(
            "CREATE\\s+TABLE\\s+`?(\\w+)`?\\s*\\((.*?)\\)\\s*WITH\\s*\\((.*?)\\)\\s*(?:LIKE\\s+\\w+\\s*)?;",
            Pattern.CASE_INSENSITIVE | Pattern.DOTALL);
    private static final Pattern INDEX_OPTION = Pattern.compile("'index'\\s*=\\s*'([^']+)'");

    private static Map<String, SinkTable> sinkTablesByIndex() throws IOException {
        String sql = Files.readString(SINKS_SQL).replaceAll("--[^\\n]*", "");
        Map<String, SinkTable> tables = new LinkedHashMap<>();
        Matcher create = CREATE_TABLE.matcher(sql);
        while (create.find()) {
            Matcher index = INDEX_OPTION.matcher(create.group(3));
            assertThat(index.find())
                    .as("'index' option of sink table %s", create.group(1))
                    .isTrue();
            Map<String, String> columns = new LinkedHashMap<>();
            for (String definition : splitTopLevel(create.group(2))) {
                String trimmed = definition.trim();
                String upper = trimmed.toUpperCase();
                if (trimmed.isEmpty()
                        || upper.startsWith("PRIMARY KEY")
                        || upper.startsWith("WATERMARK")
                        || upper.startsWith("CONSTRAINT")) {
                    continue;
                }
                Matcher column = Pattern.compile("(`[^`]+`|\\S+)\\s+(.+)", Pattern.DOTALL)
                        .matcher(trimmed);
                assertThat(column.matches()).as("column definition %s", trimmed).isTrue();
                columns.put(column.group(1).replace("`", ""), column.group(2).trim());
            }
            // a dynamic index such as span-metrics-{@timestamp|yyyy-MM-dd} is named for its fixed part
            String name = index.group(1).replaceFirst("-?\\{[^}]*}$", "");
            tables.put(name, new SinkTable(create.group(1), name, columns));
        }
        assertThat(tables).as("sink tables in %s", SINKS_SQL).isNotEmpty();
        return tables;
    }

    /** Splits a column list at the commas that are not inside (), <> or backquotes. */
    private static List<String> splitTopLevel(String columnList) {
        List<String> parts = new ArrayList<>();
        int depth = 0;
        boolean quoted = false;
        StringBuilder current = new StringBuilder();
        for (char c : columnList.toCharArray()) {
            if (c == '`') {
                quoted = !quoted;
            } else if (!quoted && (c == '(' || c == '<')) {
                depth++;
            } else if (!quoted && (c == ')' || c == '>')) {
                depth--;
            } else if (!quoted && depth == 0 && c == ',') {
                parts.add(current.toString());
                current.setLength(0);
                continue;
            }
            current.append(c);
        }
        parts.add(current.toString());
        return parts;
    }
}
