package org.tracefeatures.runner;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a SQL script into statements at the semicolons that end them, the way the Flink SQL client
 * reads a file: semicolons inside quotes, back-ticked identifiers and comments do not count, nor do
 * those between {@code EXECUTE STATEMENT SET BEGIN} and its {@code END}; comment-only pieces are
 * dropped. Comments inside a statement are kept (Flink's parser skips them).
 */
public final class SqlStatements {
    private SqlStatements() {}

    public static List<String> split(String script) {
        List<String> statements = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        boolean hasCode = false;
        int i = 0;
        int n = script.length();
        while (i < n) {
            char c = script.charAt(i);
            int commentEnd = commentEnd(script, i);
            if (commentEnd > i) {
                current.append(script, i, commentEnd);
                i = commentEnd;
            } else if (c == '\'' || c == '"' || c == '`') {
                int end = closingQuote(script, i, c);
                current.append(script, i, end);
                hasCode = true;
                i = end;
            } else if (c == ';' && !insideStatementSet(current)) {
                if (hasCode) {
                    statements.add(current.toString().trim());
                }
                current.setLength(0);
                hasCode = false;
                i++;
            } else {
                current.append(c);
                hasCode |= !Character.isWhitespace(c);
                i++;
            }
        }
        if (hasCode) {
            statements.add(current.toString().trim());
        }
        return statements;
    }

    private static final java.util.regex.Pattern STATEMENT_SET_BEGIN =
            java.util.regex.Pattern.compile("(?is).*\\bSTATEMENT\\s+SET\\s+BEGIN\\b.*");
    private static final java.util.regex.Pattern STATEMENT_SET_END =
            java.util.regex.Pattern.compile("(?is).*\\bEND\\s*$");

    /** Inside BEGIN ... END of a statement set, a semicolon ends an INSERT, not the statement. */
    private static boolean insideStatementSet(StringBuilder current) {
        String text = current.toString();
        return STATEMENT_SET_BEGIN.matcher(text).matches()
                && !STATEMENT_SET_END.matcher(text).matches();
    }

    /** Index just past the comment that starts at {@code i} ({@code --} to the line's end, or a block); i if none does. */
    static int commentEnd(String script, int i) {
        if (script.startsWith("--", i)) {
            int end = script.indexOf('\n', i);
            return end < 0 ? script.length() : end;
        }
        if (script.startsWith("/*", i)) {
            int end = script.indexOf("*/", i + 2);
            return end < 0 ? script.length() : end + 2;
        }
        return i;
    }

    /** Index just past the quote that closes the one at {@code start}; a doubled quote is an escape. */
    static int closingQuote(String script, int start, char quote) {
        int i = start + 1;
        while (i < script.length()) {
            if (script.charAt(i) == quote) {
                if (i + 1 < script.length() && script.charAt(i + 1) == quote) {
                    i += 2;
                    continue;
                }
                return i + 1;
            }
            i++;
        }
        return script.length();
    }
}
