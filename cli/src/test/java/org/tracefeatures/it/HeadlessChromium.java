package org.tracefeatures.it;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The Debian package chromium, run headless on a page file: its DOM after the page's scripts ran, or a
 * screenshot. Each run gets a new empty profile; as root (the test machines run as root) it needs --no-sandbox.
 */
final class HeadlessChromium {
    private static final int TIMEOUT_SECONDS = 120;

    private final Path executable;
    private final Path workDir;

    private HeadlessChromium(Path executable, Path workDir) {
        this.executable = executable;
        this.workDir = workDir;
    }

    /** Chromium on the PATH; fails the test, saying how to install it, when there is none. */
    static HeadlessChromium onPath(Path workDir) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path candidate = Path.of(dir, "chromium");
            if (!dir.isEmpty() && Files.isExecutable(candidate)) {
                return new HeadlessChromium(candidate, workDir);
            }
        }
        throw new AssertionError("chromium is not on the PATH: run bin/test, which installs the Debian packages"
                + " chromium and chromium-driver (or: apt-get update && apt-get install -y chromium chromium-driver)");
    }

    /** The page's DOM, serialized after its scripts ran (given up to 10 s of virtual time). */
    String dumpDom(Path page) throws IOException, InterruptedException {
        Path dom = workDir.resolve(page.getFileName() + ".dom.html");
        run("dump-dom", dom, List.of("--dump-dom", page.toUri().toString()));
        return Files.readString(dom, StandardCharsets.UTF_8);
    }

    /** A PNG of the page drawn in a window of the given size. */
    void screenshot(Path page, Path png, int width, int height) throws IOException, InterruptedException {
        Files.deleteIfExists(png);
        run(
                "screenshot",
                workDir.resolve(png.getFileName() + ".out"),
                List.of(
                        "--screenshot=" + png,
                        "--window-size=" + width + "," + height,
                        "--hide-scrollbars",
                        page.toUri().toString()));
        if (!Files.isRegularFile(png)) {
            throw new AssertionError("chromium wrote no screenshot " + png + "; see its log in " + workDir);
        }
    }

    private void run(String name, Path stdout, List<String> arguments) throws IOException, InterruptedException {
        Files.createDirectories(workDir);
        Path profile = Files.createTempDirectory(workDir, "profile-");
        Path log = workDir.resolve(name + ".log");
        List<String> command = new ArrayList<>(List.of(
                executable.toString(),
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--user-data-dir=" + profile,
                "--virtual-time-budget=10000"));
        command.addAll(arguments);
        Process chromium = new ProcessBuilder(command)
                .redirectOutput(stdout.toFile())
                .redirectError(log.toFile())
                .start();
        if (!chromium.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            chromium.destroyForcibly().waitFor();
            throw new AssertionError(
                    "chromium did not finish in " + TIMEOUT_SECONDS + " s: " + command + "; log " + log);
        }
        if (chromium.exitValue() != 0) {
            throw new AssertionError("chromium exited " + chromium.exitValue() + ": " + command + "; log " + log);
        }
    }
}
