package org.tracefeatures.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.parallel.ResourceAccessMode;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.tracefeatures.cli.CompareCommand;
import org.tracefeatures.cli.compare.CohortComparison;
import org.tracefeatures.cli.compare.CohortSplit;
import org.tracefeatures.cli.compare.Comparisons;
import org.tracefeatures.cli.compare.TraceFeaturesReader;
import org.tracefeatures.runner.RunOptions;
import org.tracefeatures.runner.SqlJobRunner;
import picocli.CommandLine;

/**
 * bin/tracefeatures compare end to end: simulated traffic through sql/trace_features.sql into a real Elasticsearch,
 * compared as the command reads it. Expected values come from the simulator configs: hotrod-original calls route 10
 * times per trace and hotrod-reduced 5 times; "frontend 1.5" is hotrod-original whose customer endpoint works 20 %
 * longer (Mean 1.5 ms -> 1.8 ms), so customer's critical-path time shifts by +300 us; the same config with two seeds
 * differs by chance only.
 */
@ExtendWith(RealStack.class)
@ResourceLock(value = RealStack.SHARED_PROCESSES, mode = ResourceAccessMode.READ)
class CompareITCase {
    static final ObjectMapper JSON = new ObjectMapper();
    static final Instant T0 = Instant.parse("2025-12-01T10:00:00Z");
    static final int BOOK_TRACES = 300;
    static final int VERSION_TRACES = 2_000;
    static final int REPETITIONS = 20;
    static final int SAME_TRACES = 50;
    static final int SAMPLED_REQUESTS = 2_000;
    /** customer's /customer: Mean 1,500,000 ns in hotrod-original, 1.2 times that in "frontend 1.5" */
    static final double TRUE_SHIFT_MICROS = 300;

    static RealStack.Scope scope;
    static Path workDir;

    @BeforeAll
    static void simulateAndRunTraceFeatures() throws Exception {
        workDir = Files.createDirectories(RealStack.WORK_DIR.resolve("compare"));
        scope = RealStack.newScope("compare");
        scope.simulate("hotrod-original", BOOK_TRACES, "original", 41, T0);
        scope.simulate("hotrod-reduced", BOOK_TRACES, "reduced", 42, T0.plusSeconds(1));
        scope.simulate(frontendConfig("1.4", 1.0).toString(), VERSION_TRACES, "frontend-1.4", 43, T0.plusSeconds(10));
        scope.simulate(frontendConfig("1.5", 1.2).toString(), VERSION_TRACES, "frontend-1.5", 44, T0.plusSeconds(20));
        for (int k = 0; k < REPETITIONS; k++) {
            Instant start = T0.plusSeconds(30 + k);
            scope.simulate("hotrod-original", SAME_TRACES, "same-" + k + "-a", 1_000 + 2L * k, start);
            scope.simulate("hotrod-original", SAME_TRACES, "same-" + k + "-b", 1_001 + 2L * k, start.plusMillis(500));
        }
        scope.simulate(
                "hotrod-original",
                SAMPLED_REQUESTS,
                "sampled-0.1",
                45,
                List.of("--start-time", T0.plusSeconds(60).toString(), "--sampling-probability", "0.1"));
        scope.simulate(
                "hotrod-reduced",
                300,
                "sampled-1.0",
                46,
                List.of("--start-time", T0.plusSeconds(70).toString(), "--sampling-probability", "1.0"));

        RunOptions options = RunOptions.parse("--bounded", "trace_features.sql");
        options.initScripts.addAll(scope.initScripts(
                scope.overridesPart("trace_features", "trace-features", "trace_critical_path", "trace-critical-path")));
        SqlJobRunner.run(options);
        RealStack.elasticsearch().refresh(scope.index("trace-features"));
    }

    /** hotrod-original with frontend at {@code version} and customer's own work {@code slower} times as long. */
    static Path frontendConfig(String version, double slower) throws Exception {
        ObjectNode config;
        try (InputStream in = CompareITCase.class.getResourceAsStream("/configs/hotrod-original.json")) {
            config = (ObjectNode) JSON.readTree(in);
        }
        for (JsonNode service : config.get("Services")) {
            String name = service.get("Name").asText();
            if (name.equals("frontend")) {
                ((ObjectNode) service).put("Version", version);
            } else if (name.equals("customer")) {
                ObjectNode latency = (ObjectNode) service.at("/Endpoints/0/Perf/Latency");
                latency.put("Mean", Math.round(latency.get("Mean").asLong() * slower));
            }
        }
        return Files.writeString(workDir.resolve("frontend-" + version + ".json"), config.toPrettyString());
    }

