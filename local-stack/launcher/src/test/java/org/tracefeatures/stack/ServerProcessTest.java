package org.tracefeatures.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How a pid file is read; starting and stopping real servers is left to {@link LocalStackITCase}. */
class ServerProcessTest {

    @TempDir
    Path dataDir;

    private ServerProcess server() {
        return new ServerProcess(
                "Kafka", "kafka.Kafka", dataDir.resolve("run/kafka.pid"), dataDir.resolve("logs/kafka.log"));
    }

    @Test
    void isNotRunningWithoutAPidFile() {
        assertThat(server().running()).isEmpty();
    }

    @Test
    void isNotRunningWhenThePidFileHoldsNoPid() throws IOException {
        Files.createDirectories(dataDir.resolve("run"));
        Files.writeString(dataDir.resolve("run/kafka.pid"), "garbage");

        assertThat(server().running()).isEmpty();
    }

    @Test
    void isNotRunningWhenThePidNowBelongsToAnotherProgram() throws IOException {
        Files.createDirectories(dataDir.resolve("run"));
        // this test JVM is alive, but it does not run kafka.Kafka
        Files.writeString(
                dataDir.resolve("run/kafka.pid"),
                Long.toString(ProcessHandle.current().pid()));

        assertThat(server().running()).isEmpty();
    }

    @Test
    void stoppingAServerThatIsNotRunningRemovesItsStalePidFile() throws IOException {
        Path pidFile = dataDir.resolve("run/kafka.pid");
        Files.createDirectories(pidFile.getParent());
        Files.writeString(pidFile, Long.toString(ProcessHandle.current().pid()));

        assertThat(server().stop(Duration.ofSeconds(1))).isEmpty();
        assertThat(pidFile).doesNotExist();
        assertThat(ProcessHandle.current().isAlive()).isTrue();
    }
}
