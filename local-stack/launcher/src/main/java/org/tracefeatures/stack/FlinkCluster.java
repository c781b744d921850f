package org.tracefeatures.stack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A Flink standalone session cluster on this machine: one JobManager JVM and one or more TaskManager JVMs, each
 * started detached from the Maven-resolved classpath of {@code local-stack/flink-cluster}, as flink-dist's
 * {@code jobmanager.sh} and {@code taskmanager.sh} would start them, everything bound to 127.0.0.1. Configuration,
 * checkpoints and temporary files live under {@code <data dir>/flink}; logs and pid files next to Kafka's.
 */
public final class FlinkCluster {
    /** Managed memory of each slot, in MB: see {@link #configuration()}. */
    static final int MANAGED_MB_PER_SLOT = 48;

    static final String JOB_MANAGER_MAIN = "org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint";
    static final String TASK_MANAGER_MAIN = "org.apache.flink.runtime.taskexecutor.TaskManagerRunner";
    /** What flink-dist's scripts ask for the memory settings of a JobManager or TaskManager JVM. */
    static final String RESOURCE_PARAMS_MAIN = "org.apache.flink.runtime.util.bash.BashJavaUtils";
    /** BashJavaUtils marks its result lines with this; all other output is logging. */
    static final String RESULT_PREFIX = "BASH_JAVA_UTILS_EXEC_RESULT:";

    private static final Duration STOP_GRACE_PERIOD = Duration.ofSeconds(30);
    private static final Duration RESOURCE_PARAMS_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration REST_TIMEOUT = Duration.ofSeconds(2);
    private static final Duration POLL_INTERVAL = Duration.ofMillis(500);
    private static final Pattern TASK_MANAGER_PID_FILE = Pattern.compile("flink-taskmanager-(\\d+)\\.pid");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final FlinkClusterConfig config;
    private final PrintWriter out;
    private final ServerProcess jobManager;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(REST_TIMEOUT).build();

    public FlinkCluster(FlinkClusterConfig config, PrintWriter out) {
        this.config = config;
        this.out = out;
        this.jobManager = new ServerProcess(
                "Flink JobManager",
                JOB_MANAGER_MAIN,
                runDir().resolve("flink-jobmanager.pid"),
                logsDir().resolve("flink-jobmanager.log"));
    }

    public FlinkClusterConfig config() {
        return config;
    }

    private Path runDir() {
        return config.dataDir().resolve("run");
    }

    private Path logsDir() {
        return config.dataDir().resolve("logs");
    }

    Path confDir() {
        return config.home().resolve("conf");
    }

    private ServerProcess taskManager(int index) {
        return new ServerProcess(
                "Flink TaskManager " + index,
                TASK_MANAGER_MAIN,
                runDir().resolve("flink-taskmanager-" + index + ".pid"),
                logsDir().resolve("flink-taskmanager-" + index + ".log"));
    }

    /** config.yaml, in flat keys: what jobs on this cluster get unless they set otherwise. */
    String configuration() {
        int managedMb = MANAGED_MB_PER_SLOT * config.taskSlots();
        Path home = config.home();
        return String.join(
                System.lineSeparator(),
                "# Written by `tracefeatures cluster up` at every start: edits are lost.",
                "# Everything listens on loopback only.",
                "jobmanager.rpc.address: 127.0.0.1",
                "jobmanager.rpc.port: " + config.rpcPort(),
                "jobmanager.bind-host: 127.0.0.1",
                "taskmanager.host: 127.0.0.1",
                "taskmanager.bind-host: 127.0.0.1",
                "rest.address: 127.0.0.1",
                "rest.bind-address: 127.0.0.1",
                "rest.port: " + config.restPort(),
                "jobmanager.memory.process.size: 1024m",
                // the jobs keep their state on the heap (hashmap backend), but their window operators (windowed
                // aggregates, Top-N and joins) buffer in managed memory, and each of them needs more than 1 MB of its
                // slot's share or fails at start ("The minBucketMemorySize is not valid!"): service_dependencies.sql
                // has eight of them in a slot. So each slot gets MANAGED_MB_PER_SLOT, on top of a fixed heap.
                "taskmanager.memory.process.size: " + (1536 + managedMb) + "m",
                "taskmanager.memory.managed.size: " + managedMb + "m",
                "taskmanager.numberOfTaskSlots: " + config.taskSlots(),
                "parallelism.default: 1",
                // shared by all JVMs of this machine, so a job restarts from a checkpoint that a killed TaskManager
                // wrote, and a retained checkpoint outlives the job
                "execution.checkpointing.dir: " + config.checkpointsDir().toUri(),
                "execution.checkpointing.savepoint-dir: "
                        + home.resolve("savepoints").toUri(),
                // notice a lost TaskManager within seconds rather than the default 50 s
                "heartbeat.interval: 2 s",
                "heartbeat.timeout: 20 s",
                "io.tmp.dirs: " + home.resolve("tmp"),
                "blob.storage.directory: " + home.resolve("blobs"),
                "web.tmpdir: " + home.resolve("web"),
                "");
    }