    static Comparisons.Outcome compare(CohortSplit split) {
        return Comparisons.run(
                new TraceFeaturesReader(
                        RealStack.elasticsearch(), scope.index("trace-features"), new PrintWriter(new StringWriter())),
                scope.index("trace-features"),
                split,
                new TraceFeaturesReader.Filter(Optional.empty(), Optional.empty(), Optional.empty()),
                200_000);
    }

    static CohortComparison.FeatureDifference feature(CohortComparison.Result result, String name) {
        return result.features().stream()
                .filter(f -> f.feature().equals(name))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no feature " + name));
    }

    @Test
    void theBooksCaseHasTheRouteCallsAsItsTopChangeAndOnePatternEach() {
        CohortComparison.Result result = compare(CohortSplit.ByValue.of("testName", "original", "reduced"))
                .result();

        assertThat(result.first().size()).isEqualTo(BOOK_TRACES);
        assertThat(result.second().size()).isEqualTo(BOOK_TRACES);
        CohortComparison.FeatureDifference top = result.features().get(0);
        assertThat(top.feature()).isEqualTo("spanCounts.route::/GetShortestRoute");
        assertThat(top.first().mean()).isEqualTo(10.0);
        assertThat(top.second().mean()).isEqualTo(5.0);
        assertThat(top.difference()).isEqualTo(-5.0);
        assertThat(top.ciLow()).isEqualTo(-5.0);
        assertThat(top.ciHigh()).isEqualTo(-5.0);
        assertThat(top.cliffsDelta()).isEqualTo(-1.0);
        assertThat(top.changed()).isTrue();
        assertThat(top.firstExemplars()).hasSize(3);
        assertThat(top.secondExemplars()).hasSize(3);

        // the same in both configs: 8 services, 14 operations, depth 9 and 5 service hops, no errors, 50 us hops
        for (String constant : List.of(
                "serviceCount",
                "operationCount",
                "depth",
                "serviceDepth",
                "errorCount",
                "networkLatencyMaxMicros",
                "spanCounts.customer::/customer",
                "spanCounts.redis::/GetDriver")) {
            CohortComparison.FeatureDifference f = feature(result, constant);
            assertThat(f.difference()).as(constant).isZero();
            assertThat(f.p()).as(constant).isEqualTo(1.0);
            assertThat(f.changed()).as(constant).isFalse();
        }

        // one pattern each, every trace of its cohort; /dispatch's route calls folded with their count
        assertThat(result.patterns()).hasSize(2);
        CohortComparison.PatternDifference original = result.patterns().stream()
                .filter(p -> p.firstShare() == 1.0)
                .findFirst()
                .orElseThrow();
        CohortComparison.PatternDifference reduced = result.patterns().stream()
                .filter(p -> p.secondShare() == 1.0)
                .findFirst()
                .orElseThrow();
        assertThat(original.secondShare()).isZero();
        assertThat(reduced.firstShare()).isZero();
        assertThat(original.changed()).isTrue();
        assertThat(reduced.changed()).isTrue();
        assertThat(original.shape())
                .startsWith("test-executor::runTest(test-executor::HTTP GET(ui::/(ui::HTTP GET(frontend::/dispatch(")
                .contains("frontend::HTTP GET(route::/GetShortestRoute)×10")
                .contains("frontend::HTTP GET(customer::/customer(customer::HTTP GET(mysql::/sql_select)))")
                .contains("driver::HTTP GET(redis::/GetDriver)×10")
                .contains("driver::HTTP GET(redis::/FindDriverIDs)");
        assertThat(reduced.shape()).contains("frontend::HTTP GET(route::/GetShortestRoute)×5");
    }

