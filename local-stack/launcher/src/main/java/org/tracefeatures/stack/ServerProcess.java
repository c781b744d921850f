package org.tracefeatures.stack;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A server JVM that outlives the process that started it. Its pid file is how a later command finds it again; its
 * output goes to a log file.
 */
final class ServerProcess {

    private static final Duration FORCED_STOP_TIMEOUT = Duration.ofSeconds(10);

    private final String name;
    private final String mainClass;
    private final Path pidFile;
    private final Path logFile;

    /**
     * @param name      how messages call the server
     * @param mainClass the main class on the server's command line, which tells the server apart from whatever process
     *                  got its pid after it died
     */
    ServerProcess(String name, String mainClass, Path pidFile, Path logFile) {
        this.name = name;
        this.mainClass = mainClass;
        this.pidFile = pidFile;
        this.logFile = logFile;
    }

    String name() {
        return name;
    }

    Path logFile() {
        return logFile;
    }

    /** The server, if its pid file names a live process running its main class. */
    Optional<ProcessHandle> running() {
        if (!Files.isRegularFile(pidFile)) {
            return Optional.empty();
        }
        long pid;
        try {
            pid = Long.parseLong(Files.readString(pidFile).trim());
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
        return ProcessHandle.of(pid).filter(ProcessHandle::isAlive).filter(this::runsMainClass);
    }

    private boolean runsMainClass(ProcessHandle process) {
        return process.info()
                .arguments()
                .map(arguments -> Arrays.asList(arguments).contains(mainClass))
                .orElse(false);
    }

    /** Starts {@code java javaArguments} on {@code classpath}, detached from this process, and records its pid. */
    ProcessHandle start(String classpath, List<String> javaArguments) {
        try {
            Process process =
                    newProcess(classpath, javaArguments, "started " + name).start();
            process.getOutputStream().close();
            Files.writeString(pidFile, process.pid() + System.lineSeparator());
            return process.toHandle();
        } catch (IOException e) {
            throw new LocalStackException("could not start " + name + ": " + e.getMessage(), e);
        }
    }

    /** Runs {@code java javaArguments} on {@code classpath} to completion, its output going to the server's log. */
    void runToCompletion(String purpose, String classpath, List<String> javaArguments, Duration timeout) {
        try {
            Process process = newProcess(classpath, javaArguments, purpose).start();
            process.getOutputStream().close();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new LocalStackException(
                        purpose + " did not finish within " + timeout.toSeconds() + " s; see " + logFile);
            }
            if (process.exitValue() != 0) {
                throw new LocalStackException(
                        purpose + " failed (exit code " + process.exitValue() + "); see " + logFile);
            }
        } catch (IOException e) {
            throw new LocalStackException(purpose + " could not run: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LocalStackException(purpose + " was interrupted", e);
        }
    }

    private ProcessBuilder newProcess(String classpath, List<String> javaArguments, String purpose) throws IOException {
        Files.createDirectories(pidFile.getParent());
        Files.createDirectories(logFile.getParent());
        // a marker line, so that the log of several runs can be read run by run
        Files.writeString(
                logFile,
                "==== " + Instant.now() + " " + purpose + System.lineSeparator(),
                StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
        List<String> command = new ArrayList<>();
        // its own session: Ctrl-C in the terminal that ran `stack up`, or closing it, does not reach the server
        setsid().ifPresent(setsid -> command.add(setsid.toString()));
        command.add(javaExecutable().toString());
        command.addAll(javaArguments);
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
        // not -cp: Linux shows Java only the first 4 KiB of a command line, and the main class that running() looks
        // for must come within them
        builder.environment().put("CLASSPATH", classpath);
        return builder;
    }

    /** util-linux's setsid, where there is one (not on macOS, where the servers then share the terminal's session). */
    private static Optional<Path> setsid() {
        return Arrays.stream(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                .filter(directory -> !directory.isBlank())
                .map(directory -> Path.of(directory, "setsid"))
                .filter(Files::isExecutable)
                .findFirst();
    }

    /** The java of the running JVM, so that the servers run on the JDK the project was built for. */
    static Path javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java");
    }

    /**
     * Stops the server: asks it to shut down, waits up to {@code gracePeriod}, then kills it.
     *
     * @return the pid of the stopped server, or empty when it was not running
     */
    Optional<Long> stop(Duration gracePeriod) {
        Optional<ProcessHandle> running = running();
        running.ifPresent(process -> {
            process.destroy();
            if (!awaitExit(process, gracePeriod)) {
                process.destroyForcibly();
                if (!awaitExit(process, FORCED_STOP_TIMEOUT)) {
                    throw new LocalStackException(name + " (pid " + process.pid() + ") did not stop even when killed;"
                            + " check it with `ps -p " + process.pid() + "`");
                }
            }
        });
        try {
            Files.deleteIfExists(pidFile);
        } catch (IOException e) {
            throw new LocalStackException("could not delete " + pidFile + ": " + e.getMessage(), e);
        }
        return running.map(ProcessHandle::pid);
    }

    private static boolean awaitExit(ProcessHandle process, Duration timeout) {
        try {
            process.onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            return !process.isAlive();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !process.isAlive();
        }
    }
}
