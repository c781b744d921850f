package org.tracefeatures.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real stack, started from the classpath files of the sibling modules, on ports apart from the defaults so that a
 * stack a developer runs does not get in the way.
 */
class LocalStackITCase {

    private static final String TEMPLATE = "itcase-spans";

    @TempDir
    static Path tempDir;

    private static LocalStackConfig config;
    private static LocalStack stack;
    private static final StringWriter output = new StringWriter();

    @BeforeAll
    static void up() throws IOException {
        Path checkout = Path.of(System.getProperty("launcher.basedir", ""))
                .toAbsolutePath()
                .resolve("../..")
                .normalize();
        Path templates = Files.createDirectories(tempDir.resolve("templates"));
        Files.writeString(templates.resolve(TEMPLATE + ".json"), """
                {
                  "index_patterns": ["itcase-spans-*"],
                  "template": {
                    "settings": {"number_of_replicas": 0},
                    "mappings": {"properties": {"traceId": {"type": "keyword"}}}
                  }
                }
                """);
        config = LocalStackConfig.builder(checkout)
                .dataDir(tempDir.resolve("stack"))
                .templatesDir(templates)
                .kafkaPort(29092)
                .kafkaControllerPort(29093)
                .elasticsearchHttpPort(29200)
                .elasticsearchTransportPort(29300)
                .build();
        stack = new LocalStack(config, new PrintWriter(output, true));
        stack.up();
    }

    @AfterAll
    static void down() {
        if (stack != null) {
            stack.down(true);
        }
        System.out.println(output);
    }

    @Test
    void bothServersAreHealthy() {
        StackStatus status = stack.status();

        assertThat(status.isHealthy()).isTrue();
        assertThat(status.kafka().pid()).isPresent();
        assertThat(status.elasticsearch().pid()).isPresent();
        assertThat(status.kafka().port()).isEqualTo(29092);
        assertThat(status.elasticsearch().port()).isEqualTo(29200);
        assertThat(output.toString())
                .contains(
                        "Data: " + config.dataDir(), "Logs: " + config.dataDir().resolve("logs"));
    }

    /**
     * A record goes through the span topic, stamped by the broker's clock (LogAppendTime): the hour-ahead timestamp its
     * producer gave it is not what a consumer reads.
     */
    @Test
    void aRecordGoesThroughTheSpanTopicStampedByTheBroker() {
        String key = UUID.randomUUID().toString();
        long sent = System.currentTimeMillis();
        Map<String, Object> producerConfig =
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.kafkaBootstrapServers());
        try (KafkaProducer<String, String> producer =
                new KafkaProducer<>(producerConfig, new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>(
                            config.topic(), null, sent + Duration.ofHours(1).toMillis(), key, "a span"))
                    .get();
        } catch (Exception e) {
            throw new AssertionError("could not produce to " + config.topic(), e);
        }

        Map<String, Object> consumerConfig = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                config.kafkaBootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG,
                "itcase-" + key,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                "earliest");
        List<ConsumerRecord<String, String>> received = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer =
                new KafkaConsumer<>(consumerConfig, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(config.topic()));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (received.stream().noneMatch(record -> record.key().equals(key)) && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(500)).forEach(received::add);
            }
        }

        assertThat(received).anySatisfy(record -> {
            assertThat(record.key()).isEqualTo(key);
            assertThat(record.value()).isEqualTo("a span");
            assertThat(record.timestampType()).isEqualTo(TimestampType.LOG_APPEND_TIME);
            assertThat(record.timestamp()).isBetween(sent - 60_000, sent + 60_000);
        });
    }

    @Test
    void theTemplatesOfTheDirectoryAreInstalled() throws IOException, InterruptedException {
        HttpResponse<String> response = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(config.elasticsearchUrl() + "/_index_template/" + TEMPLATE))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("\"name\":\"" + TEMPLATE + "\"", "itcase-spans-*");
    }

    @Test
    void aSecondUpIsHarmless() {
        StackStatus before = stack.status();
        StringWriter secondOutput = new StringWriter();

        new LocalStack(config, new PrintWriter(secondOutput, true)).up();

        assertThat(secondOutput.toString())
                .contains(
                        "Kafka: already running",
                        "Elasticsearch: already running",
                        "installed index templates " + TEMPLATE);
        StackStatus after = stack.status();
        assertThat(after.isHealthy()).isTrue();
        assertThat(after.kafka().pid()).isEqualTo(before.kafka().pid());
        assertThat(after.elasticsearch().pid()).isEqualTo(before.elasticsearch().pid());
    }

    @Test
    void anotherStackOnTheSamePortsIsToldWhichPortsAreTaken() {
        LocalStack another = new LocalStack(
                LocalStackConfig.builder(Path.of(""))
                        .dataDir(tempDir.resolve("another-stack"))
                        .templatesDir(config.templatesDir())
                        .kafkaClasspathFile(config.kafkaClasspathFile())
                        .elasticsearchClasspathFile(config.elasticsearchClasspathFile())
                        .kafkaPort(29092)
                        .kafkaControllerPort(29093)
                        .elasticsearchHttpPort(29200)
                        .elasticsearchTransportPort(29300)
                        .build(),
                new PrintWriter(new StringWriter()));

        assertThatThrownBy(another::up)
                .isInstanceOf(LocalStackException.class)
                .hasMessageContaining("port 29092 (for Kafka) is in use by another process; stop it or pass "
                        + "--kafka-port with a free port")
                .hasMessageContaining("port 29200 (for Elasticsearch) is in use by another process");
        assertThat(tempDir.resolve("another-stack")).doesNotExist();
    }

    @Test
    void serversThatCannotStartAreReportedWithTheirLogs() throws IOException {
        // a classpath without the servers' classes: both JVMs exit at once
        Path emptyClasspath = Files.writeString(tempDir.resolve("empty-classpath.txt"), tempDir.toString());
        Path dataDir = tempDir.resolve("broken-stack");
        LocalStack broken = new LocalStack(
                LocalStackConfig.builder(Path.of(""))
                        .dataDir(dataDir)
                        .templatesDir(config.templatesDir())
                        .kafkaClasspathFile(emptyClasspath)
                        .elasticsearchClasspathFile(emptyClasspath)
                        .kafkaPort(29094)
                        .kafkaControllerPort(29095)
                        .elasticsearchHttpPort(29201)
                        .elasticsearchTransportPort(29301)
                        .build(),
                new PrintWriter(new StringWriter()));

        assertThatThrownBy(broken::up)
                .isInstanceOf(LocalStackException.class)
                .hasMessageContaining("formatting the Kafka storage in " + dataDir.resolve("kafka/data")
                        + " failed (exit code 1); see " + dataDir.resolve("logs/kafka.log"))
                .hasMessageContaining("exited while starting; see " + dataDir.resolve("logs/elasticsearch.log"));
        assertThat(Files.readString(dataDir.resolve("logs/elasticsearch.log")))
                .contains("ClassNotFoundException: " + ElasticsearchNodeMain.RUNNER_CLASS);
        assertThat(broken.status().servers()).noneMatch(ServerStatus::running);
    }
}
