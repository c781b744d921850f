package org.tracefeatures.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.tracefeatures.elasticsearch.ElasticsearchClient;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

@Command(
        name = "retention",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Deletes the jobs' daily Elasticsearch indexes that are older than --keep. A dry run unless --delete is"
                    + " given.",
            "",
            "Rule: with --keep Nd, an index of UTC day D is deleted when D < today (UTC) - N days; the days from"
                    + " today - N days on are kept. E.g. --keep 14d on 2026-12-05 deletes the days up to 2026-11-20"
                    + " and keeps 2026-11-21 onward.",
            "",
            "Only the project's own indexes are deleted: the name is exactly trace-summaries-, trace-features-,"
                    + " trace-critical-path-, span-metrics- or service-graph- followed by a date yyyy-MM-dd, AND the"
                    + " index's mapping holds \"_meta\": {\"owner\": \"tracefeatures\"} (the project's index templates"
                    + " put it there)."
                    + " Nothing else is ever deleted: not jaeger-dependencies-* (Jaeger's es-index-cleaner manages"
                    + " those), not other names, not system indexes. An index named like ours whose mapping lacks"
                    + " that owner is listed as \"not owned, left alone\".",
            "",
            "Open and closed indexes are deleted one at a time by exact name, never with a wildcard. Prints one line"
                    + " per index (delete, would delete, keep, not owned, left alone), then the counts.",
            ""
        },
        footer = {
            "",
            "Exit status: 0 when done (also when there was nothing to delete); 1 when Elasticsearch does not answer"
                    + " or refuses a call (the message says how many indexes were deleted before); 2 for wrong"
                    + " options."
        })
public class RetentionCommand implements Callable<Integer> {
    /** The prefixes of the jobs' daily indexes: each sink writes {@code <prefix>-yyyy-MM-dd} by the UTC day. */
    static final List<String> PREFIXES =
            List.of("trace-summaries", "trace-features", "trace-critical-path", "span-metrics", "service-graph");
    /** What the project's index templates put in every index's mapping as {@code _meta.owner}. */
    static final String OWNER = "tracefeatures";

    private static final Pattern DAILY_NAME =
            Pattern.compile("(?:" + String.join("|", PREFIXES) + ")-(\\d{4}-\\d{2}-\\d{2})");
    private static final DateTimeFormatter DAY =
            DateTimeFormatter.ofPattern("uuuu-MM-dd").withResolverStyle(ResolverStyle.STRICT);

    @Spec
    CommandSpec spec;

    @Option(
            names = "--keep",
            required = true,
            paramLabel = "Nd",
            converter = DaysConverter.class,
            description = "How many whole days before today (UTC) to keep, as Nd with N >= 1, e.g. 14d.")
    int keepDays;

    @ArgGroup(exclusive = true)
    Mode mode;

    static final class Mode {
        @Option(
                names = "--delete",
                required = true,
                description = "Delete the indexes. Refused together with --dry-run.")
        boolean delete;

        @Option(
                names = "--dry-run",
                required = true,
                description = "Only print what would be deleted and what kept (the default). Refused together"
                        + " with --delete.")
        boolean dryRun;
    }

    @Mixin
    ElasticsearchOption elasticsearch = new ElasticsearchOption();

    /** Whose UTC day is "today": the system clock, or a fixed one in tests. */
    Clock clock;

    public RetentionCommand() {
        this(Clock.systemUTC());
    }

    /** With the clock that says what day today is (tests in other packages fix it through this). */
    public RetentionCommand(Clock clock) {
        this.clock = clock;
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        boolean delete = mode != null && mode.delete;
        LocalDate firstKept =
                LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC).minusDays(keepDays);
        ElasticsearchClient client = new ElasticsearchClient(elasticsearch.url);

