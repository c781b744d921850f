package org.tracefeatures.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.parallel.ResourceAccessMode;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.tracefeatures.it.RealFlinkCluster;
import org.tracefeatures.it.RealStack;
import picocli.CommandLine;

/**
 * `run --target cluster --bounded span_count.sql`: the CLI submits the packaged job to the Flink cluster of `cluster
 * up`, whose TaskManager has neither the connectors nor our functions on its classpath but the shaded jar that the
 * submission ships; the job reads the real Kafka broker and writes the real Elasticsearch node.
 */
@ExtendWith({RealStack.class, RealFlinkCluster.class})
@ResourceLock(value = RealStack.SHARED_PROCESSES, mode = ResourceAccessMode.READ)
class RunOnClusterITCase {
    @Test
    void runTargetClusterSubmitsThePackagedJobAndPrintsItsId() throws Exception {
        RealStack.Scope scope = RealStack.newScope("run-on-cluster");
        scope.simulate("hotrod-original", 10, "original", 31);
        List<String> args = new ArrayList<>(List.of(
                "--target", "cluster", "--cluster-port", String.valueOf(RealFlinkCluster.REST_PORT), "--bounded"));
        for (String init : scope.initScripts(scope.overridesPart("trace_summaries", "trace-summaries"))) {
            args.addAll(List.of("--init", init));
        }
        args.add("span_count.sql");

        StringWriter printed = new StringWriter();
        int exit = new CommandLine(new RunCommand())
                .setOut(new PrintWriter(printed, true))
                .execute(args.toArray(String[]::new));

        assertThat(exit).isZero();
        String jobId = printed.toString().trim();
        assertThat(jobId).matches("[0-9a-f]{32}");
        JsonNode job = RealFlinkCluster.rest("/jobs/" + jobId);
        assertThat(job.path("name").asText()).isEqualTo("tracefeatures span_count");
        assertThat(job.path("state").asText()).isEqualTo("FINISHED");
        List<JsonNode> documents = scope.documents("trace-summaries");
        // HotROD original: 53 spans, 10 route calls per trace (HotrodExpectations)
        assertThat(documents).hasSize(10);
        for (JsonNode document : documents) {
            assertThat(document.at("/_source/spanCount").asLong()).isEqualTo(53);
            assertThat(document.at("/_source/spanCounts/route::~1GetShortestRoute")
                            .asLong())
                    .isEqualTo(10);
        }
    }
}