    @Test
    void aSlowerDependencyOfTheNewVersionIsFlaggedWithAnIntervalThatHoldsTheTrueShift() {
        CohortComparison.Result result = compare(CohortSplit.ByValue.of("version:frontend", "1.4", "1.5"))
                .result();

        assertThat(result.first().size()).isEqualTo(VERSION_TRACES);
        assertThat(result.second().size()).isEqualTo(VERSION_TRACES);
        for (String name : List.of("criticalPath.customer::/customer", "criticalPathServices.customer")) {
            CohortComparison.FeatureDifference customer = feature(result, name);
            assertThat(customer.changed()).as(name).isTrue();
            assertThat(customer.difference()).as(name).isPositive();
            assertThat(customer.ciLow()).as(name).isLessThanOrEqualTo(TRUE_SHIFT_MICROS);
            assertThat(customer.ciHigh()).as(name).isGreaterThanOrEqualTo(TRUE_SHIFT_MICROS);
            System.out.printf(
                    "compare IT: %s: +%.1f us [%.1f, %.1f], q %.2e%n",
                    name, customer.difference(), customer.ciLow(), customer.ciHigh(), customer.q());
        }
        // the shape does not change: one pattern, the same share
        assertThat(result.patterns()).hasSize(1);
        assertThat(result.patterns().get(0).changed()).isFalse();
    }

    @Test
    void twoSeedsOfOneConfigFlagNothingInAtMostThreeOfTwentyComparisons() {
        List<String> alarms = new ArrayList<>();
        int comparisonsWithAlarms = 0;
        for (int k = 0; k < REPETITIONS; k++) {
            CohortComparison.Result result = compare(
                            CohortSplit.ByValue.of("testName", "same-" + k + "-a", "same-" + k + "-b"))
                    .result();
            assertThat(result.first().size()).isEqualTo(SAME_TRACES);
            List<String> flagged = new ArrayList<>();
            int repetition = k;
            result.features().stream()
                    .filter(CohortComparison.FeatureDifference::changed)
                    .forEach(f -> flagged.add(repetition + ": " + f.feature()));
            result.patterns().stream()
                    .filter(CohortComparison.PatternDifference::changed)
                    .forEach(p -> flagged.add(repetition + ": pattern " + p.patternId()));
            comparisonsWithAlarms += flagged.isEmpty() ? 0 : 1;
            alarms.addAll(flagged);
            // route calls are always 10: unchanged, with p = 1, not NaN
            CohortComparison.FeatureDifference route = feature(result, "spanCounts.route::/GetShortestRoute");
            assertThat(route.p()).isEqualTo(1.0);
            assertThat(route.changed()).isFalse();
        }
        System.out.printf(
                "compare IT: %d of %d same-config comparisons flagged something: %s%n",
                comparisonsWithAlarms, REPETITIONS, alarms);
        assertThat(comparisonsWithAlarms).isLessThanOrEqualTo(3);
    }

    @Test
    void sampledTracesWeighUpToTheRequestsMade() {
        List<JsonNode> sampled = scope.documents("trace-features").stream()
                .map(hit -> hit.get("_source"))
                .filter(doc -> doc.path("testName").asText().startsWith("sampled-"))
                .toList();
        long kept = sampled.stream()
                .filter(d -> d.get("testName").asText().equals("sampled-0.1"))
                .count();
        assertThat(sampled)
                .allSatisfy(doc -> assertThat(doc.get("samplingWeight").asDouble())
                        .isEqualTo(doc.get("testName").asText().equals("sampled-0.1") ? 10.0 : 1.0));

        // the weighted count per test name as Kibana's pattern chart sums it: sum of samplingWeight
        JsonNode sums = RealStack.elasticsearch()
                .search(
                        scope.index("trace-features"),
                        "{\"size\": 0,"
                                + " \"aggs\": {\"tests\": {\"terms\": {\"field\": \"testName\", \"include\": \"sampled-.*\"},"
                                + " \"aggs\": {\"weighted\": {\"sum\": {\"field\": \"samplingWeight\"}}}}}}");
        double weighted01 = 0;
        double weighted10 = 0;
        for (JsonNode bucket : sums.at("/aggregations/tests/buckets")) {
            double weighted = bucket.at("/weighted/value").asDouble();
            if (bucket.get("key").asText().equals("sampled-0.1")) {
                weighted01 = weighted;
            } else {
                weighted10 = weighted;
            }
        }
        // each kept trace of sampled-0.1 weighs 10; sampled at 1.0 every request's trace is there with weight 1
        assertThat(weighted01).isEqualTo(10.0 * kept);
        assertThat(weighted10).isEqualTo(300.0);
        // kept ~ Binomial(2000, 0.1): the weighted count estimates 2000 with standard error
        // sqrt(2000 * 0.1 * 0.9) / 0.1 = 134; within 3 of them
        assertThat(weighted01).isBetween(SAMPLED_REQUESTS - 3 * 134.0, SAMPLED_REQUESTS + 3 * 134.0);
        System.out.printf(
                "compare IT: sampled at 0.1: %d of %d traces kept, weighted count %.0f%n",
                kept, SAMPLED_REQUESTS, weighted01);
    }

