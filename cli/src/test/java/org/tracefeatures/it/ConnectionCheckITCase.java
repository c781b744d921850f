package org.tracefeatures.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.parallel.ResourceAccessMode;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.tracefeatures.runner.SqlScripts;

/**
 * `run` and `sql-client` (as `bin/tracefeatures`, a JVM of its own) over a topic that does not exist, or with an
 * Elasticsearch that does not answer, stop before submitting with one line that says what is missing and what to do,
 * instead of a job that fails over for ever.
 */
@ExtendWith(RealStack.class)
@ResourceLock(value = RealStack.SHARED_PROCESSES, mode = ResourceAccessMode.READ)
class ConnectionCheckITCase {

    @Test
    void aTopicThatDoesNotExistStopsTheRunWithOneLineThatSaysWhatToDo() throws Exception {
        RealStack.Scope scope = RealStack.newScope("missing-topic");
        Path missing = scope.part("missing-topic.sql", "ALTER TABLE span_source SET ('topic' = 'no-such-spans');\n");

        CliProcess.Result run = CliProcess.run(
                RealStack.WORK_DIR.resolve("missing-topic"), Map.of(), process -> {}, runArguments(scope, missing));

        assertThat(run.exitCode()).as("stderr:%n%s", run.err()).isEqualTo(2);
        assertThat(run.err())
                .contains("The topic 'no-such-spans' of table span_source does not exist on Kafka at "
                        + RealStack.kafka() + ". Create it (bin/tracefeatures stack up creates jaeger-spans and"
                        + " otlp_spans), write spans to it (bin/tracefeatures simulate --topic no-such-spans), or read"
                        + " another topic (--input, or 'topic' in the input part); the job was not submitted.")
                .doesNotContain("Submitted", "\tat ");
    }

    @Test
    void theSqlClientChecksTheTopicOfItsInitFilesBeforeItStarts() throws Exception {
        RealStack.Scope scope = RealStack.newScope("missing-topic-sql-client");
        Path missing = scope.part("missing-topic.sql", "ALTER TABLE span_source SET ('topic' = 'no-such-spans');\n");

        CliProcess.Result run = CliProcess.run(
                RealStack.WORK_DIR.resolve("missing-topic-sql-client"),
                Map.of(),
                process -> {},
                "sql-client",
                "--env",
                scope.environmentPart().toString(),
                "--bounded",
                "-i",
                missing.toString(),
                "-f",
                RealStack.HOME.resolve("sql/span_count.sql").toString());

        assertThat(run.exitCode()).as("stderr:%n%s", run.err()).isEqualTo(2);
        assertThat(run.err())
                .contains("The topic 'no-such-spans' of table span_source does not exist on Kafka at "
                        + RealStack.kafka())
                .doesNotContain("SQL client init:", "\tat ");
    }

    @Test
    void anElasticsearchThatDoesNotAnswerStopsTheRunWithOneLineThatSaysWhatToDo() throws Exception {
        RealStack.Scope scope = RealStack.newScope("silent-elasticsearch");
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        String environment = Files.readString(scope.environmentPart())
                .replace("127.0.0.1:" + RealStack.ELASTICSEARCH_PORT, "127.0.0.1:" + closedPort);
        Path silent = scope.part("silent-env.sql", environment);

        CliProcess.Result run = CliProcess.run(
                RealStack.WORK_DIR.resolve("silent-elasticsearch"),
                Map.of(),
                process -> {},
                runArguments(scope, silent, scope.overridesPart()));

        assertThat(run.exitCode()).as("stderr:%n%s", run.err()).isEqualTo(2);
        assertThat(run.err())
                .contains(
                        "Elasticsearch at http://127.0.0.1:" + closedPort + " does not answer (",
                        "): start it (bin/tracefeatures stack up) or correct 'hosts' in the environment part's"
                                + " elasticsearch_connection; the job was not submitted.")
                .doesNotContain("Submitted", "\tat ");
    }

    /** `run --bounded span_count.sql` with the test environment, or {@code environment} and then {@code more}. */
    private static String[] runArguments(RealStack.Scope scope, Path extra, Path... more) throws Exception {
        List<String> args = new ArrayList<>(List.of("run", "--bounded"));
        boolean replacesEnvironment = more.length > 0;
        String environment =
                replacesEnvironment ? extra.toString() : scope.environmentPart().toString();
        for (String part : SqlScripts.initParts(SqlScripts.DEFAULT_INPUT, environment)) {
            args.addAll(List.of("--init", part));
        }
        if (replacesEnvironment) {
            for (Path part : more) {
                args.addAll(List.of("--init", part.toString()));
            }
        } else {
            args.addAll(List.of("--init", scope.overridesPart().toString(), "--init", extra.toString()));
        }
        args.add("span_count.sql");
        return args.toArray(String[]::new);
    }
}
