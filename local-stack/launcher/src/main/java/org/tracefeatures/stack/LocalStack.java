package org.tracefeatures.stack;

import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A real Kafka broker and a real Elasticsearch node, each in its own JVM that keeps running after this process ends,
 * started from the classpaths that the {@code local-stack/kafka-broker} and {@code local-stack/elasticsearch-node}
 * modules write. All their files (configuration, data, logs, pid files) live in the configured data directory.
 */
public final class LocalStack {

    private static final Duration STOP_GRACE_PERIOD = Duration.ofSeconds(30);
    private static final Duration HEALTH_PROBE_TIMEOUT = Duration.ofSeconds(2);
    private static final Duration HEALTH_POLL_INTERVAL = Duration.ofMillis(250);
    /** What the data directory holds; {@link #down(boolean)} wipes nothing else. */
    private static final Set<String> DATA_DIR_ENTRIES = Set.of("kafka", "elasticsearch", "flink", "logs", "run");

    private final LocalStackConfig config;
    private final PrintWriter out;
    private final KafkaBroker kafka;
    private final ElasticsearchNode elasticsearch;

    /** A stack that reports what it does on standard output. */
    public LocalStack(LocalStackConfig config) {
        this(config, new PrintWriter(System.out, true));
    }

    /** A stack that reports what it does on {@code out}. */
    public LocalStack(LocalStackConfig config, PrintWriter out) {
        this.config = config;
        this.out = out;
        this.kafka = new KafkaBroker(config);
        this.elasticsearch = new ElasticsearchNode(config);
    }

    public LocalStackConfig config() {
        return config;
    }

    /**
     * Starts whichever of the two servers is not running, waits until both are healthy, creates the topic unless it
     * exists and (re)installs the index templates. Harmless when the stack is already up.
     *
     * @throws LocalStackException when a port is taken, a classpath file is missing, or a server does not become
     *                             healthy in time; the message names the log file to read
     */
    public void up() {
        String kafkaClasspath = readClasspath(config.kafkaClasspathFile(), "local-stack/kafka-broker");
        String elasticsearchClasspath =
                readClasspath(config.elasticsearchClasspathFile(), "local-stack/elasticsearch-node");
        createTemplatesDir();
        Optional<ProcessHandle> runningKafka = kafka.process().running();
        Optional<ProcessHandle> runningElasticsearch = elasticsearch.process().running();
        List<String> takenPorts = new ArrayList<>();
        if (runningKafka.isEmpty()) {
            checkPortIsFree(config.kafkaPort(), "Kafka", "--kafka-port", takenPorts);
            checkPortIsFree(
                    config.kafkaControllerPort(), "the Kafka controller", "--kafka-controller-port", takenPorts);
        }
        if (runningElasticsearch.isEmpty()) {
            checkPortIsFree(config.elasticsearchHttpPort(), "Elasticsearch", "--elasticsearch-port", takenPorts);
            checkPortIsFree(
                    config.elasticsearchTransportPort(),
                    "the Elasticsearch transport",
                    "--elasticsearch-transport-port",
                    takenPorts);
        }
        if (!takenPorts.isEmpty()) {
            throw new LocalStackException(String.join(System.lineSeparator(), takenPorts));
        }

        // Elasticsearch takes about three times as long as Kafka to start: wait for both at once
        runBoth(
                () -> bringUp(
                        kafka.process(),
                        runningKafka,
                        () -> kafka.start(kafkaClasspath),
                        kafka::answers,
                        config.kafkaBootstrapServers()),
                () -> bringUp(
                        elasticsearch.process(),
                        runningElasticsearch,
                        () -> elasticsearch.start(elasticsearchClasspath),
                        elasticsearch::answers,
                        config.elasticsearchUrl()));

        out.println("Kafka: " + kafka.ensureTopic());
        List<String> templates = IndexTemplates.install(elasticsearch.url(), config.templatesDir());
        out.println("Elasticsearch: "
                + (templates.isEmpty()
                        ? "no index templates (*.json) in " + config.templatesDir()
                        : "installed index templates " + String.join(", ", templates) + " from "
                                + config.templatesDir()));
        out.println("Kafka bootstrap servers: " + config.kafkaBootstrapServers());
        out.println("Elasticsearch: " + config.elasticsearchUrl());
        out.println("Data: " + config.dataDir());
        out.println("Logs: " + logsDir());
        out.flush();
    }