    @Test
    void aSplitInTimeAndASplitBySlownessCompareTheTracesOnEachSide() {
        // within T0 .. T0 + 2 s only the book's traffic: original before T0 + 500 ms, reduced after
        TraceFeaturesReader.Filter bookOnly =
                new TraceFeaturesReader.Filter(Optional.empty(), Optional.of(T0.plusSeconds(2)), Optional.empty());
        TraceFeaturesReader reader = new TraceFeaturesReader(
                RealStack.elasticsearch(), scope.index("trace-features"), new PrintWriter(new StringWriter()));
        CohortComparison.Result byTime = Comparisons.run(
                        reader,
                        scope.index("trace-features"),
                        new CohortSplit.ByTime(T0.plusMillis(500)),
                        bookOnly,
                        200_000)
                .result();
        assertThat(byTime.first().size()).isEqualTo(BOOK_TRACES);
        assertThat(byTime.second().size()).isEqualTo(BOOK_TRACES);
        assertThat(byTime.features().get(0).feature()).isEqualTo("spanCounts.route::/GetShortestRoute");
        assertThat(byTime.features().get(0).difference()).isEqualTo(-5.0);

        // the two versions' 4,000 traces: about 5 % are over their root operation's p95 (runTest's, the only one)
        TraceFeaturesReader.Filter versions = new TraceFeaturesReader.Filter(
                Optional.of(T0.plusSeconds(10)), Optional.of(T0.plusSeconds(30)), Optional.of("runTest"));
        CohortComparison.Result bySlowness = Comparisons.run(
                        reader,
                        scope.index("trace-features"),
                        new CohortSplit.BySlowness(java.util.Map.of()),
                        versions,
                        200_000)
                .result();
        assertThat(bySlowness.first().size() + bySlowness.second().size()).isEqualTo(2 * VERSION_TRACES);
        // nearest rank: at most 5 % are over the p95, and HDR's 0.1 % puts at most a few more or fewer there
        assertThat(bySlowness.second().size()).isBetween(180, 210);
        CohortComparison.FeatureDifference duration = feature(bySlowness, "durationMicros");
        assertThat(duration.changed()).isTrue();
        assertThat(duration.cliffsDelta()).isEqualTo(1.0);
    }

    @Test
    void overTheLimitEachCohortIsASampleAndTheOutputSaysSo() {
        Comparisons.Outcome outcome = Comparisons.run(
                new TraceFeaturesReader(
                        RealStack.elasticsearch(), scope.index("trace-features"), new PrintWriter(new StringWriter())),
                scope.index("trace-features"),
                CohortSplit.ByValue.of("testName", "frontend-1.4", "frontend-1.5"),
                new TraceFeaturesReader.Filter(Optional.empty(), Optional.empty(), Optional.empty()),
                500);

        assertThat(outcome.sampled()).isTrue();
        // each trace kept with probability 500 / 2000: Binomial(2000, 0.25), sd 19.4; within 4 of them
        for (var cohort : List.of(outcome.result().first(), outcome.result().second())) {
            assertThat(cohort.matching()).isEqualTo(VERSION_TRACES);
            assertThat(cohort.size()).isBetween(422, 578);
        }
        assertThat(feature(outcome.result(), "criticalPathServices.customer").changed())
                .isTrue();
        assertThat(org.tracefeatures.cli.compare.ComparisonOutput.text(outcome, 20, "http://jaeger"))
                .contains("(a uniform sample of the 2000 that match, limit 500)")
                .contains("Sampled: more traces matched than --max-traces 500");
    }

    @Test
    void theCommandPrintsTheTableAndJson() throws Exception {
        Run table = command("--by", "testName", "original", "reduced");
        assertThat(table.exit()).isZero();
        assertThat(table.out())
                .contains("A: testName = original: 300 traces")
                .contains("B: testName = reduced: 300 traces")
                .contains("spanCounts.route::/GetShortestRoute")
                .contains("Patterns: share of each cohort's traces")
                .contains("Traces to open");
        Run json = command("--by", "testName", "original", "reduced", "--json");
        assertThat(json.exit()).isZero();
        JsonNode parsed = JSON.readTree(json.out());
        assertThat(parsed.at("/features/0/feature").asText()).isEqualTo("spanCounts.route::/GetShortestRoute");
        assertThat(parsed.at("/features/0/difference").asDouble()).isEqualTo(-5.0);
        assertThat(parsed.at("/cohorts/a/traces").asInt()).isEqualTo(BOOK_TRACES);
    }

