package org.tracefeatures.stack;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Where the local Flink session cluster keeps its files, which ports its JobManager listens on, how many TaskManagers
 * it runs, and the JVM options every Flink JVM runs with: what Flink needs on this Java (flink-dist's
 * {@code env.java.opts.all}) and the garbage collector.
 *
 * @param dataDir       the stack's data directory: the cluster's files go under {@code flink/}, its logs and pid
 *                      files next to Kafka's and Elasticsearch's
 * @param restPort      REST API and web UI on 127.0.0.1
 * @param rpcPort       the JobManager's RPC port on 127.0.0.1, which the TaskManagers register at
 * @param taskManagers  how many TaskManager JVMs {@code up} starts
 * @param taskSlots     slots of each TaskManager; a job takes as many slots as its parallelism
 * @param classpathFile the classpath that the {@code local-stack/flink-cluster} module writes
 * @param jvmOptions    the --add-opens/--add-exports list Flink needs on Java 17, and the garbage collector
 *                      (cli's jvm.options); the TaskManagers and the JobManager take them as they are
 */
public record FlinkClusterConfig(
        Path dataDir,
        int restPort,
        int rpcPort,
        int taskManagers,
        int taskSlots,
        Path classpathFile,
        List<String> jvmOptions,
        Duration startTimeout) {

    public static final int DEFAULT_REST_PORT = 8081;
    public static final int DEFAULT_RPC_PORT = 6123;
    public static final int DEFAULT_TASK_MANAGERS = 1;
    public static final int DEFAULT_TASK_SLOTS = 2;

    public FlinkClusterConfig {
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(classpathFile, "classpathFile");
        Objects.requireNonNull(startTimeout, "startTimeout");
        jvmOptions = List.copyOf(jvmOptions);
        for (int port : List.of(restPort, rpcPort)) {
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("port " + port + " is not between 1 and 65535");
            }
        }
        if (restPort == rpcPort) {
            throw new IllegalArgumentException("the REST and RPC ports must differ, both are " + restPort);
        }
        if (taskManagers < 1) {
            throw new IllegalArgumentException("the cluster needs at least one TaskManager, got " + taskManagers);
        }
        if (taskSlots < 1) {
            throw new IllegalArgumentException("a TaskManager needs at least one slot, got " + taskSlots);
        }
        dataDir = dataDir.toAbsolutePath().normalize();
    }

    /** The defaults for the checkout at {@code home} and the stack data directory {@code dataDir}. */
    public static FlinkClusterConfig defaults(Path home, Path dataDir, List<String> jvmOptions) {
        return new FlinkClusterConfig(
                dataDir,
                DEFAULT_REST_PORT,
                DEFAULT_RPC_PORT,
                DEFAULT_TASK_MANAGERS,
                DEFAULT_TASK_SLOTS,
                home.resolve("local-stack")
                        .resolve("flink-cluster")
                        .resolve("target")
                        .resolve("classpath.txt"),
                jvmOptions,
                Duration.ofSeconds(LocalStackConfig.DEFAULT_START_TIMEOUT_SECONDS));
    }

    public FlinkClusterConfig withPorts(int restPort, int rpcPort) {
        return new FlinkClusterConfig(
                dataDir, restPort, rpcPort, taskManagers, taskSlots, classpathFile, jvmOptions, startTimeout);
    }

    public FlinkClusterConfig withTaskManagers(int taskManagers) {
        return new FlinkClusterConfig(
                dataDir, restPort, rpcPort, taskManagers, taskSlots, classpathFile, jvmOptions, startTimeout);
    }

    public FlinkClusterConfig withTaskSlots(int taskSlots) {
        return new FlinkClusterConfig(
                dataDir, restPort, rpcPort, taskManagers, taskSlots, classpathFile, jvmOptions, startTimeout);
    }

    public FlinkClusterConfig withStartTimeout(Duration startTimeout) {
        return new FlinkClusterConfig(
                dataDir, restPort, rpcPort, taskManagers, taskSlots, classpathFile, jvmOptions, startTimeout);
    }

    /** The cluster's own files: configuration, checkpoints, savepoints, temporary files. */
    public Path home() {
        return dataDir.resolve("flink");
    }

    public Path checkpointsDir() {
        return home().resolve("checkpoints");
    }

    public String restUrl() {
        return "http://127.0.0.1:" + restPort;
    }
}
