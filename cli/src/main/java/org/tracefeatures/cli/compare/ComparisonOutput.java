package org.tracefeatures.cli.compare;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Locale;

/** A comparison as a table for the terminal and as JSON. */
public final class ComparisonOutput {
    /** How many characters of a pattern's shape the table shows. */
    static final int SHAPE_CHARS = 60;
    /** How many of the top changes get their exemplar traces, and of the changed patterns their whole shape. */
    static final int EXEMPLAR_ROWS = 3;

    private ComparisonOutput() {}

    /** The table: the cohorts, the changed features ranked, the patterns, then exemplars of the top changes. */
    public static String text(Comparisons.Outcome outcome, int top, String jaegerUi) {
        CohortComparison.Result result = outcome.result();
        StringBuilder out = new StringBuilder();
        out.append("A: ").append(cohortLine(result.first(), outcome.limit())).append('\n');
        out.append("B: ").append(cohortLine(result.second(), outcome.limit())).append('\n');
        if (!result.first().samplingWeights().equals(result.second().samplingWeights())) {
            out.append("Note: the cohorts were sampled differently (samplingWeight A: ")
                    .append(result.first().samplingWeights())
                    .append(", B: ")
                    .append(result.second().samplingWeights())
                    .append("); the tests count each trace once, so a difference in which traces get sampled shows"
                            + " as a change.\n");
        }
        List<CohortComparison.FeatureDifference> changed = result.features().stream()
                .filter(CohortComparison.FeatureDifference::changed)
                .toList();
        out.append('\n')
                .append(String.format(
                        Locale.ROOT,
                        "Features: %d of %d changed (false-discovery rate %.0f %%), "
                                + "B - A, most certain and largest first%s%n",
                        changed.size(),
                        result.features().size(),
                        CohortComparison.FALSE_DISCOVERY_RATE * 100,
                        changed.size() > top ? "; the first " + top + " shown (--top)" : ""));
        if (!changed.isEmpty()) {
            out.append(String.format(
                    Locale.ROOT,
                    "  %-44s %12s %12s %12s %12s %-27s %7s %9s%n",
                    "feature",
                    "A median",
                    "B median",
                    "A mean",
                    "B mean",
                    "B - A means [95% CI]",
                    "delta",
                    "q"));
            for (CohortComparison.FeatureDifference f : changed.subList(0, Math.min(top, changed.size()))) {
                out.append(String.format(
                        Locale.ROOT,
                        "  %-44s %12s %12s %12s %12s %-27s %7.3f %9s%n",
                        f.feature(),
                        number(f.first().median()),
                        number(f.second().median()),
                        number(f.first().mean()),
                        number(f.second().mean()),
                        number(f.difference()) + " [" + number(f.ciLow()) + ", " + number(f.ciHigh()) + "]",
                        f.cliffsDelta(),
                        probability(f.q())));
            }
        }
        long unchanged = result.features().size() - changed.size();
        out.append(String.format(
                Locale.ROOT, "  %d unchanged (q >= %.2f)", unchanged, CohortComparison.FALSE_DISCOVERY_RATE));
        if (!result.untested().isEmpty()) {
            out.append("; not compared, fewer than 2 values in a cohort: ")
                    .append(String.join(", ", result.untested()));
        }
        out.append('\n');

        out.append('\n').append("Patterns: share of each cohort's traces, B - A\n");
        out.append(String.format(
                Locale.ROOT, "  %-16s %8s %8s %-27s %9s  %s%n", "pattern", "A", "B", "B - A [95% CI]", "q", "shape"));
        for (CohortComparison.PatternDifference p :
                result.patterns().subList(0, Math.min(top, result.patterns().size()))) {
            out.append(String.format(
                    Locale.ROOT,
                    "  %-16s %8s %8s %-27s %9s  %s%n",
                    p.patternId(),
                    percent(p.firstShare()),
                    percent(p.secondShare()),
                    percent(p.difference()) + " [" + percent(p.ciLow()) + ", " + percent(p.ciHigh()) + "]",
                    probability(p.q()),
                    shortShape(p.shape())));
        }
        if (result.patterns().size() > top) {
            out.append("  ... ").append(result.patterns().size() - top).append(" more patterns (--top, --json)\n");
        }

        List<CohortComparison.PatternDifference> changedPatterns = result.patterns().stream()
                .filter(CohortComparison.PatternDifference::changed)
                .limit(EXEMPLAR_ROWS)
                .toList();
        if (!changedPatterns.isEmpty()) {
            out.append('\n').append("Shapes of the changed patterns (siblings of one shape folded as xN):\n");
            for (CohortComparison.PatternDifference p : changedPatterns) {
                out.append("  ")
                        .append(p.patternId())
                        .append(": ")
                        .append(p.shape())
                        .append('\n');
            }
        }

        int exemplarRows = Math.min(EXEMPLAR_ROWS, changed.size());
        if (exemplarRows > 0) {
            out.append('\n')
                    .append("Traces to open (")
                    .append(jaegerUi)
                    .append("/trace/<id>), typical of each cohort (see docs/compare.md):\n");
            for (CohortComparison.FeatureDifference f : changed.subList(0, exemplarRows)) {
                out.append("  ")
                        .append(f.feature())
                        .append('\n')
                        .append("    A: ")
                        .append(String.join(" ", f.firstExemplars()))
                        .append('\n')
                        .append("    B: ")
                        .append(String.join(" ", f.secondExemplars()))
                        .append('\n');
            }
        }
        if (outcome.sampled()) {
            out.append('\n')
                    .append("Sampled: more traces matched than --max-traces ")
                    .append(outcome.limit())
                    .append("; each cohort was sampled uniformly (see the counts above).\n");
        }
        return out.toString();
    }

