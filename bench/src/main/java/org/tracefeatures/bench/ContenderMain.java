package org.tracefeatures.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.tracefeatures.runner.RunOptions;
import org.tracefeatures.runner.SqlJobRunner;

/**
 * One contender in a JVM of its own (so contenders share neither JIT profile nor heap). Prints one line
 * {@code RESULT elapsedMs=.. jobMs=.. cpuMs=.. jitMs=.. gcMs=.. mainMs=.. peakRssKb=.. traces=..} on stdout: elapsed
 * from just before the job is built to its end (Flink contenders include planning and MiniCluster start-up); job
 * time, the Flink job's net runtime (from its start on the MiniCluster, tasks deployed, to its end: what a
 * long-running job's throughput depends on) or, for the ceiling, its consumer loop; CPU time of the whole JVM
 * (every thread, planning included: unlike the times, it hardly changes when other work shares the cores), and the
 * shares of it that went to JIT compilation, to garbage collection and to the main thread (see {@link CpuShares});
 * peak RSS from /proc/self/status (VmHWM: the whole JVM, heap and off-heap); traces, those the ceiling counted (-1
 * for the others).
 *
 * <p>Arguments: {@code sql JOB.sql PARALLELISM INIT...} | {@code baseline KAFKA TOPIC ES_URL|blackhole INDEX PARALLELISM}
 * | {@code ceiling KAFKA TOPIC}.
 *
 * <p>The Flink contenders checkpoint alike (see {@link #checkpointSettings()}), into the directory named by
 * the system property {@value #CHECKPOINT_DIR_PROPERTY}.
 */
public final class ContenderMain {
    static final String CHECKPOINT_DIR_PROPERTY = "bench.checkpoint.dir";

    private ContenderMain() {}

    /**
     * The checkpoint settings of every Flink contender, SQL and hand-written alike: the interval of
     * sql/init/settings.sql, into files as on a cluster (the JobManager's memory, the default without a
     * directory, refuses state over 5 MB: every checkpoint of a window holding thousands of traces failed,
     * and each failure restarted the job), and no final checkpoint once the bounded input is consumed (a
     * streaming job has no end; waiting up to one interval for it would only add a random pause to a run).
     */
    static Map<String, String> checkpointSettings() {
        String dir = System.getProperty(CHECKPOINT_DIR_PROPERTY);
        if (dir == null) {
            throw new IllegalStateException(
                    "-D" + CHECKPOINT_DIR_PROPERTY + " is not set: BenchMain sets it for each contender");
        }
        return Map.of(
                "execution.checkpointing.interval", "10 s",
                "execution.checkpointing.dir", Path.of(dir).toUri().toString(),
                "execution.checkpointing.checkpoints-after-tasks-finish", "false");
    }

    public static void main(String[] args) throws Exception {
        long start = System.nanoTime();
        long traces = -1;
        long jobMs;
        switch (args[0]) {
            case "sql" -> jobMs = runSql(args[1], args[2], List.of(args).subList(3, args.length), true);
            case "sql-streaming" ->
                jobMs = runSql(args[1], args[2], List.of(args).subList(3, args.length), false);
            case "baseline" ->
                jobMs = BaselineSpanCountJob.run(args[1], args[2], args[3], args[4], Integer.parseInt(args[5]));
            case "book-job" ->
                jobMs = BookSpanCountJob.run(args[1], args[2], args[3], args[4], Integer.parseInt(args[5]));
            case "ceiling" -> {
                traces = CeilingConsumer.run(args[1], args[2]);
                jobMs = (System.nanoTime() - start) / 1_000_000;
            }
            default -> throw new IllegalArgumentException("unknown contender " + args[0]);
        }
        long elapsedMs = (System.nanoTime() - start) / 1_000_000;
        long cpuMs = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                        .getProcessCpuTime()
                / 1_000_000;
        CpuShares shares = CpuShares.ofThisProcess();
        System.out.println("RESULT elapsedMs=" + elapsedMs + " jobMs=" + jobMs + " cpuMs=" + cpuMs + " jitMs="
                + shares.jitMs() + " gcMs=" + shares.gcMs() + " mainMs=" + shares.mainMs() + " peakRssKb=" + peakRssKb()
                + " traces=" + traces);
        System.out.flush();
        System.exit(0);
    }

    /** Runs the job to its end; returns its net runtime in ms. */
    private static long runSql(String job, String parallelism, List<String> init, boolean bounded) throws Exception {
        RunOptions options = RunOptions.parse(job);
        options.initScripts.addAll(init);
        options.bounded = bounded;
        options.configuration.put("parallelism.default", parallelism);
        options.configuration.putAll(checkpointSettings());
        return SqlJobRunner.run(options)
                .orElseThrow()
                .getJobExecutionResult()
                .get()
                .getNetRuntime();
    }

    /** VmHWM of this process in kB: its peak resident set size. */
    static long peakRssKb() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmHWM:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return -1;
    }
}
