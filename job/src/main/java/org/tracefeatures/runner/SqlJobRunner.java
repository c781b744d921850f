package org.tracefeatures.runner;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.LocalStreamEnvironment;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.table.api.TableResult;

/**
 * The packaged job: runs the init scripts and one job script with the Table API, statement by
 * statement, so the very files that the Flink SQL client runs work here too. Without a cluster it
 * runs on a local MiniCluster; under {@code flink run tracefeatures-job.jar JOB.sql} it runs on the
 * cluster that {@code flink run} targets.
 */
public final class SqlJobRunner {
    private static final Pattern SET_STATEMENT =
            Pattern.compile("(?is)^(?:--[^\\n]*\\n\\s*)*SET\\s+'((?:[^']|'')*)'\\s*=\\s*'((?:[^']|'')*)'\\s*$");

    /**
     * A local MiniCluster (the job run neither by {@code flink run} nor on a remote target) serves its blob server and
     * its TaskManager's data exchange on every interface unless told otherwise, though only this process talks to
     * them. Elsewhere these options change nothing: a cluster's JobManager and TaskManagers bind as they were started.
     */
    private static final Map<String, String> LOOPBACK_ONLY = Map.of(
            "jobmanager.bind-host", "127.0.0.1",
            "taskmanager.bind-host", "127.0.0.1",
            "rest.bind-address", "127.0.0.1");

    /** Where local runs keep their checkpoints (a cancelled job's last one is kept, see init/settings.sql). */
    static final Path LOCAL_CHECKPOINTS = Path.of(System.getProperty("java.io.tmpdir"), "tracefeatures-checkpoints")
            .toAbsolutePath();

    private SqlJobRunner() {}

    public static void main(String[] args) throws Exception {
        RunOptions options;
        try {
            options = RunOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        run(options);
    }

    /** Runs the job; returns its client once it ended (or, with --no-wait, once it was submitted). */
    public static Optional<JobClient> run(RunOptions options) throws Exception {
        ScriptVariables variables = options.variables();
        TableEnvironment tableEnv = prepare(options, variables);
        tableEnv.getConfig().set("pipeline.name", "tracefeatures " + jobName(options.job));
        ConnectionCheck.check(tableEnv);
        ElasticsearchCredentials.check(tableEnv, variables);
        StartingOffsets.pin(tableEnv);
        tableEnv.getConfig()
                .getOptional(StateRecoveryOptions.SAVEPOINT_PATH)
                .ifPresent(path -> RestoredOffsets.report(tableEnv, path));

        Optional<JobClient> job = Optional.empty();
        for (String statement : SqlStatements.split(SqlScripts.read(options.job))) {
            if (applySet(tableEnv, statement)) {
                continue;
            }
            TableResult result = execute(tableEnv, statement, variables);
            Optional<JobClient> client = result.getJobClient();
            if (client.isPresent()) {
                job = client;
                System.err.println("Submitted " + options.job + " as Flink job "
                        + client.get().getJobID());
                if (options.wait) {
                    result.await();
                    System.err.println("Flink job " + client.get().getJobID() + " finished");
                }
            }
        }
        if (job.isEmpty()) {
            throw new IllegalArgumentException(
                    options.job + " started no job: a job script holds one INSERT INTO (or a STATEMENT SET)");
        }
        return job;
    }

    /**
     * Fails with what to do when a Kafka table's topic does not exist or Elasticsearch does not answer, as {@link #run}
     * does before it submits: for a SQL client, which would submit the jobs itself.
     */
    public static void checkConnections(RunOptions options, ScriptVariables variables) {
        ConnectionCheck.check(prepare(options, variables));
    }

    /** A streaming table environment with the options' init scripts and source bounds applied. */
    public static TableEnvironment prepare(RunOptions options) {
        return prepare(options, options.variables());
    }

    /** The same, with the init parts' ${NAME} placeholders replaced by these variables. */
    public static TableEnvironment prepare(RunOptions options, ScriptVariables variables) {
        Map<String, String> configuration = new LinkedHashMap<>(LOOPBACK_ONLY);
        configuration.putAll(options.configuration);
        if (runsInThisProcess(configuration)) {
            // a MiniCluster in this process: without a directory Flink keeps checkpoints in the JobManager's memory,
            // which refuses more than 5 MB, and open trace windows hold more than that under real traffic: every
            // checkpoint would fail and restart the job. A SET or --set of the directory still wins.
            configuration.putIfAbsent(
                    "execution.checkpointing.dir", LOCAL_CHECKPOINTS.toUri().toString());
            // RocksDB ('state.backend.type' = 'rocksdb') takes its memtables and cache from managed memory, of which
            // a MiniCluster has 128 MB unless told otherwise: writes then stall on flushes, and a trace of 200,000
            // spans takes 14 times as long as on the heap. The heap backend does not use managed memory. A size or
            // fraction given with --set wins (Flink takes a size over a fraction, so none is added then).
            if (!configuration.containsKey("taskmanager.memory.managed.fraction")) {
                configuration.putIfAbsent("taskmanager.memory.managed.size", "1g");
            }
        }
        if ("remote".equals(configuration.get("execution.target"))) {
            // as under `flink run`, whose client configuration defaults to 1: without it the job would ask the
            // cluster for as many slots as this machine has cores (the local environment's default); a SET or
            // --set of parallelism.default still wins
            configuration.putIfAbsent("parallelism.default", "1");
        }
        TableEnvironment tableEnv = TableEnvironment.create(EnvironmentSettings.newInstance()
                .inStreamingMode()
                .withConfiguration(Configuration.fromMap(configuration))
                .build());
        List<String> init = new ArrayList<>();
        for (String script : options.effectiveInitScripts()) {
            init.addAll(SqlStatements.split(variables.substitute(script, SqlScripts.read(script))));
        }
        init.addAll(SqlScripts.sourceOverrides(options.from, options.bounded));
        for (String statement : init) {
            if (!applySet(tableEnv, statement)) {
                execute(tableEnv, statement, variables);
            }
        }
        // settings given for this run (--set) win over the defaults that the environment part SETs
        options.configuration.forEach(tableEnv.getConfig()::set);
        return tableEnv;
    }

    /** Whether the job runs on a MiniCluster in this JVM: no target given, and not submitted by `flink run`. */
    private static boolean runsInThisProcess(Map<String, String> configuration) {
        return !configuration.containsKey("execution.target")
                && StreamExecutionEnvironment.getExecutionEnvironment() instanceof LocalStreamEnvironment;
    }

    /** Runs a statement; an error that would show a substituted value shows its placeholder instead. */
    private static TableResult execute(TableEnvironment tableEnv, String statement, ScriptVariables variables) {
        try {
            return tableEnv.executeSql(statement);
        } catch (RuntimeException e) {
            throw variables.redact(e);
        }
    }

    /**
     * Applies {@code SET 'key' = 'value'} as the SQL client does; the Table API's executeSql does not
     * take SET. Returns false for any other statement.
     */
    static boolean applySet(TableEnvironment tableEnv, String statement) {
        Matcher set = SET_STATEMENT.matcher(statement);
        if (!set.matches()) {
            return false;
        }
        tableEnv.getConfig().set(set.group(1).replace("''", "'"), set.group(2).replace("''", "'"));
        return true;
    }

    private static String jobName(String job) {
        String file = Path.of(job).getFileName().toString();
        return file.endsWith(".sql") ? file.substring(0, file.length() - 4) : file;
    }
}
