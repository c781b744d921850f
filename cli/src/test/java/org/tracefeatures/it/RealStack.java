package org.tracefeatures.it;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Future;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.tracefeatures.elasticsearch.ElasticsearchClient;
import org.tracefeatures.simulator.SimulateCommand;
import org.tracefeatures.stack.LocalStack;
import org.tracefeatures.stack.LocalStackConfig;
import org.tracefeatures.stack.StackStatus;
import picocli.CommandLine;

/**
 * The real Kafka broker and Elasticsearch node, started once per test run on ports of their own (so a
 * developer's `stack up` on the default ports does not interfere) and stopped at the end of the run.
 * Each test class gets its own topic and indexes through {@link #newScope}.
 */
public final class RealStack implements BeforeAllCallback, ExtensionContext.Store.CloseableResource {
    // -Dit.kafka.port / -Dit.elasticsearch.port let two checkouts run their tests side by side
    /**
     * The lock that every integration test class holds (READ) while it uses the stack's processes, and that the fault
     * injection tests which kill or stop one of them hold alone (READ_WRITE): FaultInjectionITCase runs beside the
     * other classes (junit.jupiter.execution.parallel in the failsafe configuration).
     */
    public static final String SHARED_PROCESSES = "the Kafka broker, the Elasticsearch node and the Flink cluster";

    static final int KAFKA_PORT = Integer.getInteger("tracefeatures.it.kafka-port", 19092);
    static final int ELASTICSEARCH_PORT = Integer.getInteger("tracefeatures.it.elasticsearch-port", 19200);

    private static LocalStack stack;

    public static final Path HOME = Path.of(System.getProperty("tracefeatures.home", ".."))
            .toAbsolutePath()
            .normalize();
    public static final Path WORK_DIR = Path.of(System.getProperty("tracefeatures.it.dir", "target/it"))
            .toAbsolutePath()
            .normalize();