    String loggingConfiguration() {
        return ConsoleLogging.properties(
                "tracefeatures cluster up",
                "warn",
                "%d{yyyy-MM-dd HH:mm:ss,SSS} %-5p %c - %m%n",
                // what flink-dist's log4j.properties quiets too
                "logger.pekko.name = org.apache.pekko",
                "logger.pekko.level = warn",
                "logger.kafka.name = org.apache.kafka",
                "logger.kafka.level = warn",
                // but where a consumer's position moves other than by reading (a reset, a truncation found when
                // it validates its position after a leader change, a seek): rare lines, and what a job that stops
                // reading after a broker restart is diagnosed by
                "logger.kafkaposition.name = org.apache.kafka.clients.consumer.internals.SubscriptionState",
                "logger.kafkaposition.level = info");
    }

    private void writeConfiguration() {
        try {
            Files.createDirectories(confDir());
            Files.createDirectories(config.home().resolve("tmp"));
            Files.writeString(confDir().resolve("config.yaml"), configuration());
            Files.writeString(confDir().resolve("log4j.properties"), loggingConfiguration());
        } catch (IOException e) {
            throw new LocalStackException(
                    "could not write the Flink configuration under " + confDir() + ": " + e.getMessage(), e);
        }
    }

    /**
     * Starts the JobManager unless it runs and TaskManagers until {@code taskManagers} run, and waits until they have
     * all registered. Harmless when the cluster is up.
     */
    public void up() {
        String classpath = LocalStack.readClasspath(config.classpathFile(), "local-stack/flink-cluster");
        Optional<ProcessHandle> running = jobManager.running();
        if (running.isEmpty()) {
            List<String> takenPorts = new ArrayList<>();
            LocalStack.checkPortIsFree(config.restPort(), "the Flink REST API", "--rest-port", takenPorts);
            LocalStack.checkPortIsFree(config.rpcPort(), "the Flink JobManager RPC", "--rpc-port", takenPorts);
            if (!takenPorts.isEmpty()) {
                throw new LocalStackException(String.join(System.lineSeparator(), takenPorts));
            }
        }
        writeConfiguration();
        long startNanos = System.nanoTime();
        ProcessHandle process;
        if (running.isPresent()) {
            process = running.get();
            out.println(jobManager.name() + ": already running (pid " + process.pid() + ")");
        } else {
            List<String> arguments = javaArguments(
                    jobManager, resourceParams("GET_JM_RESOURCE_PARAMS", classpath), JOB_MANAGER_MAIN, List.of());
            process = jobManager.start(classpath, arguments);
            out.println(jobManager.name() + ": started (pid " + process.pid() + "), log " + jobManager.logFile());
        }
        awaitRest(process, startNanos);
        out.printf(
                "%s: healthy at %s after %.1f s%n",
                jobManager.name(), config.restUrl(), (System.nanoTime() - startNanos) / 1e9);
        int missing = config.taskManagers() - runningTaskManagers().size();
        for (int i = 0; i < missing; i++) {
            addTaskManager(classpath);
        }
        awaitRegisteredTaskManagers(runningTaskManagers().size());
        out.println("Flink web UI and REST API: " + config.restUrl());
        out.println("Checkpoints: " + config.checkpointsDir());
        out.println("Logs: " + logsDir());
        out.flush();
    }

