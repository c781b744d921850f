package org.tracefeatures.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jaegertracing.api_v2.KeyValue;
import io.jaegertracing.api_v2.SpanRef;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.tracefeatures.cli.compare.CohortComparison;
import org.tracefeatures.cli.compare.CohortSplit;
import org.tracefeatures.cli.compare.ComparisonOutput;
import org.tracefeatures.cli.compare.Comparisons;
import org.tracefeatures.cli.compare.TraceFeaturesReader;
import org.tracefeatures.elasticsearch.ElasticsearchClient;
import org.tracefeatures.jaeger.JaegerIds;
import org.tracefeatures.simulator.GeneratedTrace;
import org.tracefeatures.simulator.SimulatorConfig;
import org.tracefeatures.simulator.TraceGenerator;
import org.tracefeatures.simulator.TraceSimulator;
import org.tracefeatures.trace.Span;
import org.tracefeatures.trace.Trace;
import org.tracefeatures.trace.features.TraceFeatures;

/**
 * What compare costs at scale: N traces per cohort (200,000 by default) of hotrod-original, the second cohort's
 * customer working 20 % longer, their trace-features documents computed by TraceFeatures and bulk-written to an index
 * of their own (as trace_features.sql writes them; the bench stack's Elasticsearch), then compare --by testName run R
 * times in this JVM. Prints per run the wall time, this JVM's CPU time and the Elasticsearch node's CPU time (from
 * _nodes/stats), and the index's size. Assumes the bench stack is up (BenchMain --keep-stack). Arguments: HOME ES_URL
 * [TRACES_PER_COHORT] [REPETITIONS].
 */
public final class CompareMain {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int BULK = 5_000;

    private CompareMain() {}

    public static void main(String[] args) throws Exception {
        Path home = Path.of(args[0]).toAbsolutePath();
        ElasticsearchClient es = new ElasticsearchClient(URI.create(args[1]));
        int perCohort = args.length > 2 ? Integer.parseInt(args[2]) : 200_000;
        int repetitions = args.length > 3 ? Integer.parseInt(args[3]) : 3;
        String index = "trace-features-bench-compare-" + System.currentTimeMillis();
        es.send(
                "PUT",
                "/_index_template/trace-features",
                Files.readString(home.resolve("sql/index-templates/trace-features.json")));
        try {
            long written = write(es, index, perCohort);
            es.refresh(index);
            JsonNode stats = es.get("/" + index + "/_stats/store,docs");
            System.out.printf(
                    "compare bench: %d documents, %.1f MB in %s%n",
                    written, stats.at("/_all/primaries/store/size_in_bytes").asLong() / 1e6, index);
            for (int r = 0; r < repetitions; r++) {
                long esCpuBefore = esCpuMillis(es);
                long cpuBefore = processCpuNanos();
                long start = System.nanoTime();
                Comparisons.Outcome outcome = Comparisons.run(
                        new TraceFeaturesReader(es, index, new PrintWriter(System.err, true)),
                        index,
                        CohortSplit.ByValue.of("testName", "a", "b"),
                        new TraceFeaturesReader.Filter(Optional.empty(), Optional.empty(), Optional.empty()),
                        200_000);
                String table = ComparisonOutput.text(outcome, 20, "http://localhost:16686");
                double wall = (System.nanoTime() - start) / 1e9;
                double cpu = (processCpuNanos() - cpuBefore) / 1e9;
                double esCpu = (esCpuMillis(es) - esCpuBefore) / 1e3;
                CohortComparison.FeatureDifference top =
                        outcome.result().features().get(0);
                System.out.printf(
                        "compare bench: run %d: %.1f s wall, compare JVM CPU %.1f s, Elasticsearch CPU %.1f s;"
                                + " %d + %d traces, %d features, top %s %+.1f%n",
                        r + 1,
                        wall,
                        cpu,
                        esCpu,
                        outcome.result().first().size(),
                        outcome.result().second().size(),
                        outcome.result().features().size(),
                        top.feature(),
                        top.difference());
                if (r == 0) {
                    System.out.println(table);
                }
            }
        } finally {
            es.deleteIndex(index);
        }
    }