    /**
     * Stops both servers, each gracefully first and forcibly when it does not stop within 30 s.
     *
     * @param wipe whether to delete the data directory afterwards: topics, indices, logs and all
     */
    public void down(boolean wipe) {
        runBoth(() -> stop(kafka.process()), () -> stop(elasticsearch.process()));
        if (wipe) {
            wipeDataDir();
        }
        out.flush();
    }

    /** One server of the stack, to stop on its own. */
    public enum Server {
        KAFKA,
        ELASTICSEARCH
    }

    /**
     * Stops one server as {@link #down(boolean)} does and leaves the other running and every data directory as it is:
     * an outage. {@link #up()} starts it again on the same data and ports.
     */
    public void stop(Server server) {
        stop(
                switch (server) {
                    case KAFKA -> kafka.process();
                    case ELASTICSEARCH -> elasticsearch.process();
                });
        out.flush();
    }

    /** Whether each server is running and answering, without changing anything. */
    public StackStatus status() {
        return new StackStatus(
                status(kafka.process(), config.kafkaPort(), kafka::answers),
                status(elasticsearch.process(), config.elasticsearchHttpPort(), elasticsearch::answers));
    }

    private static ServerStatus status(ServerProcess server, int port, Predicate<Duration> answers) {
        Optional<ProcessHandle> running = server.running();
        return new ServerStatus(
                server.name(),
                running.isPresent(),
                running.map(process -> OptionalLong.of(process.pid())).orElse(OptionalLong.empty()),
                port,
                running.isPresent() && answers.test(HEALTH_PROBE_TIMEOUT),
                server.logFile());
    }

    private Path logsDir() {
        return kafka.process().logFile().getParent();
    }

    static String readClasspath(Path classpathFile, String module) {
        String rebuild = "build it with `mvn -pl " + module + " -am package` in the checkout";
        if (!Files.isRegularFile(classpathFile)) {
            throw new LocalStackException("the server classpath file " + classpathFile + " is missing; " + rebuild);
        }
        String classpath;
        try {
            classpath = Files.readString(classpathFile).trim();
        } catch (IOException e) {
            throw new LocalStackException("could not read " + classpathFile + ": " + e.getMessage(), e);
        }
        Optional<String> missing = Arrays.stream(classpath.split(File.pathSeparator))
                .filter(entry -> !Files.exists(Path.of(entry)))
                .findFirst();
        if (classpath.isEmpty() || missing.isPresent()) {
            throw new LocalStackException("the server classpath file " + classpathFile + " names "
                    + missing.orElse("nothing") + ", which does not exist; " + rebuild);
        }
        return classpath;
    }

    private void createTemplatesDir() {
        try {
            Files.createDirectories(config.templatesDir());
        } catch (IOException e) {
            throw new LocalStackException(
                    "could not create the index template directory " + config.templatesDir() + ": " + e.getMessage(),
                    e);
        }
    }

    static void checkPortIsFree(int port, String user, String option, List<String> takenPorts) {
        if (Ports.isInUse(port)) {
            takenPorts.add("port " + port + " (for " + user + ") is in use by another process; stop it or pass "
                    + option + " with a free port");
        }
    }

