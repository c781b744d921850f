package org.tracefeatures.elasticsearch;

import java.io.Serializable;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.flink.table.api.ValidationException;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.types.logical.LocalZonedTimestampType;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.table.types.logical.TimestampType;

/**
 * The index a row goes to: a fixed name, or a name with one {@code {column|pattern}} that formats a timestamp
 * column of the row in UTC, e.g. {@code trace-features-{@timestamp|yyyy-MM-dd}}. The index follows from the
 * document's own time, so a replay writes a document to the index it went to the first time.
 */
public final class IndexName implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([^}|]+)\\|([^}]+)}");

    private final String prefix;
    private final String suffix;
    private final int column; // -1: a fixed name
    private final int precision;
    private final String pattern;
    private transient DateTimeFormatter formatter;

    private IndexName(String prefix, String suffix, int column, int precision, String pattern) {
        this.prefix = prefix;
        this.suffix = suffix;
        this.column = column;
        this.precision = precision;
        this.pattern = pattern;
    }

    /** Reads {@code index} against the table's columns; fails with what to write instead for a pattern it cannot use. */
    public static IndexName parse(String index, List<String> columns, List<LogicalType> types, String table) {
        Matcher placeholder = PLACEHOLDER.matcher(index);
        if (!placeholder.find()) {
            if (index.contains("{")) {
                throw new ValidationException("Table " + table + ": index '" + index + "' has a '{' but no "
                        + "{column|date pattern} such as {@timestamp|yyyy-MM-dd}.");
            }
            return new IndexName(index, "", -1, 0, null);
        }
        String name = placeholder.group(1).strip();
        int column = columns.indexOf(name);
        if (column < 0) {
            throw new ValidationException("Table " + table + ": index '" + index + "' names column '" + name
                    + "', which the table does not have.");
        }
        LogicalType type = types.get(column);
        int precision;
        if (type instanceof LocalZonedTimestampType zoned) {
            precision = zoned.getPrecision();
        } else if (type instanceof TimestampType plain) {
            precision = plain.getPrecision();
        } else {
            throw new ValidationException("Table " + table + ": index '" + index + "' formats column '" + name
                    + "' of type " + type + "; it must be a TIMESTAMP or TIMESTAMP_LTZ.");
        }
        String prefix = index.substring(0, placeholder.start());
        String suffix = index.substring(placeholder.end());
        if (suffix.contains("{")) {
            throw new ValidationException("Table " + table + ": index '" + index + "' has more than one placeholder.");
        }
        IndexName parsed = new IndexName(prefix, suffix, column, precision, placeholder.group(2));
        parsed.formatter(); // an invalid date pattern fails here, at planning time
        return parsed;
    }

    /** The index of a row; a row whose time column is null goes to the name with that part left empty. */
    public String of(RowData row) {
        if (column < 0) {
            return prefix;
        }
        String time = row.isNullAt(column)
                ? ""
                : formatter().format(row.getTimestamp(column, precision).toInstant());
        return prefix + time + suffix;
    }

    private DateTimeFormatter formatter() {
        if (formatter == null) {
            try {
                formatter = DateTimeFormatter.ofPattern(pattern).withZone(ZoneOffset.UTC);
            } catch (IllegalArgumentException e) {
                throw new ValidationException(
                        "index date pattern '" + pattern + "' is not a valid " + "java.time pattern: " + e.getMessage(),
                        e);
            }
        }
        return formatter;
    }
}