    private static String cohortLine(Cohort cohort, long limit) {
        return cohort.label() + ": " + cohort.size() + " traces"
                + (cohort.matching() > cohort.size()
                        ? String.format(
                                Locale.ROOT,
                                " (a uniform sample of the %d that match, limit %d)",
                                cohort.matching(),
                                limit)
                        : "");
    }

    private static String shortShape(String shape) {
        if (shape == null) {
            return "";
        }
        return shape.length() <= SHAPE_CHARS ? shape : shape.substring(0, SHAPE_CHARS) + "…";
    }

    /** Whole numbers as such, others with 4 significant digits, infinities and NaN as words. */
    public static String number(double value) {
        if (Double.isNaN(value)) {
            return "n/a";
        }
        if (Double.isInfinite(value)) {
            return value > 0 ? "inf" : "-inf";
        }
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            return Long.toString((long) value);
        }
        return Math.abs(value) >= 1e4
                ? String.format(Locale.ROOT, "%.0f", value)
                : new java.math.BigDecimal(value)
                        .round(new java.math.MathContext(4))
                        .stripTrailingZeros()
                        .toPlainString();
    }

    public static String percent(double share) {
        return String.format(Locale.ROOT, "%.1f%%", share * 100);
    }

    public static String probability(double p) {
        return p == 0
                ? "<1e-300"
                : p < 0.001 ? String.format(Locale.ROOT, "%.1e", p) : String.format(Locale.ROOT, "%.3f", p);
    }

    /** Every feature and pattern, with exemplars; non-finite numbers are null. */
    public static ObjectNode json(Comparisons.Outcome outcome) {
        CohortComparison.Result result = outcome.result();
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        root.put("falseDiscoveryRate", CohortComparison.FALSE_DISCOVERY_RATE);
        root.put("sampled", outcome.sampled());
        root.put("maxTraces", outcome.limit());
        ObjectNode cohorts = root.putObject("cohorts");
        cohort(cohorts.putObject("a"), result.first());
        cohort(cohorts.putObject("b"), result.second());
        ArrayNode features = root.putArray("features");
        for (CohortComparison.FeatureDifference f : result.features()) {
            ObjectNode node = features.addObject();
            node.put("feature", f.feature());
            node.put("changed", f.changed());
            summary(node.putObject("a"), f.first());
            summary(node.putObject("b"), f.second());
            difference(node, f.difference(), f.ciLow(), f.ciHigh(), f.p(), f.q());
            put(node, "cliffsDelta", f.cliffsDelta());
            put(node, "standardizedDifference", f.standardizedDifference());
            exemplars(node, f.firstExemplars(), f.secondExemplars());
        }
        ArrayNode patterns = root.putArray("patterns");
        for (CohortComparison.PatternDifference p : result.patterns()) {
            ObjectNode node = patterns.addObject();
            node.put("patternId", p.patternId());
            node.put("shape", p.shape());
            node.put("changed", p.changed());
            node.putObject("a").put("traces", p.firstTraces()).put("share", p.firstShare());
            node.putObject("b").put("traces", p.secondTraces()).put("share", p.secondShare());
            difference(node, p.difference(), p.ciLow(), p.ciHigh(), p.p(), p.q());
            put(node, "cohensH", p.cohensH());
            exemplars(node, p.firstExemplars(), p.secondExemplars());
        }
        ArrayNode untested = root.putArray("untested");
        result.untested().forEach(untested::add);
        return root;
    }

    private static void difference(ObjectNode node, double difference, double low, double high, double p, double q) {
        put(node, "difference", difference);
        ObjectNode ci = node.putObject("ci95");
        put(ci, "low", low);
        put(ci, "high", high);
        put(node, "p", p);
        put(node, "q", q);
    }

    private static void exemplars(ObjectNode node, List<String> first, List<String> second) {
        ObjectNode exemplars = node.putObject("exemplars");
        first.forEach(exemplars.putArray("a")::add);
        second.forEach(exemplars.putArray("b")::add);
    }

    private static void cohort(ObjectNode node, Cohort cohort) {
        node.put("label", cohort.label()).put("traces", cohort.size()).put("matching", cohort.matching());
        cohort.samplingWeights().forEach(node.putArray("samplingWeights")::add);
    }

    private static void summary(ObjectNode node, CohortComparison.Summary summary) {
        node.put("n", summary.n());
        put(node, "mean", summary.mean());
        put(node, "median", summary.median());
        put(node, "p95", summary.p95());
    }

    private static void put(ObjectNode node, String name, double value) {
        if (Double.isFinite(value)) {
            node.put(name, value);
        } else {
            node.putNull(name);
        }
    }
}