    private void bringUp(
            ServerProcess server,
            Optional<ProcessHandle> running,
            Supplier<ProcessHandle> start,
            Predicate<Duration> answers,
            String address) {
        long startNanos = System.nanoTime();
        ProcessHandle process;
        if (running.isPresent()) {
            process = running.get();
            out.println(server.name() + ": already running (pid " + process.pid() + ")");
        } else {
            process = start.get();
            out.println(server.name() + ": started (pid " + process.pid() + "), log " + server.logFile());
        }
        Duration timeout = config.startTimeout();
        long deadlineNanos = startNanos + timeout.toNanos();
        while (!answers.test(HEALTH_PROBE_TIMEOUT)) {
            if (!process.isAlive()) {
                throw new LocalStackException(server.name() + " (pid " + process.pid() + ") exited while starting; "
                        + "see " + server.logFile());
            }
            if (System.nanoTime() > deadlineNanos) {
                if (running.isPresent()) {
                    throw new LocalStackException(server.name() + " (pid " + process.pid() + ") is running but did "
                            + "not answer at " + address + " within " + timeout.toSeconds() + " s; if it was started "
                            + "with other ports, run `stack down` first; else see " + server.logFile());
                }
                server.stop(STOP_GRACE_PERIOD);
                throw new LocalStackException(server.name() + " did not answer at " + address + " within "
                        + timeout.toSeconds() + " s and was stopped; see " + server.logFile());
            }
            sleep(HEALTH_POLL_INTERVAL);
        }
        out.printf("%s: healthy at %s after %.1f s%n", server.name(), address, (System.nanoTime() - startNanos) / 1e9);
    }

    private void stop(ServerProcess server) {
        Optional<Long> stopped = server.stop(STOP_GRACE_PERIOD);
        out.println(server.name() + ": "
                + stopped.map(pid -> "stopped (pid " + pid + ")").orElse("was not running"));
    }

    private void wipeDataDir() {
        Path dataDir = config.dataDir();
        if (!Files.exists(dataDir)) {
            out.println("Data: " + dataDir + " does not exist, nothing to wipe");
            return;
        }
        try {
            List<String> foreign;
            try (Stream<Path> entries = Files.list(dataDir)) {
                foreign = entries.map(entry -> entry.getFileName().toString())
                        .filter(name -> !DATA_DIR_ENTRIES.contains(name))
                        .sorted()
                        .toList();
            }
            if (!foreign.isEmpty()) {
                throw new LocalStackException("not wiping " + dataDir + ": it holds " + String.join(", ", foreign)
                        + ", which the stack did not create; check the --data-dir, or delete it yourself");
            }
            try (Stream<Path> files = Files.walk(dataDir)) {
                for (Path file : files.sorted((a, b) -> b.compareTo(a)).collect(Collectors.toList())) {
                    Files.delete(file);
                }
            }
        } catch (IOException e) {
            throw new LocalStackException("could not wipe " + dataDir + ": " + e.getMessage(), e);
        }
        out.println("Data: wiped " + dataDir);
    }

    /** Runs both tasks at once and waits for both; reports every failure, not only the first. */
    private static void runBoth(Runnable first, Runnable second) {
        ExecutorService executor = Executors.newFixedThreadPool(2);
        try {
            List<Future<?>> futures = List.of(executor.submit(first), executor.submit(second));
            List<String> failures = new ArrayList<>();
            LocalStackException firstFailure = null;
            for (Future<?> future : futures) {
                try {
                    future.get();
                } catch (ExecutionException e) {
                    LocalStackException failure = e.getCause() instanceof LocalStackException stackFailure
                            ? stackFailure
                            : new LocalStackException(e.getCause().toString(), e.getCause());
                    failures.add(failure.getMessage());
                    if (firstFailure == null) {
                        firstFailure = failure;
                    }
                }
            }
            if (failures.size() == 1) {
                throw firstFailure;
            }
            if (failures.size() > 1) {
                throw new LocalStackException(String.join(System.lineSeparator(), failures), firstFailure);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LocalStackException("interrupted", e);
        } finally {
            executor.shutdownNow();
        }
    }

    static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LocalStackException("interrupted while waiting for the servers", e);
        }
    }
}