    @Test
    void badCohortsGetAMessageOfWhatToChangeAndNoStackTrace() throws Exception {
        Run unknownDimension = command("--by", "version:nosuchservice", "1", "2");
        assertThat(unknownDimension.exit()).isEqualTo(2);
        assertThat(unknownDimension.err())
                .contains("no trace has serviceVersions.nosuchservice; the dimensions the traces in")
                .contains("serviceVersions.frontend")
                .contains("testName");

        Run unknownValue = command("--by", "testName", "original", "nosuchtest");
        assertThat(unknownValue.exit()).isEqualTo(2);
        assertThat(unknownValue.err()).contains("no trace has testName = nosuchtest; its most common values: ");

        Run emptyRange = command("--by", "testName", "original", "reduced", "--since", "2030-01-01T00:00:00Z");
        assertThat(emptyRange.exit()).isEqualTo(2);
        assertThat(emptyRange.err())
                .contains("no trace from 2030-01-01T00:00:00Z; the traces in")
                .contains("change --since, --until or --root-operation");

        // original's traces start at T0 + 0..299 ms, reduced's at T0 + 1000..1299 ms: 5 and 5 in this range
        Run tiny = command(
                "--by",
                "testName",
                "original",
                "reduced",
                "--since",
                T0.plusMillis(295).toString(),
                "--until",
                T0.plusMillis(1005).toString());
        assertThat(tiny.exit()).isEqualTo(2);
        assertThat(tiny.err())
                .contains("cohort 'testName = original' has 5 traces")
                .contains("fewer than the 10 a comparison needs");

        Run sameValues = command("--by", "testName", "original", "original");
        assertThat(sameValues.exit()).isEqualTo(2);
        assertThat(sameValues.err()).contains("both cohorts are testName = original: give two different values");

        Run object = command("--by", "serviceVersions", "1.4", "1.5");
        assertThat(object.exit()).isEqualTo(2);
        assertThat(object.err())
                .contains("serviceVersions is an object, not a keyword dimension with one value per"
                        + " trace; the dimensions the traces in");

        Run number = command("--by", "spanCount", "53", "x");
        assertThat(number.exit()).isEqualTo(2);
        assertThat(number.err()).contains("spanCount is of type integer, not a keyword dimension");

        Run noScheme = command("--by", "testName", "original", "reduced", "--elasticsearch", "localhost:9200");
        assertThat(noScheme.exit()).isEqualTo(2);
        assertThat(noScheme.err()).contains("needs a scheme and a host, like http://localhost:9200");

        // the simulated traffic has no errors
        Run noErrors = command("--errors");
        assertThat(noErrors.exit()).isEqualTo(2);
        assertThat(noErrors.err()).contains("cohort 'with errors' has 0 traces");

        Run noIndex = command("--by", "testName", "original", "reduced", "--features-index", "no-such-index");
        assertThat(noIndex.exit()).isEqualTo(2);
        assertThat(noIndex.err()).contains("no trace in index no-such-index: run sql/trace_features.sql first");

        for (Run run : List.of(
                unknownDimension,
                unknownValue,
                emptyRange,
                tiny,
                sameValues,
                object,
                number,
                noScheme,
                noErrors,
                noIndex)) {
            assertThat(run.err()).doesNotContain("Exception").doesNotContain("\tat ");
        }
    }

    record Run(int exit, String out, String err) {}

    static Run command(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        List<String> all = new ArrayList<>(List.of(
                "--elasticsearch",
                "http://127.0.0.1:" + RealStack.ELASTICSEARCH_PORT,
                "--features-index",
                scope.index("trace-features")));
        all.addAll(List.of(args));
        int exit = new CommandLine(new CompareCommand())
                .setOverwrittenOptionsAllowed(true)
                .setOut(new PrintWriter(out))
                .setErr(new PrintWriter(err))
                .execute(all.toArray(String[]::new));
        return new Run(exit, out.toString(), err.toString());
    }
}
