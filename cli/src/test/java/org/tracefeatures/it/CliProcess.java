package org.tracefeatures.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The CLI ({@code bin/tracefeatures ARGS}) as a JVM of its own, with environment variables of the test's choosing and
 * every log line at INFO or above on its standard error, so that a test sees all the run printed and logged.
 */
final class CliProcess {
    /** What a finished run printed: standard output and, with every log line, standard error. */
    record Result(int exitCode, String out, String err) {
        String everything() {
            return out + err;
        }
    }

    private CliProcess() {}

    /** Runs the CLI to its end; {@code whileRunning} gets the process now and then until it ends. */
    static Result run(
            Path workDir, Map<String, String> environment, Consumer<ProcessHandle> whileRunning, String... args)
            throws IOException, InterruptedException {
        Files.createDirectories(workDir);
        Path logging = Files.writeString(
                workDir.resolve("log4j2-info.properties"),
                String.join(
                        "\n",
                        "rootLogger.level = INFO",
                        "rootLogger.appenderRef.console.ref = Console",
                        "appender.console.name = Console",
                        "appender.console.type = Console",
                        "appender.console.target = SYSTEM_ERR",
                        "appender.console.layout.type = PatternLayout",
                        "appender.console.layout.pattern = %d{HH:mm:ss,SSS} %-5p %t %c - %m%n",
                        ""),
                StandardCharsets.UTF_8);
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(Arrays.asList(Files.readString(RealStack.HOME.resolve("cli/target/classes/jvm.options"))
                .trim()
                .split("\\s+")));
        command.add("-Dlog4j.configurationFile=" + logging);
        command.add("-Dtracefeatures.home=" + RealStack.HOME);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add("org.tracefeatures.cli.TracefeaturesCli");
        command.addAll(Arrays.asList(args));
        Path out = workDir.resolve("stdout.txt");
        Path err = workDir.resolve("stderr.txt");
        ProcessBuilder builder =
                new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
        builder.environment().putAll(environment);
        Process process = builder.start();
        while (!process.waitFor(200, TimeUnit.MILLISECONDS)) {
            whileRunning.accept(process.toHandle());
        }
        return new Result(process.exitValue(), Files.readString(out), Files.readString(err));
    }
}