    /** Both cohorts' documents, bulk-written; returns how many. */
    private static long write(ElasticsearchClient es, String index, int perCohort) throws Exception {
        String original = new String(SimulatorConfig.class
                .getResourceAsStream("/configs/hotrod-original.json")
                .readAllBytes());
        List<TraceGenerator> generators = List.of(
                new TraceGenerator(SimulatorConfig.parse(original, "a"), "a"),
                new TraceGenerator(
                        SimulatorConfig.parse(original.replace("\"Mean\": 1500000", "\"Mean\": 1800000"), "b"), "b"));
        Instant start = Instant.parse("2026-12-01T10:00:00Z");
        StringBuilder bulk = new StringBuilder();
        long written = 0;
        long began = System.nanoTime();
        for (int cohort = 0; cohort < 2; cohort++) {
            for (int k = 0; k < perCohort; k++) {
                long traceIndex = (long) cohort * perCohort + k;
                GeneratedTrace trace = generators
                        .get(cohort)
                        .generate(
                                traceIndex,
                                TraceSimulator.randomForTrace(7, traceIndex),
                                TraceSimulator.traceStart(start, k));
                bulk.append("{\"index\":{\"_id\":\"")
                        .append(JaegerIds.traceId(trace.traceIdHigh(), trace.traceIdLow()))
                        .append("\"}}\n")
                        .append(document(trace, cohort == 0 ? "a" : "b"))
                        .append('\n');
                if (++written % BULK == 0) {
                    flush(es, index, bulk);
                }
                if (written % 50_000 == 0) {
                    System.err.printf(
                            "compare bench: %d of %d documents written (%.0f s)%n",
                            written, 2L * perCohort, (System.nanoTime() - began) / 1e9);
                }
            }
        }
        flush(es, index, bulk);
        return written;
    }

    private static void flush(ElasticsearchClient es, String index, StringBuilder bulk) throws Exception {
        if (bulk.isEmpty()) {
            return;
        }
        ElasticsearchClient.Response response =
                es.send("POST", "/" + index + "/_bulk", bulk.toString(), java.time.Duration.ofMinutes(2));
        if (!response.isSuccessful() || response.json().path("errors").asBoolean()) {
            throw new IllegalStateException(
                    "bulk write refused: " + response.body().substring(0, 500));
        }
        bulk.setLength(0);
    }

    /** The document trace_features.sql writes for a trace (the fields compare reads, and testName). */
    private static String document(GeneratedTrace generated, String testName) {
        List<Span> spans = new ArrayList<>();
        for (io.jaegertracing.api_v2.Span s : generated.spans()) {
            String parent = s.getReferencesList().stream()
                    .findFirst()
                    .map(SpanRef::getSpanId)
                    .map(id -> JaegerIds.spanId(id.toByteArray()))
                    .orElse(null);
            String kind = s.getTagsList().stream()
                    .filter(t -> t.getKey().equals("span.kind"))
                    .map(KeyValue::getVStr)
                    .findFirst()
                    .orElse(null);
            spans.add(new Span(
                    JaegerIds.spanId(s.getSpanId().toByteArray()),
                    parent,
                    parent == null ? null : Span.CHILD_OF,
                    s.getProcess().getServiceName(),
                    s.getOperationName(),
                    kind,
                    false,
                    s.getStartTime().getSeconds() * 1_000_000 + s.getStartTime().getNanos() / 1000,
                    s.getDuration().getSeconds() * 1_000_000 + s.getDuration().getNanos() / 1000));
        }
        TraceFeatures f = TraceFeatures.of(Trace.of(spans));
        ObjectNode doc = JSON.valueToTree(f);
        doc.put("traceId", JaegerIds.traceId(generated.traceIdHigh(), generated.traceIdLow()));
        doc.put("testName", testName);
        doc.put(
                "@timestamp",
                Instant.ofEpochMilli(spans.get(0).startMicros / 1000).toString());
        return doc.toString();
    }

    private static long esCpuMillis(ElasticsearchClient es) {
        long total = 0;
        for (JsonNode node : es.get("/_nodes/stats/process").path("nodes")) {
            total += node.at("/process/cpu/total_in_millis").asLong();
        }
        return total;
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }
}