    @Override
    public void beforeAll(ExtensionContext context) {
        synchronized (RealStack.class) {
            if (stack != null) {
                return;
            }
            LocalStackConfig config = LocalStackConfig.builder(HOME)
                    .dataDir(WORK_DIR.resolve("stack"))
                    .kafkaPort(KAFKA_PORT)
                    .kafkaControllerPort(KAFKA_PORT + 1)
                    .elasticsearchHttpPort(ELASTICSEARCH_PORT)
                    .elasticsearchTransportPort(ELASTICSEARCH_PORT + 100)
                    .build();
            LocalStack local = new LocalStack(config);
            local.down(true); // whatever an aborted earlier run left behind
            local.up();
            stack = local;
            context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL).put(RealStack.class.getName(), this);
        }
    }

    @Override
    public void close() {
        synchronized (RealStack.class) {
            if (stack != null) {
                stack.down(false);
                stack = null;
            }
        }
    }

    /**
     * Stops one server, gracefully as `stack down` does, and keeps its data dir: an outage for a fault-injection test.
     * {@link #startStoppedServer()} ends it.
     */
    public static void stop(LocalStack.Server server) {
        stack.stop(server);
    }

    /** Starts the stopped server again on its data dir and ports, and waits until it answers. */
    public static void startStoppedServer() {
        stack.up();
    }

    /** The Kafka and Elasticsearch processes, e.g. their pids: a restarted server has a new one. */
    public static StackStatus status() {
        return stack.status();
    }

    public static String kafka() {
        return "127.0.0.1:" + KAFKA_PORT;
    }

    public static ElasticsearchClient elasticsearch() {
        return new ElasticsearchClient(URI.create("http://127.0.0.1:" + ELASTICSEARCH_PORT));
    }

    /**
     * Waits, if need be, for the next minute, so that at least {@code seconds} are left in the minute: a test whose
     * expectations are per minute sends its traffic then.
     */
    public static void startWithSecondsLeftInTheMinute(int seconds) throws InterruptedException {
        Instant now = Instant.now();
        Instant nextMinute = now.truncatedTo(ChronoUnit.MINUTES).plus(1, ChronoUnit.MINUTES);
        if (nextMinute.toEpochMilli() - now.toEpochMilli() < seconds * 1000L) {
            Thread.sleep(nextMinute.toEpochMilli() - now.toEpochMilli() + 100);
        }
    }

    /**
     * Changes fields of a document in place (a partial update), e.g. so that a test can tell whether a job's
     * second run rewrote it.
     */
    public static void updateDocument(String index, String id, String partialDocument) {
        HttpRequest update = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + ELASTICSEARCH_PORT + "/" + index
                        + "/_update/" + URLEncoder.encode(id, StandardCharsets.UTF_8) + "?refresh=true"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"doc\":" + partialDocument + "}"))
                .build();
        try {
            HttpResponse<String> response =
                    HttpClient.newHttpClient().send(update, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("update of " + index + "/" + id + " answered " + response.statusCode()
                        + ": " + response.body());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** The file of a test resource, such as a simulator config under src/test/resources/simulator/. */
    public static String resourcePath(String name) {
        try {
            return Path.of(RealStack.class.getResource(name).toURI()).toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(name, e);
        }
    }

    /** A topic and index names of one test class's own, with the init parts that point the SQL at them. */
    public static Scope newScope(String name) {
        return newScope(name, 1, Map.of());
    }

    /** The same with a topic of {@code partitions} partitions and the given topic configuration. */
    public static Scope newScope(String name, int partitions, Map<String, String> topicConfig) {
        String suffix = name + "-" + UUID.randomUUID().toString().substring(0, 8);
        return new Scope("it-spans-" + suffix, suffix, partitions, topicConfig);
    }

    public static final class Scope {
        public final String topic;
        private final String indexSuffix;

        private Scope(String topic, String indexSuffix, int partitions, Map<String, String> topicConfig) {
            this.topic = topic;
            this.indexSuffix = indexSuffix;
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka()))) {
                admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1).configs(topicConfig)))
                        .all()
                        .get();
            } catch (Exception e) {
                throw new IllegalStateException("cannot create topic " + topic, e);
            }
        }

        /** The index that a sink's default index becomes in this scope, e.g. trace-summaries-it-x. */
        public String index(String defaultIndex) {
            return defaultIndex + "-it-" + indexSuffix;
        }

        /** Simulates traffic into this scope's topic with the real simulator CLI. */
        public void simulate(String config, int traces, String testName, long seed) {
            simulate(config, traces, testName, seed, List.of());
        }

        /** The same with fixed times: trace k starts k ms after {@code startTime}. */
        public void simulate(String config, int traces, String testName, long seed, Instant startTime) {
            simulate(config, traces, testName, seed, List.of("--start-time", startTime.toString()));
        }

        /**
         * Simulates traffic in an encoding (jaeger-proto, jaeger-json, otlp-proto) with fixed times: the same seed and
         * start time give the same spans in every encoding.
         */
        public void simulate(String config, int traces, String testName, long seed, String encoding, Instant start) {
            simulate(config, traces, testName, seed, List.of("--encoding", encoding, "--start-time", start.toString()));
        }

        /** The same with more simulate options, such as --start-time or --sampling-probability. */
        public void simulate(String config, int traces, String testName, long seed, List<String> moreOptions) {
            StringWriter err = new StringWriter();
            CommandLine simulate = new CommandLine(new SimulateCommand()).setErr(new PrintWriter(err));
            List<String> args = new ArrayList<>(List.of(
                    "--config",
                    config,
                    "--traces",
                    String.valueOf(traces),
                    "--test-name",
                    testName,
                    "--seed",
                    String.valueOf(seed),
                    "--kafka",
                    kafka(),
                    "--topic",
                    topic));
            args.addAll(moreOptions);
            int exit = simulate.execute(args.toArray(String[]::new));
            if (exit != 0) {
                throw new IllegalStateException("simulate failed: " + err);
            }
        }

        /** The environment part for the test stack: the local one with the test ports. */
        public Path environmentPart() throws IOException {
            String local = Files.readString(HOME.resolve("sql/init/local.sql"));
            String test = local.replace("127.0.0.1:9092", kafka())
                    .replace("127.0.0.1:9200", "127.0.0.1:" + ELASTICSEARCH_PORT);
            if (test.equals(local)) {
                throw new IllegalStateException("sql/init/local.sql no longer names 127.0.0.1:9092 and :9200");
            }
            return write("env.sql", test);
        }

        /** Run after the default parts: this scope's topic and indexes. */
        public Path overridesPart(String... sinkTablesAndIndexes) throws IOException {
            StringBuilder sql = new StringBuilder();
            sql.append("ALTER TABLE span_source SET ('topic' = '").append(topic).append("');\n");
            for (int i = 0; i < sinkTablesAndIndexes.length; i += 2) {
                sql.append("ALTER TABLE ")
                        .append(sinkTablesAndIndexes[i])
                        .append(" SET ('index' = '")
                        .append(index(sinkTablesAndIndexes[i + 1]))
                        .append("');\n");
            }
            return write("overrides.sql", sql.toString());
        }

        /** A further init part of this scope, e.g. a sink's dynamic index, to run after the overrides. */
        public Path part(String name, String sql) throws IOException {
            return write(name, sql);
        }

        /** All init scripts for the runner: the default parts with the test environment, then the overrides. */
        public List<String> initScripts(Path overrides) throws IOException {
            return initScripts(org.tracefeatures.runner.SqlScripts.DEFAULT_INPUT, overrides);
        }

        /** The same for an input (span encoding) such as jaeger-json. */
        public List<String> initScripts(String input, Path overrides) throws IOException {
            List<String> scripts = new ArrayList<>(org.tracefeatures.runner.SqlScripts.initParts(
                    input, environmentPart().toString()));
            scripts.add(overrides.toString());
            return scripts;
        }

        /** Writes records as they are (null for a tombstone) to this scope's topic; returns their offsets. */
        public List<Long> produce(List<byte[]> values) throws Exception {
            return produce(null, values);
        }

        /**
         * The same with the Kafka record timestamp (the jobs' event time) set to {@code timestampMillis}, or to the
         * time of sending when null.
         */
        public List<Long> produce(Long timestampMillis, List<byte[]> values) throws Exception {
            List<Long> offsets = new ArrayList<>();
            try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka(),
                    ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName(),
                    ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName()))) {
                // all sent before waiting for any, so that a trace of 200,000 spans takes seconds, not minutes
                List<Future<RecordMetadata>> sent = new ArrayList<>();
                for (byte[] value : values) {
                    sent.add(producer.send(new ProducerRecord<>(
                            topic, null, timestampMillis, "bad".getBytes(StandardCharsets.UTF_8), value)));
                }
                for (Future<RecordMetadata> record : sent) {
                    offsets.add(record.get().offset());
                }
            }
            return offsets;
        }

        /** Every document of an index, after a refresh. */
        public List<JsonNode> documents(String defaultIndex) {
            ElasticsearchClient elasticsearch = elasticsearch();
            elasticsearch.refresh(index(defaultIndex));
            JsonNode hits = elasticsearch.search(index(defaultIndex), "{\"size\":10000,\"query\":{\"match_all\":{}}}");
            List<JsonNode> documents = new ArrayList<>();
            hits.at("/hits/hits").forEach(hit -> documents.add(hit));
            return documents;
        }

        private Path write(String name, String content) throws IOException {
            Path dir = Files.createDirectories(WORK_DIR.resolve("scopes").resolve(indexSuffix));
            return Files.writeString(dir.resolve(name), content, StandardCharsets.UTF_8);
        }
    }
}
