package org.tracefeatures.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.ToLongFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.tracefeatures.runner.SqlScripts;
import org.tracefeatures.simulator.SimulateCommand;
import org.tracefeatures.stack.LocalStack;
import org.tracefeatures.stack.LocalStackConfig;
import org.tracefeatures.stack.ServerStatus;
import org.tracefeatures.stack.StackStatus;
import picocli.CommandLine;

/**
 * Runs the throughput benchmark: starts a Kafka broker and an Elasticsearch node on ports of their own,
 * pre-fills a 2-partition topic with seeded hotrod-original traffic (timed on its own), then runs every
 * contender in a JVM of its own, in rotating order, several times, and prints medians, spread and the
 * ratios to the two hand-written jobs (baseline, book-job) and to the ceiling. See bench/README.md.
 */
public final class BenchMain {
    private static final Pattern RESULT =
            Pattern.compile("RESULT elapsedMs=(\\d+) jobMs=(\\d+) cpuMs=(\\d+) jitMs=(\\d+) gcMs=(\\d+) mainMs=(\\d+)"
                    + " peakRssKb=(-?\\d+) traces=(-?\\d+)");

    record Contender(String name, String sink, int parallelism, List<String> command, String classpathPrefix) {
        Contender(String name, String sink, int parallelism, List<String> command) {
            this(name, sink, parallelism, command, "");
        }
    }

    /**
     * One run: wall time, job time, CPU time with its shares of JIT compilation, garbage collection and the main thread
     * (see CpuShares), peak RSS (see ContenderMain), the traces the ceiling counted, and the CPU time the broker and the
     * node spent while the contender ran (on 2 cores they take it from the job).
     */
    record Run(
            long elapsedMs,
            long jobMs,
            long cpuMs,
            long jitMs,
            long gcMs,
            long mainMs,
            long peakRssKb,
            long tracesCounted,
            long brokerCpuMs,
            long nodeCpuMs) {
        /** CPU time of the job's own threads: the process's minus the JIT compiler's, the collector's and the main thread's. */
        long jobThreadsCpuMs() {
            return cpuMs - jitMs - gcMs - mainMs;
        }
    }

    /** The broker's and the node's processes, whose CPU time each run also reports. */
    record Servers(ProcessHandle broker, ProcessHandle node) {
        static Servers of(StackStatus status) {
            return new Servers(running(status.kafka()), running(status.elasticsearch()));
        }

        private static ProcessHandle running(ServerStatus server) {
            return server.pid().stream()
                    .mapToObj(ProcessHandle::of)
                    .flatMap(Optional::stream)
                    .findFirst()
                    .orElseThrow(() ->
                            new IllegalStateException(server.name() + " is not running; see " + server.logFile()));
        }
    }

