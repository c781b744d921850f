package org.tracefeatures.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Flink's SQL client ({@code org.apache.flink.table.client.SqlClient}) in its own JVM, in embedded
 * mode, with this JVM's classpath (Flink, the connectors and the tracefeatures functions: flink-protobuf
 * loads the message class through the client's own class loader, FLINK-32418) and a FLINK_CONF_DIR
 * whose config.yaml runs jobs on a local MiniCluster.
 */
final class SqlClientProcess {
    private final Path workDir;

    SqlClientProcess(Path workDir) {
        this.workDir = workDir;
    }

    Path logFile() {
        return workDir.resolve("sql-client.log");
    }

    /** Runs the client to its end; returns its exit code. */
    int run(Path init, List<String> clientArguments, ProcessBuilder.Redirect output)
            throws IOException, InterruptedException {
        Path confDir = Files.createDirectories(workDir.resolve("conf"));
        Files.writeString(
                confDir.resolve("config.yaml"),
                String.join(
                        "\n",
                        "execution:",
                        "  target: local",
                        // the MiniCluster's blob server and data exchange: for this process only
                        "jobmanager:",
                        "  bind-host: 127.0.0.1",
                        "taskmanager:",
                        "  bind-host: 127.0.0.1",
                        "sql-client:",
                        "  execution:",
                        "    result-mode: tableau",
                        ""),
                StandardCharsets.UTF_8);
        Path log4j = workDir.resolve("log4j.properties");
        Files.writeString(
                log4j,
                String.join(
                        "\n",
                        "rootLogger.level = INFO",
                        "rootLogger.appenderRef.file.ref = File",
                        "appender.file.name = File",
                        "appender.file.type = File",
                        "appender.file.fileName = " + logFile(),
                        "appender.file.layout.type = PatternLayout",
                        "appender.file.layout.pattern = %d{HH:mm:ss,SSS} %-5p %c - %m%n",
                        ""),
                StandardCharsets.UTF_8);

        List<String> command = new ArrayList<>();
        command.add(JvmOptions.javaExecutable());
        command.addAll(JvmOptions.flink());
        command.add("-Dlog4j.configurationFile=" + log4j);
        String home = System.getProperty("tracefeatures.home");
        if (home != null) {
            command.add("-Dtracefeatures.home=" + home);
        }
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add("org.apache.flink.table.client.SqlClient");
        command.add("embedded");
        command.add("-i");
        command.add(init.toString());
        command.addAll(clientArguments);

        ProcessBuilder builder =
                new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output);
        if (output == ProcessBuilder.Redirect.INHERIT) {
            builder.redirectInput(ProcessBuilder.Redirect.INHERIT);
        }
        builder.environment().put("FLINK_CONF_DIR", confDir.toString());
        return builder.start().waitFor();
    }
}