        List<Verdict> verdicts;
        try {
            verdicts = judge(client, firstKept);
        } catch (IllegalStateException e) {
            err.println("retention: " + e.getMessage() + "; nothing was deleted");
            err.flush();
            return 1;
        }
        long toDelete =
                verdicts.stream().filter(v -> v.action() == Action.DELETE).count();
        int deleted = 0;
        int kept = 0;
        int notOwned = 0;
        for (Verdict verdict : verdicts) {
            switch (verdict.action()) {
                case KEEP -> {
                    out.println("keep " + verdict.index());
                    kept++;
                }
                case NOT_OWNED -> {
                    out.println("not owned, left alone " + verdict.index() + " (" + verdict.reason() + ")");
                    notOwned++;
                }
                case DELETE -> {
                    if (!delete) {
                        out.println("would delete " + verdict.index());
                    } else {
                        try {
                            boolean existed = client.deleteIndex(verdict.index());
                            out.println("delete " + verdict.index() + (existed ? "" : " (already gone)"));
                        } catch (IllegalStateException e) {
                            out.flush();
                            err.println("retention: " + e.getMessage() + "; deleted " + deleted + " of " + toDelete
                                    + " indexes before this, run again to delete the rest");
                            err.flush();
                            return 1;
                        }
                    }
                    deleted++;
                }
            }
        }
        String limit = " (UTC days before " + firstKept + ")";
        out.println(
                delete
                        ? "deleted " + deleted + " indexes" + limit + ", kept " + kept + "; " + notOwned
                                + " not owned, left alone."
                        : "dry run, nothing deleted: would delete " + deleted + " indexes" + limit + ", keep " + kept
                                + "; " + notOwned + " not owned, left alone."
                                + (deleted > 0 ? " Add --delete to delete them." : ""));
        out.flush();
        return 0;
    }

    /**
     * What to do with each index whose name is one of ours (prefix and date), sorted by name; other names are not
     * listed. Indexes that are not ours by name are never looked at further.
     */
    static List<Verdict> judge(ElasticsearchClient client, LocalDate firstKept) {
        List<String> named = new ArrayList<>();
        for (JsonNode row : client.get("/_cat/indices?format=json&h=index&expand_wildcards=open,closed")) {
            String index = row.path("index").asText();
            if (day(index) != null) {
                named.add(index);
            }
        }
        if (named.isEmpty()) {
            return List.of();
        }
        // only _meta: the whole mappings of months of indexes with thousands of fields each would be megabytes
        JsonNode metas = client.get("/_all/_mapping?expand_wildcards=open,closed&filter_path=*.mappings._meta");
        List<Verdict> verdicts = new ArrayList<>();
        for (String index : named) {
            JsonNode owner = metas.path(index).path("mappings").path("_meta").path("owner");
            if (!owner.isTextual()) {
                verdicts.add(new Verdict(index, Action.NOT_OWNED, "its mapping has no _meta.owner"));
            } else if (!owner.asText().equals(OWNER)) {
                verdicts.add(new Verdict(
                        index,
                        Action.NOT_OWNED,
                        "its mapping's _meta.owner is \"" + owner.asText() + "\", not \"" + OWNER + "\""));
            } else {
                verdicts.add(new Verdict(index, day(index).isBefore(firstKept) ? Action.DELETE : Action.KEEP, null));
            }
        }
        verdicts.sort(Comparator.comparing(Verdict::index));
        return verdicts;
    }

    /** The UTC day of a daily index of ours by name: a prefix, '-', a valid date and nothing else; else null. */
    static LocalDate day(String index) {
        Matcher matcher = DAILY_NAME.matcher(index);
        if (!matcher.matches()) {
            return null;
        }
        try {
            return LocalDate.parse(matcher.group(1), DAY);
        } catch (DateTimeParseException e) {
            return null; // e.g. trace-features-2001-02-30
        }
    }

    enum Action {
        DELETE,
        KEEP,
        NOT_OWNED
    }

    record Verdict(String index, Action action, String reason) {}

    /** {@code --keep}: whole days as Nd, N >= 1. */
    static final class DaysConverter implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            Matcher matcher = Pattern.compile("(\\d{1,6})d").matcher(value);
            if (!matcher.matches()) {
                throw new TypeConversionException("'" + value
                        + "' is not a number of days: give whole days as Nd (N from 1 to 999999), like 14d");
            }
            int days = Integer.parseInt(matcher.group(1));
            if (days < 1) {
                throw new TypeConversionException("'" + value + "' keeps no day before today: give at least 1d");
            }
            return days;
        }
    }
}