    /** CPU time a process has used so far (user and system), e.g. the broker's or the node's. */
    static long cpuMs(ProcessHandle process) {
        return process.info()
                .totalCpuDuration()
                .map(Duration::toMillis)
                .orElseThrow(() -> new IllegalStateException(
                        "cannot read the CPU time of process " + process.pid() + " (is it still running?)"));
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = options(args);
        Path home = Path.of(options.getOrDefault("home", System.getProperty("tracefeatures.home", ".")))
                .toAbsolutePath()
                .normalize();
        int kafkaPort = Integer.parseInt(options.getOrDefault("kafka-port", "24092"));
        int esPort = Integer.parseInt(options.getOrDefault("elasticsearch-port", "24200"));
        long traces = Long.parseLong(options.getOrDefault("traces", "40000"));
        int repetitions = Integer.parseInt(options.getOrDefault("repetitions", "3"));
        String seed = options.getOrDefault("seed", "8");
        String startTime = options.getOrDefault("start-time", "2026-01-01T00:00:00Z");
        String topic = options.getOrDefault("topic", "bench-spans-" + traces + "-" + seed);
        List<String> only =
                options.containsKey("only") ? Arrays.asList(options.get("only").split(",")) : List.of();
        // 3 GB: the default topic is filled at up to 400k spans/s, so a 5 s session gap holds about a million
        // spans at once, and with 1 GB span_count.sql ran out of heap
        String heap = options.getOrDefault("heap", "3g");
        Path work = home.resolve("bench/target/run");
        Files.createDirectories(work);

        LocalStackConfig config = LocalStackConfig.builder(home)
                .dataDir(home.resolve("bench/target/stack"))
                .kafkaPort(kafkaPort)
                .kafkaControllerPort(kafkaPort + 1)
                .elasticsearchHttpPort(esPort)
                .elasticsearchTransportPort(esPort + 100)
                .topic(topic)
                .partitions(2)
                .build();
        LocalStack stack = new LocalStack(config);
        stack.up();
        String kafka = config.kafkaBootstrapServers();
        String es = config.elasticsearchUrl();
        Servers servers = Servers.of(stack.status());

        long spans = spansIn(kafka, topic);
        if (spans == 0) {
            long fillStart = System.nanoTime();
            int exit = new CommandLine(new SimulateCommand())
                    .execute(
                            "--config",
                            "hotrod-original",
                            "--traces",
                            String.valueOf(traces),
                            "--seed",
                            seed,
                            "--start-time",
                            startTime,
                            "--kafka",
                            kafka,
                            "--topic",
                            topic);
            if (exit != 0) {
                throw new IllegalStateException("simulate failed with exit code " + exit);
            }
            spans = spansIn(kafka, topic);
            double seconds = (System.nanoTime() - fillStart) / 1e9;
            System.out.printf(
                    "pre-fill: %d traces, %d spans into %s (2 partitions) in %.1f s (%.0f spans/s)%n",
                    traces, spans, topic, seconds, spans / seconds);
        } else {
            System.out.printf("pre-fill: reusing %s with %d spans%n", topic, spans);
        }

        Path env = environmentPart(home, work, kafka, es);
        Path blackhole = home.resolve("bench/sql/blackhole-sinks.sql");
        List<String> defaultInit = SqlScripts.initParts("jaeger-proto", env.toString());

        List<Contender> contenders = new ArrayList<>();
        for (String sink : List.of("es", "blackhole")) {
            for (int p : List.of(1, 2)) {
                // service_dependencies.sql (the trace assembly, then Jaeger's dependency links and the service graph
                // per minute) only into Elasticsearch: blackhole-sinks.sql stands in for the per-trace sinks
                for (String job : sink.equals("es")
                        ? List.of("span_count", "trace_features", "service_dependencies")
                        : List.of("span_count", "trace_features")) {
                    contenders.add(new Contender(
                            job + ".sql",
                            sink,
                            p,
                            sqlCommand(
                                    home.resolve("sql/" + job + ".sql"),
                                    p,
                                    defaultInit,
                                    sink.equals("blackhole") ? blackhole : null)));
                }
                for (String handWritten : List.of("baseline", "book-job")) {
                    contenders.add(new Contender(
                            handWritten,
                            sink,
                            p,
                            List.of(
                                    handWritten,
                                    kafka,
                                    topic,
                                    sink.equals("es") ? es : "blackhole",
                                    "@INDEX@",
                                    String.valueOf(p))));
                }
            }
        }
        contenders.add(new Contender("ceiling", "none", 1, List.of("ceiling", kafka, topic)));
        if (options.containsKey("stages")) {
            // span_count.sql cut short after each of its stages: where its time goes (bench/README.md)
            for (String stage : List.of(
                    "stage1-spans.sql",
                    "stage2-session-window.sql",
                    "stage3-span-columns.sql",
                    "stage4-collect-trace.sql")) {
                contenders.add(new Contender(
                        stage,
                        "blackhole",
                        1,
                        sqlCommand(home.resolve("bench/sql/" + stage), 1, defaultInit, blackhole)));
            }
        }
        if (options.containsKey("before-classes")) {
            // the same job as it was before a change: its classes first on the classpath (one directory, or a
            // classpath such as job/target/classes:udf/target/classes), and the job file and environment part
            // that those classes hold (the entry with sql/: job/target/classes), so that SQL and functions match
            String beforeClasspath = options.get("before-classes");
            Path before = Arrays.stream(beforeClasspath.split(java.io.File.pathSeparator))
                    .map(Path::of)
                    .filter(entry -> Files.isDirectory(entry.resolve("sql")))
                    .findFirst()
                    .orElse(Path.of(beforeClasspath.split(java.io.File.pathSeparator)[0]));
            Path beforeEnv = environmentPartFrom(
                    before.resolve("sql/init/local.sql"), work.resolve("env-before.sql"), kafka, es);
            for (Contender c : List.copyOf(contenders)) {
                if (c.name().endsWith(".sql")) {
                    List<String> command = new ArrayList<>();
                    for (String arg : c.command()) {
                        Path beforeJob = before.resolve("sql")
                                .resolve(Path.of(arg).getFileName().toString());
                        command.add(
                                arg.equals(env.toString()) && Files.exists(beforeEnv)
                                        ? beforeEnv.toString()
                                        : arg.startsWith(home.resolve("sql").toString()) && Files.exists(beforeJob)
                                                ? beforeJob.toString()
                                                : arg);
                    }
                    contenders.add(new Contender(
                            c.name() + " (before)",
                            c.sink(),
                            c.parallelism(),
                            command,
                            beforeClasspath + java.io.File.pathSeparator));
                }
            }
        }
        if (!only.isEmpty()) {
            contenders.removeIf(
                    c -> !only.contains(c.name().replace(" (before)", "") + "/" + c.sink() + "/p" + c.parallelism())
                            && !only.contains(c.name())
                            && !only.contains(c.name().replace(" (before)", "")));
        }

        System.out.println(
                "load before: " + Files.readString(Path.of("/proc/loadavg")).trim());
        Map<Contender, List<Run>> runs = new LinkedHashMap<>();
        contenders.forEach(c -> runs.put(c, new ArrayList<>()));
        for (int rep = 0; rep < repetitions; rep++) {
            // rotate the order so that no contender always runs first (cold page cache) or last
            for (int i = 0; i < contenders.size(); i++) {
                Contender contender = contenders.get((i + rep) % contenders.size());
                String tag = "r" + rep + "-" + i;
                String index = "trace-summaries-bench-" + tag;
                Path overrides = work.resolve("overrides-" + tag + ".sql");
                Files.writeString(
                        overrides,
                        "ALTER TABLE span_source SET ('topic' = '" + topic + "');\n"
                                + "ALTER TABLE trace_summaries SET ('index' = '" + index + "');\n"
                                + "ALTER TABLE trace_features SET ('index' = 'trace-features-bench-" + tag + "');\n"
                                + "ALTER TABLE trace_critical_path SET ('index' = 'trace-critical-path-bench-" + tag
                                + "');\n"
                                + "ALTER TABLE jaeger_dependencies SET ('index' = 'jaeger-dependencies-bench-" + tag
                                + "');\n"
                                // IF EXISTS: the classes and sinks of an older version (--before-classes) may have
                                // no service graph
                                + "ALTER TABLE IF EXISTS service_graph SET ('index' = 'service-graph-bench-" + tag
                                + "');\n");
                List<String> command = new ArrayList<>();
                for (String part : contender.command()) {
                    command.add(
                            part.replace("@OVERRIDES@", overrides.toString()).replace("@INDEX@", index));
                }
                Run run;
                try {
                    run = runChild(
                            command,
                            contender.classpathPrefix(),
                            heap,
                            options.get("jvm-opt"),
                            work.resolve(tag + ".log"),
                            work.resolve("checkpoints-" + tag),
                            servers);
                } catch (IllegalStateException e) {
                    // one failed run (e.g. out of heap) is a result too; the others still run
                    System.out.printf(
                            "%-20s %-9s p%d  FAILED: %s%n",
                            contender.name(), contender.sink(), contender.parallelism(), e.getMessage());
                    continue;
                }
                String check =
                        failedCheckpoint(work.resolve(tag + ".log")) ? " CHECKPOINT FAILED (see " + tag + ".log)" : "";
                if (contender.name().equals("ceiling") && run.tracesCounted != traces) {
                    check += " CEILING COUNTED " + run.tracesCounted + " TRACES, NOT " + traces;
                }
                if (contender.sink().equals("es")) {
                    String countIndex = contender.name().startsWith("trace_features.sql")
                            ? "trace-features-bench-" + tag
                            : contender.name().startsWith("service_dependencies.sql")
                                    ? "jaeger-dependencies-bench-" + tag
                                    : index;
                    long documents = countDocuments(es, countIndex);
                    check += " documents=" + documents;
                    if (contender.name().startsWith("service_dependencies.sql")) {
                        check += " service-graph=" + countDocuments(es, "service-graph-bench-" + tag);
                    }
                    deleteIndexes(es, "*-bench-" + tag);
                }
                System.out.printf(
                        "%-20s %-9s p%d  job %6.1f s %8.0f spans/s  wall %6.1f s %8.0f spans/s  CPU %6.1f s"
                                + " (job threads %.1f, JIT %.1f, GC %.1f, main %.1f)  broker %.1f s  node %.1f s  peak RSS %5d MB%s%n",
                        contender.name(),
                        contender.sink(),
                        contender.parallelism(),
                        run.jobMs / 1000.0,
                        spans * 1000.0 / run.jobMs,
                        run.elapsedMs / 1000.0,
                        spans * 1000.0 / run.elapsedMs,
                        run.cpuMs / 1000.0,
                        run.jobThreadsCpuMs() / 1000.0,
                        run.jitMs / 1000.0,
                        run.gcMs / 1000.0,
                        run.mainMs / 1000.0,
                        run.brokerCpuMs / 1000.0,
                        run.nodeCpuMs / 1000.0,
                        run.peakRssKb / 1024,
                        check);
                runs.get(contender).add(run);
            }
        }
        System.out.println(
                "load after: " + Files.readString(Path.of("/proc/loadavg")).trim());
        printTable(runs, spans, traces);
        if (options.containsKey("latency")) {
            LatencyMain.main(new String[] {home.toString(), kafka, es});
        }
        if (!options.containsKey("keep-stack")) {
            stack.down(false);
        }
    }