    /** Starts one more TaskManager and waits until the JobManager counts as many TaskManagers as run. */
    public ProcessHandle addTaskManager() {
        ProcessHandle started =
                addTaskManager(LocalStack.readClasspath(config.classpathFile(), "local-stack/flink-cluster"));
        awaitRegisteredTaskManagers(runningTaskManagers().size());
        out.flush();
        return started;
    }

    private ProcessHandle addTaskManager(String classpath) {
        if (jobManager.running().isEmpty()) {
            throw new LocalStackException("the Flink JobManager is not running; start the cluster with `cluster up`");
        }
        int index = 1;
        while (taskManager(index).running().isPresent()) {
            index++;
        }
        ServerProcess taskManager = taskManager(index);
        // a new id at every start: the JobManager must not take a restarted TaskManager for the one it lost
        String resourceId =
                "taskmanager-" + index + "-" + UUID.randomUUID().toString().substring(0, 8);
        List<String> arguments = javaArguments(
                taskManager,
                resourceParams("GET_TM_RESOURCE_PARAMS", classpath),
                TASK_MANAGER_MAIN,
                List.of("-D", "taskmanager.resource-id=" + resourceId));
        ProcessHandle process = taskManager.start(classpath, arguments);
        out.println(taskManager.name() + ": started (pid " + process.pid() + "), log " + taskManager.logFile());
        return process;
    }

