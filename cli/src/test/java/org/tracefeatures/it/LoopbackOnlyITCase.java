package org.tracefeatures.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.parallel.ResourceAccessMode;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.tracefeatures.stack.FlinkClusterStatus;
import org.tracefeatures.stack.ServerStatus;
import org.tracefeatures.stack.StackStatus;

/**
 * Everything the local stack starts listens on loopback only: Kafka, Elasticsearch, the Flink cluster's JobManager and
 * TaskManager, and the MiniCluster of a local `run`. Read from the kernel's socket tables for each process's pid.
 */
@ExtendWith({RealStack.class, RealFlinkCluster.class})
@ResourceLock(value = RealStack.SHARED_PROCESSES, mode = ResourceAccessMode.READ)
class LoopbackOnlyITCase {

    @Test
    void theStackAndTheFlinkClusterListenOnLoopbackOnly() {
        StackStatus stack = RealStack.status();
        FlinkClusterStatus flink = RealFlinkCluster.cluster().status();

        assertLoopbackOnly(stack.kafka(), RealStack.KAFKA_PORT, RealStack.KAFKA_PORT + 1);
        assertLoopbackOnly(stack.elasticsearch(), RealStack.ELASTICSEARCH_PORT, RealStack.ELASTICSEARCH_PORT + 100);
        assertLoopbackOnly(flink.jobManager(), RealFlinkCluster.REST_PORT, RealFlinkCluster.REST_PORT + 1);
        assertThat(flink.taskManagers()).isNotEmpty();
        for (ServerStatus taskManager : flink.taskManagers()) {
            // RPC, data exchange: ports of their own choosing
            assertLoopbackOnly(taskManager);
        }
    }

    @Test
    void theMiniClusterOfALocalRunListensOnLoopbackOnly() throws Exception {
        RealStack.Scope scope = RealStack.newScope("loopback");
        scope.simulate("hotrod-original", 3, "loopback", 51);
        List<String> args = new ArrayList<>(List.of("run", "--bounded"));
        for (String init : scope.initScripts(scope.overridesPart("trace_summaries", "trace-summaries"))) {
            args.addAll(List.of("--init", init));
        }
        args.add("span_count.sql");
        Set<ListeningSockets.Socket> seen = new TreeSet<>();

        CliProcess.Result run = CliProcess.run(
                RealStack.WORK_DIR.resolve("loopback-run"),
                Map.of(),
                process -> seen.addAll(ListeningSockets.of(process.pid())),
                args.toArray(String[]::new));

        assertThat(run.exitCode()).as("exit code; stderr:%n%s", run.err()).isZero();
        assertThat(scope.documents("trace-summaries")).hasSize(3);
        // at least the blob server, which serves the job's classes to the TaskManager
        assertThat(seen).as("sockets the run listened on").isNotEmpty().allMatch(ListeningSockets.Socket::isLoopback);
    }

    private static void assertLoopbackOnly(ServerStatus server, int... expectedPorts) {
        assertThat(server.pid()).as(server.name()).isPresent();
        Set<ListeningSockets.Socket> sockets = ListeningSockets.of(server.pid().getAsLong());
        assertThat(sockets)
                .as("%s listens on", server.name())
                .isNotEmpty()
                .allMatch(ListeningSockets.Socket::isLoopback);
        for (int port : expectedPorts) {
            assertThat(sockets).as("%s listens on", server.name()).anyMatch(socket -> socket.port() == port);
        }
    }
}