    /** A SQL contender's arguments: the job, its parallelism, the init parts, the run's overrides, the blackhole sinks. */
    private static List<String> sqlCommand(Path job, int parallelism, List<String> init, Path blackholeSinks) {
        List<String> command = new ArrayList<>(List.of("sql", job.toString(), String.valueOf(parallelism)));
        command.addAll(init);
        command.add("@OVERRIDES@");
        if (blackholeSinks != null) {
            command.add(blackholeSinks.toString());
        }
        return command;
    }

    static Run runChild(
            List<String> args,
            String classpathPrefix,
            String heap,
            String jvmOpt,
            Path log,
            Path checkpoints,
            Servers servers)
            throws Exception {
        List<String> command = contenderCommand("-Xms" + heap, "-Xmx" + heap, checkpoints, classpathPrefix, jvmOpt);
        command.addAll(args);
        long brokerBefore = cpuMs(servers.broker());
        long nodeBefore = cpuMs(servers.node());
        Process process =
                new ProcessBuilder(command).redirectError(log.toFile()).start();
        String result = null;
        try (BufferedReader out =
                new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = out.readLine()) != null; ) {
                if (line.startsWith("RESULT")) {
                    result = line;
                }
            }
        }
        int exit = process.waitFor();
        long brokerCpuMs = cpuMs(servers.broker()) - brokerBefore;
        long nodeCpuMs = cpuMs(servers.node()) - nodeBefore;
        Matcher m = result == null ? null : RESULT.matcher(result);
        if (exit != 0 || m == null || !m.find()) {
            String cause = Files.readString(log).contains("OutOfMemoryError") ? " out of heap (raise --heap)" : "";
            throw new IllegalStateException(
                    "contender " + args + " failed (exit " + exit + ")" + cause + "; see " + log);
        }
        long[] values = new long[8];
        for (int i = 0; i < values.length; i++) {
            values[i] = Long.parseLong(m.group(i + 1));
        }
        return new Run(
                values[0],
                values[1],
                values[2],
                values[3],
                values[4],
                values[5],
                values[6],
                values[7],
                brokerCpuMs,
                nodeCpuMs);
    }

    /**
     * The command line of a contender JVM up to ContenderMain's arguments: the same options for every
     * contender, including those Flink needs on Java 17 (flink-dist's env.java.opts.all).
     */
    static List<String> contenderCommand(
            String xms, String xmx, Path checkpoints, String classpathPrefix, String jvmOpt) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                xms,
                xmx,
                "-D" + ContenderMain.CHECKPOINT_DIR_PROPERTY + "=" + checkpoints));
        try (var in = BenchMain.class.getResourceAsStream("/jvm.options")) {
            command.addAll(Arrays.asList(
                    new String(in.readAllBytes(), StandardCharsets.UTF_8).trim().split("\\s+")));
        }
        if (jvmOpt != null) {
            command.addAll(Arrays.asList(jvmOpt.split(" ")));
        }
        command.addAll(
                List.of("-cp", classpathPrefix + System.getProperty("java.class.path"), ContenderMain.class.getName()));
        return command;
    }

    /** A span topic as the local stack creates it (LogAppendTime), for one run. */
    static void createSpanTopic(String kafka, String topic, int partitions) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka))) {
            admin.createTopics(List.of(
                            new NewTopic(topic, partitions, (short) 1).configs(LocalStackConfig.SPAN_TOPIC_CONFIG)))
                    .all()
                    .get();
        }
    }

    /** The environment init part (sql/init/local.sql) pointed at the bench's broker and node. */
    static Path environmentPart(Path home, Path work, String kafka, String es) throws IOException {
        return environmentPartFrom(home.resolve("sql/init/local.sql"), work.resolve("env.sql"), kafka, es);
    }

    /** {@code localSql} with the bench stack's Kafka and Elasticsearch, written to {@code env}. */
    static Path environmentPartFrom(Path localSql, Path env, String kafka, String es) throws IOException {
        if (Files.exists(localSql)) {
            Files.writeString(
                    env,
                    Files.readString(localSql).replace("127.0.0.1:9092", kafka).replace("http://127.0.0.1:9200", es));
        }
        return env;
    }

    /** Why the checkpoint that the end of a bounded run overtakes fails (no final checkpoint): harmless. */
    private static final List<String> END_OF_RUN_CHECKPOINT_FAILURES =
            List.of("checkpoint request for unknown task", "task is closing", "Checkpoint Coordinator is suspending");

    /**
     * Whether a checkpoint failed while the job ran: a failure restarts the job, so such a run measures the
     * restarts. Not the checkpoint that the end of the bounded run overtakes (see ContenderMain.checkpointSettings).
     */
    static boolean failedCheckpoint(Path log) throws IOException {
        List<String> lines = Files.readAllLines(log);
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains("Failed to trigger or complete checkpoint")) {
                String reason = i + 1 < lines.size() ? lines.get(i + 1) : "";
                if (END_OF_RUN_CHECKPOINT_FAILURES.stream().noneMatch(reason::contains)) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * The table: throughput over job time (the steady state a long-running job sees; the ratios use it) and
     * over wall time (planning and MiniCluster start included), medians and min–max over the repetitions.
     */
    static void printTable(Map<Contender, List<Run>> runs, long spans, long traces) {
        Map<String, Double> medians = new LinkedHashMap<>();
        runs.forEach((c, r) -> medians.put(key(c), median(rates(r, spans, Run::jobMs))));
        Double ceiling = medians.get("ceiling/none/p1");
        System.out.printf("%nspans in topic: %d, traces: %d%n", spans, traces);
        System.out.println("| contender | sink | par. | spans/s (job time) median | min–max | traces/s median"
                + " | spans/s (wall time) median | CPU s median | CPU s median: job threads / JIT / GC / main"
                + " | CPU s median: broker / node | peak RSS MB median | ÷ baseline (same sink, par.) | ÷ book-job (same sink, par.)"
                + " | ÷ ceiling |");
        System.out.println("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
        runs.forEach((c, r) -> {
            if (r.isEmpty()) {
                System.out.printf(
                        "| %s | %s | %d | every run failed | | | | | | | | | | |%n",
                        c.name(), c.sink(), c.parallelism());
                return;
            }
            double[] rates = rates(r, spans, Run::jobMs);
            double median = median(rates);
            double rss =
                    median(r.stream().mapToDouble(x -> x.peakRssKb / 1024.0).toArray());
            String sameSinkAndParallelism = "/" + c.sink() + "/p" + c.parallelism();
            System.out.printf(
                    "| %s | %s | %d | %.0f | %.0f–%.0f | %.0f | %.0f | %.1f | %.1f / %.1f / %.1f / %.1f | %.1f / %.1f | %.0f"
                            + " | %s | %s | %s |%n",
                    c.name(),
                    c.sink(),
                    c.parallelism(),
                    median,
                    rates[0],
                    rates[rates.length - 1],
                    median * traces / spans,
                    median(rates(r, spans, Run::elapsedMs)),
                    medianSeconds(r, Run::cpuMs),
                    medianSeconds(r, Run::jobThreadsCpuMs),
                    medianSeconds(r, Run::jitMs),
                    medianSeconds(r, Run::gcMs),
                    medianSeconds(r, Run::mainMs),
                    medianSeconds(r, Run::brokerCpuMs),
                    medianSeconds(r, Run::nodeCpuMs),
                    rss,
                    ratio(median, medians.get("baseline" + sameSinkAndParallelism)),
                    ratio(median, medians.get("book-job" + sameSinkAndParallelism)),
                    ratio(median, ceiling));
        });
    }

    private static double medianSeconds(List<Run> runs, ToLongFunction<Run> millis) {
        return median(runs.stream()
                .mapToDouble(run -> millis.applyAsLong(run) / 1000.0)
                .toArray());
    }

    private static String ratio(double median, Double reference) {
        return reference == null ? "" : String.format("%.2f", median / reference);
    }

    /** Spans per second of each run over the given time, sorted. */
    private static double[] rates(List<Run> runs, long spans, ToLongFunction<Run> millis) {
        return runs.stream()
                .mapToDouble(run -> spans * 1000.0 / millis.applyAsLong(run))
                .sorted()
                .toArray();
    }

    private static String key(Contender c) {
        return c.name() + "/" + c.sink() + "/p" + c.parallelism();
    }

    static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n == 0 ? Double.NaN : n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    static long spansIn(String kafka, String topic) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka))) {
            Map<TopicPartition, OffsetSpec> latest = new LinkedHashMap<>();
            admin.describeTopics(List.of(topic))
                    .allTopicNames()
                    .get()
                    .get(topic)
                    .partitions()
                    .forEach(p -> latest.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest()));
            return admin.listOffsets(latest).all().get().values().stream()
                    .mapToLong(o -> o.offset())
                    .sum();
        }
    }

    static long countDocuments(String es, String index) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        http.send(
                HttpRequest.newBuilder(URI.create(es + "/" + index + "/_refresh"))
                        .POST(HttpRequest.BodyPublishers.noBody())
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        String body = http.send(
                        HttpRequest.newBuilder(URI.create(es + "/" + index + "/_count"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
        Matcher count = Pattern.compile("\"count\":(\\d+)").matcher(body);
        return count.find() ? Long.parseLong(count.group(1)) : -1;
    }

    static void deleteIndexes(String es, String pattern) throws Exception {
        HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(es + "/" + pattern))
                                .DELETE()
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException(
                        "Unexpected argument " + args[i]
                                + "; options: --traces N --repetitions R --seed S --start-time T --only NAME,.. --heap 1g"
                                + " --jvm-opt '...' --before-classes DIR[:DIR] --kafka-port P --elasticsearch-port P --latency --stages --keep-stack");
            }
            String name = args[i].substring(2);
            options.put(name, List.of("keep-stack", "latency", "stages").contains(name) ? "true" : args[++i]);
        }
        return options;
    }
}