    /**
     * What flink-dist's scripts do before they start a JVM: BashJavaUtils works the memory settings out of the
     * configuration; its first result line holds the JVM's memory options, the second the dynamic configuration the
     * process must be started with.
     */
    ResourceParams resourceParams(String command, String classpath) {
        try {
            ProcessBuilder builder = new ProcessBuilder(
                            ServerProcess.javaExecutable().toString(),
                            RESOURCE_PARAMS_MAIN,
                            command,
                            "--configDir",
                            confDir().toString())
                    .redirectErrorStream(true);
            builder.environment().put("CLASSPATH", classpath);
            // into a file, not a pipe: reading a pipe to its end would wait for a hung process past the timeout
            Path outputFile = confDir().resolve("bash-java-utils-" + command + ".out");
            builder.redirectOutput(outputFile.toFile());
            Process process = builder.start();
            process.getOutputStream().close();
            boolean finished = process.waitFor(RESOURCE_PARAMS_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            if (!finished) {
                process.destroyForcibly();
            }
            String output = Files.readString(outputFile, StandardCharsets.UTF_8);
            if (!finished || process.exitValue() != 0) {
                throw new LocalStackException("Flink's BashJavaUtils " + command
                        + (finished ? " failed" : " did not finish in " + RESOURCE_PARAMS_TIMEOUT.toSeconds() + " s")
                        + "; check " + confDir().resolve("config.yaml") + ". Its output:" + System.lineSeparator()
                        + output);
            }
            return ResourceParams.parse(command, output);
        } catch (IOException e) {
            throw new LocalStackException("could not run Flink's BashJavaUtils " + command + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LocalStackException("interrupted while running Flink's BashJavaUtils", e);
        }
    }

    /** The JVM options and dynamic configuration of one JobManager or TaskManager. */
    record ResourceParams(List<String> jvmOptions, List<String> dynamicConfiguration) {
        static ResourceParams parse(String command, String output) {
            List<String> results = output.lines()
                    .filter(line -> line.startsWith(RESULT_PREFIX))
                    .map(line -> line.substring(RESULT_PREFIX.length()).trim())
                    .toList();
            if (results.size() != 2) {
                throw new LocalStackException("Flink's BashJavaUtils " + command + " gave " + results.size()
                        + " result lines instead of 2 (JVM options, dynamic configuration). Its output:"
                        + System.lineSeparator() + output);
            }
            return new ResourceParams(words(results.get(0)), words(results.get(1)));
        }

        private static List<String> words(String line) {
            return Arrays.stream(line.split("\\s+"))
                    .filter(word -> !word.isEmpty())
                    .toList();
        }
    }

    private List<String> javaArguments(
            ServerProcess server, ResourceParams params, String mainClass, List<String> moreConfiguration) {
        List<String> arguments = new ArrayList<>(config.jvmOptions());
        arguments.addAll(params.jvmOptions());
        // the web UI shows the file of log.file
        arguments.add("-Dlog.file=" + server.logFile());
        arguments.add("-Dlog4j.configurationFile=" + confDir().resolve("log4j.properties"));
        arguments.add(mainClass);
        arguments.addAll(List.of("--configDir", confDir().toString()));
        arguments.addAll(params.dynamicConfiguration());
        arguments.addAll(moreConfiguration);
        return arguments;
    }

    /** Stops the TaskManagers, then the JobManager, each gracefully first and forcibly after 30 s. */
    public void down() {
        for (int index : taskManagerIndexes()) {
            stop(taskManager(index));
        }
        stop(jobManager);
        out.flush();
    }

    private void stop(ServerProcess server) {
        Optional<Long> stopped = server.stop(STOP_GRACE_PERIOD);
        out.println(server.name() + ": "
                + stopped.map(pid -> "stopped (pid " + pid + ")").orElse("was not running"));
    }

    /** The TaskManager JVMs that run now. */
    public List<ProcessHandle> runningTaskManagers() {
        return taskManagerIndexes().stream()
                .map(index -> taskManager(index).running())
                .flatMap(Optional::stream)
                .toList();
    }

    /** The indexes of all TaskManager pid files, those of dead processes included. */
    private List<Integer> taskManagerIndexes() {
        if (!Files.isDirectory(runDir())) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(runDir())) {
            return files.map(file ->
                            TASK_MANAGER_PID_FILE.matcher(file.getFileName().toString()))
                    .filter(Matcher::matches)
                    .map(matcher -> Integer.parseInt(matcher.group(1)))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new LocalStackException("could not list " + runDir() + ": " + e.getMessage(), e);
        }
    }

    /** The JobManager's and TaskManagers' processes, and what the REST API says about them. */
    public FlinkClusterStatus status() {
        Optional<ProcessHandle> running = jobManager.running();
        Optional<JsonNode> overview = running.isPresent() ? rest("/overview") : Optional.empty();
        List<String> registered = new ArrayList<>();
        rest("/taskmanagers")
                .ifPresent(taskManagers -> taskManagers
                        .path("taskmanagers")
                        .forEach(taskManager ->
                                registered.add(taskManager.path("id").asText())));
        List<ServerStatus> taskManagers = new ArrayList<>();
        for (int index : taskManagerIndexes()) {
            ServerProcess taskManager = taskManager(index);
            Optional<ProcessHandle> process = taskManager.running();
            String idPrefix = "taskmanager-" + index + "-";
            taskManagers.add(new ServerStatus(
                    taskManager.name(),
                    process.isPresent(),
                    process.map(p -> OptionalLong.of(p.pid())).orElse(OptionalLong.empty()),
                    0,
                    process.isPresent() && registered.stream().anyMatch(id -> id.startsWith(idPrefix)),
                    taskManager.logFile()));
        }
        ServerStatus jobManagerStatus = new ServerStatus(
                jobManager.name(),
                running.isPresent(),
                running.map(p -> OptionalLong.of(p.pid())).orElse(OptionalLong.empty()),
                config.restPort(),
                overview.isPresent(),
                jobManager.logFile());
        return new FlinkClusterStatus(
                jobManagerStatus,
                taskManagers,
                overview.map(o -> o.path("taskmanagers").asInt()).orElse(0),
                overview.map(o -> o.path("slots-total").asInt()).orElse(0),
                overview.map(o -> o.path("slots-available").asInt()).orElse(0),
                overview.map(o -> o.path("jobs-running").asInt()).orElse(0),
                config.restUrl());
    }

    /**
     * Stops a running job with a savepoint into the cluster's savepoint directory (REST POST /jobs/:id/stop, without
     * draining: the open windows stay in the savepoint), waits until the job has finished, and returns the savepoint's
     * path, which {@code execution.state-recovery.path} takes to resume the job, changed or not.
     *
     * @throws LocalStackException saying what to do when there is no such job, the cluster does not answer or the
     *                             savepoint fails (the job then goes on running)
     */
    public String stopWithSavepoint(String jobId, Duration timeout) {
        HttpResponse<String> response;
        try {
            response = http.send(
                    HttpRequest.newBuilder(URI.create(config.restUrl() + "/jobs/" + jobId + "/stop"))
                            .timeout(REST_TIMEOUT.multipliedBy(5))
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString("{\"drain\":false}"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new LocalStackException(
                    "the Flink cluster at " + config.restUrl() + " did not answer (" + e
                            + "); `bin/tracefeatures cluster status` tells whether it runs",
                    e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LocalStackException("interrupted while stopping job " + jobId, e);
        }
        if (response.statusCode() == 404) {
            throw new LocalStackException("the Flink cluster at " + config.restUrl() + " has no job " + jobId
                    + "; `bin/tracefeatures cluster status` lists the running jobs");
        }
        if (response.statusCode() != 202) {
            throw new LocalStackException("the Flink cluster at " + config.restUrl() + " did not stop job " + jobId
                    + " (HTTP " + response.statusCode() + "): " + response.body());
        }
        String trigger;
        try {
            trigger = JSON.readTree(response.body()).path("request-id").asText();
        } catch (IOException e) {
            throw new LocalStackException("unexpected answer to stopping job " + jobId + ": " + response.body(), e);
        }
        long deadlineNanos = System.nanoTime() + timeout.toNanos();
        while (true) {
            Optional<JsonNode> status = rest("/jobs/" + jobId + "/savepoints/" + trigger);
            if (status.isPresent() && status.get().at("/status/id").asText().equals("COMPLETED")) {
                JsonNode operation = status.get().path("operation");
                if (operation.has("failure-cause")) {
                    throw new LocalStackException("the savepoint of job " + jobId + " failed, and the job goes on "
                            + "running: "
                            + operation
                                    .at("/failure-cause/stack-trace")
                                    .asText("")
                                    .lines()
                                    .findFirst()
                                    .orElse(operation.toString()));
                }
                String location = operation.path("location").asText();
                while (!rest("/jobs/" + jobId)
                        .map(job -> job.path("state").asText())
                        .orElse("")
                        .equals("FINISHED")) {
                    if (System.nanoTime() > deadlineNanos) {
                        break; // the savepoint is complete: resuming from it is safe either way
                    }
                    LocalStack.sleep(POLL_INTERVAL);
                }
                return location;
            }
            if (System.nanoTime() > deadlineNanos) {
                throw new LocalStackException("the savepoint of job " + jobId + " did not complete within "
                        + timeout.toSeconds() + " s; see the job's checkpoints in the web UI, " + config.restUrl());
            }
            LocalStack.sleep(POLL_INTERVAL);
        }
    }

    /** A GET on the REST API, when it answers with 200. */
    public Optional<JsonNode> rest(String path) {
        try {
            HttpResponse<String> response = http.send(
                    HttpRequest.newBuilder(URI.create(config.restUrl() + path))
                            .timeout(REST_TIMEOUT.multipliedBy(5))
                            .GET()
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 ? Optional.of(JSON.readTree(response.body())) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    private void awaitRest(ProcessHandle process, long startNanos) {
        long deadlineNanos = startNanos + config.startTimeout().toNanos();
        while (rest("/overview").isEmpty()) {
            if (!process.isAlive()) {
                throw new LocalStackException(jobManager.name() + " (pid " + process.pid() + ") exited while starting;"
                        + " see " + jobManager.logFile());
            }
            if (System.nanoTime() > deadlineNanos) {
                throw new LocalStackException(jobManager.name() + " (pid " + process.pid() + ") did not answer at "
                        + config.restUrl() + " within " + config.startTimeout().toSeconds() + " s; if it was started "
                        + "with other ports, run `cluster down` first; else see " + jobManager.logFile());
            }
            LocalStack.sleep(POLL_INTERVAL);
        }
    }

    private void awaitRegisteredTaskManagers(int expected) {
        long deadlineNanos = System.nanoTime() + config.startTimeout().toNanos();
        while (rest("/overview")
                        .map(overview -> overview.path("taskmanagers").asInt())
                        .orElse(0)
                < expected) {
            if (System.nanoTime() > deadlineNanos) {
                throw new LocalStackException("fewer than " + expected + " TaskManagers registered at "
                        + config.restUrl() + " within " + config.startTimeout().toSeconds() + " s; see the "
                        + "flink-taskmanager-*.log files in " + logsDir());
            }
            LocalStack.sleep(POLL_INTERVAL);
        }
        out.println("Flink TaskManagers: " + expected + " registered");
    }
}
