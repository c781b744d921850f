package org.tracefeatures.cli;

import java.io.PrintWriter;
import java.net.URI;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.tracefeatures.cli.compare.CohortComparison;
import org.tracefeatures.cli.compare.CohortSplit;
import org.tracefeatures.cli.compare.CompareException;
import org.tracefeatures.cli.compare.ComparisonOutput;
import org.tracefeatures.cli.compare.Comparisons;
import org.tracefeatures.cli.compare.TraceFeaturesReader;
import org.tracefeatures.elasticsearch.ElasticsearchClient;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
        name = "compare",
        mixinStandardHelpOptions = true,
        description = {
            "Says which trace features changed between two cohorts of traces, and how sure that is: for every feature"
                    + " of sql/trace_features.sql's documents (span counts per service::operation, critical-path time"
                    + " per service and operation, span count, duration, depth, fan-out, errors, network latency) each"
                    + " cohort's median, mean and p95, the difference of the means with a 95%% confidence interval,"
                    + " Cliff's delta and a Mann-Whitney U test; for every call-tree pattern its share of each cohort"
                    + " (chi-square test). p-values are corrected by Benjamini-Hochberg; q < 0.05 is a change.",
            "Cohorts: --by a dimension's two values, --split-at a time (before and after a deploy), --errors or"
                    + " --slow. The first cohort is the baseline (A), the second the change (B)."
        })
public class CompareCommand implements Callable<Integer> {

    @Mixin
    CohortOptions cohorts;

    @Option(
            names = "--top",
            paramLabel = "N",
            description = "How many changed features and patterns the table shows (default: ${DEFAULT-VALUE}).")
    int top = 20;

    @Option(names = "--json", description = "Print every feature and pattern as JSON instead of the table.")
    boolean json;

    @Option(
            names = "--jaeger-ui",
            paramLabel = "URL",
            description = "The Jaeger UI the trace ids are for (default: ${DEFAULT-VALUE}).")
    URI jaegerUi = URI.create("http://localhost:16686");

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (top < 1) {
            err.println("compare: --top must be at least 1, not " + top);
            return 2;
        }
        try {
            Comparisons.Outcome outcome = cohorts.compare(err);
            out.print(
                    json
                            ? ComparisonOutput.json(outcome).toPrettyString() + "\n"
                            : ComparisonOutput.text(
                                    outcome, top, jaegerUi.toString().replaceFirst("/+$", "")));
            out.flush();
            return 0;
        } catch (CompareException | IllegalArgumentException e) {
            // cohorts that cannot be compared, or an option Elasticsearch's client cannot use (a URL without scheme)
            err.println("compare: " + e.getMessage());
            return 2;
        } catch (IllegalStateException e) {
            // Elasticsearch unreachable or refusing a search: the message says what to check
            err.println("compare: " + e.getMessage());
            return 1;
        }
    }

    /** Which traces make the two cohorts, and where they are: shared by compare and report. */
    public static final class CohortOptions {
        @ArgGroup(exclusive = true, multiplicity = "1")
        Split split;

        static final class Split {
            @Option(
                    names = "--by",
                    arity = "3",
                    paramLabel = "DIMENSION A B",
                    description = "Traces whose DIMENSION is A against those where it is B. DIMENSION: a field of the"
                            + " documents (testName, environment, rootService, rootOperation, patternId),"
                            + " version:SERVICE (the service's service.version) or tag:NAME (a tag that"
                            + " sql/init/traces.sql makes a dimension).")
            String[] by;

            @Option(
                    names = "--split-at",
                    paramLabel = "TIMESTAMP",
                    converter = ReportCommand.TimestampConverter.class,
                    description = "Traces that start before this time (a deploy's, say) against those that start"
                            + " from it on (ISO-8601 like 2025-11-24T10:00:00Z, or epoch millis).")
            Instant splitAt;

            @Option(
                    names = "--errors",
                    description = "Traces without a span with the error flag against those" + " with one.")
            boolean errors;

            @Option(
                    names = "--slow",
                    description = "Traces at or under their root operation's p95 duration against the slower ones.")
            boolean slow;
        }

        @Option(
                names = "--since",
                paramLabel = "TIMESTAMP",
                converter = ReportCommand.TimestampConverter.class,
                description = "Only traces that start at or after this time (default: all).")
        Instant since;

        @Option(
                names = "--until",
                paramLabel = "TIMESTAMP",
                converter = ReportCommand.TimestampConverter.class,
                description = "Only traces that start before this time (default: all).")
        Instant until;

        @Option(
                names = "--root-operation",
                paramLabel = "OPERATION",
                description = "Only traces of this root operation (default: all).")
        String rootOperation;

        @Option(
                names = "--max-traces",
                paramLabel = "N",
                description = "Traces read per cohort: a cohort with more is sampled uniformly, each trace kept with"
                        + " probability N / its count (so about N are read), and the output says so"
                        + " (default: ${DEFAULT-VALUE}).")
        long maxTraces = 200_000;

        @Mixin
        ElasticsearchOption elasticsearch = new ElasticsearchOption();

        @Option(
                names = "--features-index",
                paramLabel = "INDEX",
                description = "Index of sql/trace_features.sql's per-trace documents (default: ${DEFAULT-VALUE}).")
        String featuresIndex = "trace-features";

        CohortSplit split() {
            if (split.by != null) {
                return CohortSplit.ByValue.of(split.by[0], split.by[1], split.by[2]);
            } else if (split.splitAt != null) {
                return new CohortSplit.ByTime(split.splitAt);
            } else if (split.errors) {
                return new CohortSplit.ByErrors();
            }
            return new CohortSplit.BySlowness(Map.of());
        }

        /** Reads both cohorts and compares them; progress goes to {@code progress}. */
        Comparisons.Outcome compare(PrintWriter progress) {
            if (maxTraces < CohortComparison.MIN_TRACES) {
                throw new CompareException("--max-traces must be at least " + CohortComparison.MIN_TRACES);
            }
            ElasticsearchClient client = new ElasticsearchClient(elasticsearch.url);
            // the sink does not refresh: without this a comparison right after a job might miss its last documents
            client.refresh(featuresIndex);
            TraceFeaturesReader reader = new TraceFeaturesReader(client, featuresIndex, progress);
            return Comparisons.run(
                    reader,
                    featuresIndex,
                    split(),
                    new TraceFeaturesReader.Filter(
                            Optional.ofNullable(since), Optional.ofNullable(until), Optional.ofNullable(rootOperation)),
                    maxTraces);
        }
    }
}
