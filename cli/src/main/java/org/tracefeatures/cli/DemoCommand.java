package org.tracefeatures.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.Callable;
import org.tracefeatures.elasticsearch.ElasticsearchClient;
import org.tracefeatures.runner.RunOptions;
import org.tracefeatures.runner.SqlJobRunner;
import org.tracefeatures.runner.SqlScripts;
import org.tracefeatures.simulator.SimulateCommand;
import org.tracefeatures.stack.LocalStack;
import org.tracefeatures.stack.LocalStackConfig;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        description = {
            "The book's experiment end to end: starts the local stack, simulates HotROD traffic before and after"
                    + " a change (10 route calls per dispatch, then 5), runs sql/span_count.sql over it and prints"
                    + " what Elasticsearch holds, then runs sql/trace_features.sql and sql/service_dependencies.sql,"
                    + " says what changed and how sure (see `compare`) and writes the report page (see `report`)."
                    + " Leaves the stack up."
        })
class DemoCommand implements Callable<Integer> {
    static final String ROUTE_CALLS = "spanCounts.route::/GetShortestRoute";

    @Option(names = "--traces", defaultValue = "300", description = "Traces per test (default: ${DEFAULT-VALUE}).")
    int traces;

    @Override
    public Integer call() throws Exception {
        LocalStackConfig config = LocalStackConfig.builder().build();
        step("Starting the local stack (Kafka " + config.kafkaBootstrapServers() + ", Elasticsearch "
                + config.elasticsearchUrl() + ")");
        new LocalStack(config).up();

        // The job reads from here on, so traces of earlier demos in the topic do not count twice.
        Instant demoStart = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        simulate("hotrod-original", "original", config);
        simulate("hotrod-reduced", "reduced", config);

        BoundedRuns.quietDeclinedCheckpoints();
        step("Running sql/span_count.sql on a local Flink MiniCluster (input " + SqlScripts.DEFAULT_INPUT
                + ", bounded)");
        SqlJobRunner.run(RunOptions.parse("--bounded", "--from", demoStart.toString(), "span_count.sql"));

        step("What trace-summaries holds for this demo (traces since " + demoStart + ")");
        ElasticsearchClient elasticsearch = new ElasticsearchClient(URI.create(config.elasticsearchUrl()));
        elasticsearch.refresh("trace-summaries");
        JsonNode byTest = elasticsearch.search("trace-summaries", routeCallsByTestName(demoStart));
        System.out.printf("%n  %-10s %8s   %s%n", "testName", "traces", "avg(" + ROUTE_CALLS + ")");
        for (JsonNode bucket : byTest.at("/aggregations/tests/buckets")) {
            System.out.printf(
                    "  %-10s %8d   %.2f%n",
                    bucket.get("key").asText(),
                    bucket.get("doc_count").asLong(),
                    bucket.at("/route/value").asDouble());
        }
        System.out.println();
        step("Running sql/trace_features.sql over the same traffic, for the report's other charts");
        SqlJobRunner.run(RunOptions.parse("--bounded", "--from", demoStart.toString(), "trace_features.sql"));
        step("Running sql/service_dependencies.sql over the same traffic, for the service graph (Jaeger's System"
                + " Architecture and the report's edge latency)");
        SqlJobRunner.run(RunOptions.parse("--bounded", "--from", demoStart.toString(), "service_dependencies.sql"));

        step("What changed from original to reduced, and how sure: bin/tracefeatures compare --by testName original"
                + " reduced --since " + demoStart);
        int compared = new CommandLine(new CompareCommand())
                .execute(
                        "--by",
                        "testName",
                        "original",
                        "reduced",
                        "--since",
                        demoStart.toString(),
                        "--top",
                        "8",
                        "--elasticsearch",
                        config.elasticsearchUrl());
        if (compared != 0) {
            throw new IllegalStateException("compare failed (exit " + compared + "); see above");
        }

        step("Writing the report: the book's chart, the dashboard's others and what changed, as a page that needs no"
                + " Kibana");
        ReportCommand report = new ReportCommand();
        report.elasticsearch.url = URI.create(config.elasticsearchUrl());
        report.since = demoStart;
        report.compareBy = new String[] {"testName", "original", "reduced"};
        System.out.println("  open it in a browser: " + report.write());
        System.out.println();
        System.out.println(
                "Explore the same data in Flink's SQL client (try: SELECT trace_id, CARDINALITY(spans) FROM traces;):");
        System.out.println("  bin/tracefeatures sql-client --from " + demoStart + " --bounded");
        System.out.println(
                "The stack stays up; stop it with: bin/tracefeatures stack down   (add --wipe to delete its data)");
        return 0;
    }

    private void simulate(String config, String testName, LocalStackConfig stack) {
        step("Simulating " + traces + " traces of " + config + " with test name " + testName);
        int exit = new CommandLine(new SimulateCommand())
                .execute(
                        "--config",
                        config,
                        "--traces",
                        String.valueOf(traces),
                        "--test-name",
                        testName,
                        "--kafka",
                        stack.kafkaBootstrapServers(),
                        "--topic",
                        stack.topic());
        if (exit != 0) {
            throw new IllegalStateException("simulate " + config + " failed (exit " + exit + "); see above");
        }
    }

    static String routeCallsByTestName(Instant since) {
        return "{\"size\":0,\"query\":{\"range\":{\"@timestamp\":{\"gte\":\"" + since + "\"}}},"
                + "\"aggs\":{\"tests\":{\"terms\":{\"field\":\"testName\",\"order\":{\"_key\":\"asc\"}},"
                + "\"aggs\":{\"route\":{\"avg\":{\"field\":\"" + ROUTE_CALLS + "\"}}}}}}";
    }

    private static void step(String message) {
        System.out.println("==> " + message);
    }
}
