package org.tracefeatures.stack;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The log4j2 configuration of a server JVM the stack starts: everything to the console, which the stack
 * redirects into the server's log file, written anew at every start.
 */
final class ConsoleLogging {
    private ConsoleLogging() {}

    /**
     * @param writtenBy the command that writes it, named in its header
     * @param status log4j's own status level
     * @param pattern the server's usual layout pattern, so its log reads as its users expect
     * @param moreLines further properties (e.g. quieter loggers)
     */
    static String properties(String writtenBy, String status, String pattern, String... moreLines) {
        List<String> lines = new ArrayList<>(List.of(
                "# Written by `" + writtenBy + "` at every start: edits are lost.",
                "# Console output goes to the server's log file.",
                "status = " + status,
                "appender.console.type = Console",
                "appender.console.name = console",
                "appender.console.layout.type = PatternLayout",
                "appender.console.layout.pattern = " + pattern,
                "rootLogger.level = info",
                "rootLogger.appenderRef.console.ref = console"));
        lines.addAll(Arrays.asList(moreLines));
        lines.add("");
        return String.join(System.lineSeparator(), lines);
    }
}
