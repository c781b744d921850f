package org.tracefeatures.runner;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds the SQL scripts: a path that exists as given, else under the checkout's {@code sql/} (the
 * system property {@code tracefeatures.home}, so edited queries run without a rebuild), else the copy
 * packaged under {@code sql/} in the jar (for {@code flink run} without a checkout).
 *
 * <p>The init is composed of parts, each with one reason to change: the functions; the settings every
 * job runs with (checkpoints, restarts, time zone); the environment
 * (settings, and the connection tables that the others take their connector and hosts from with
 * LIKE); the span topic (the Kafka metadata, watermark and reading options every input shares); the input
 * (how spans are encoded in Kafka, decoded into {@code input_spans}); the canonical
 * {@code spans} view; the trace assembly; and the sinks. Job files read only the views and sinks.
 */
public final class SqlScripts {
    public static final String DEFAULT_INPUT = "jaeger-proto";
    public static final String DEFAULT_ENVIRONMENT = "local";
    /** The raw Kafka table every input part declares; the runner bounds it with ALTER TABLE. */
    public static final String SPAN_SOURCE_TABLE = "span_source";

    private SqlScripts() {}

    /** The init parts, in the order they must run. */
    public static List<String> initParts(String input, String environment) {
        List<String> parts = new ArrayList<>();
        parts.add("init/functions.sql");
        parts.add("init/settings.sql");
        parts.add(Files.isRegularFile(Path.of(environment)) ? environment : "init/" + environment + ".sql");
        parts.add("init/span-topic.sql");
        parts.add("init/input/" + input + ".sql");
        parts.add("init/spans.sql");
        parts.add("init/traces.sql");
        parts.add("init/sinks.sql");
        return parts;
    }

    /** The text of a script; the error names every place looked in. */
    public static String read(String name) {
        Path asGiven = Path.of(name);
        if (Files.isRegularFile(asGiven)) {
            return readFile(asGiven);
        }
        String home = System.getProperty("tracefeatures.home");
        if (home != null) {
            Path inCheckout = Path.of(home, "sql").resolve(name);
            if (Files.isRegularFile(inCheckout)) {
                return readFile(inCheckout);
            }
        }
        try (InputStream packaged = SqlScripts.class.getClassLoader().getResourceAsStream("sql/" + name)) {
            if (packaged != null) {
                return new String(packaged.readAllBytes(), StandardCharsets.UTF_8);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        throw new IllegalArgumentException("No SQL script '" + name + "': not a file, not under "
                + (home == null ? "a checkout's sql/ (tracefeatures.home is not set)" : home + "/sql/")
                + ", not packaged under sql/ in the jar. Pass a path to an existing file.");
    }

    /**
     * Statements that bound the span source for this run: where to start reading, and whether to stop
     * at the offsets that were latest when the job started.
     */
    public static List<String> sourceOverrides(String from, boolean bounded) {
        List<String> statements = new ArrayList<>();
        if (from != null) {
            statements.add(alterSource(startupOptions(from)));
        }
        if (bounded) {
            statements.add(alterSource("'scan.bounded.mode' = 'latest-offset'"));
        }
        return statements;
    }

    static String startupOptions(String from) {
        switch (from) {
            case "earliest":
                return "'scan.startup.mode' = 'earliest-offset'";
            case "latest":
                return "'scan.startup.mode' = 'latest-offset'";
            case "group":
                return "'scan.startup.mode' = 'group-offsets'";
            default:
                long millis;
                try {
                    millis = from.chars().allMatch(Character::isDigit)
                            ? Long.parseLong(from)
                            : java.time.Instant.parse(from).toEpochMilli();
                } catch (RuntimeException e) {
                    throw new IllegalArgumentException(
                            "--from takes earliest, latest, group, epoch milliseconds or an ISO-8601 instant"
                                    + " such as 2026-11-24T10:00:00Z, not '" + from + "'");
                }
                return "'scan.startup.mode' = 'timestamp', 'scan.startup.timestamp-millis' = '" + millis + "'";
        }
    }

    private static String alterSource(String options) {
        return "ALTER TABLE " + SPAN_SOURCE_TABLE + " SET (" + options + ")";
    }

    private static String readFile(Path path) {
        try {
            return Files.readString(path, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + path + ": " + e.getMessage(), e);
        }
    }
}
