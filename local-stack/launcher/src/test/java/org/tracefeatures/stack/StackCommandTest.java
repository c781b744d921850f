package org.tracefeatures.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

class StackCommandTest {

    @TempDir
    Path tempDir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private CommandLine cli(Object command) {
        return new CommandLine(command).setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true));
    }

    private static <T> T subcommand(ParseResult result, Class<T> type) {
        ParseResult leaf = result;
        while (leaf.hasSubcommand()) {
            leaf = leaf.subcommand();
        }
        return type.cast(leaf.commandSpec().userObject());
    }

    @Test
    void upTakesPortsDataDirPartitionsTemplatesAndTimeout() {
        ParseResult parsed = cli(new StackCommand())
                .parseArgs(
                        "up",
                        "--data-dir",
                        tempDir.toString(),
                        "--kafka-port",
                        "29092",
                        "--kafka-controller-port",
                        "29093",
                        "--elasticsearch-port",
                        "29200",
                        "--elasticsearch-transport-port",
                        "29300",
                        "--partitions",
                        "4",
                        "--templates-dir",
                        tempDir.resolve("templates").toString(),
                        "--timeout",
                        "30");

        LocalStackConfig config = subcommand(parsed, StackCommand.Up.class).config();

        assertThat(config.dataDir()).isEqualTo(tempDir);
        assertThat(config.kafkaPort()).isEqualTo(29092);
        assertThat(config.kafkaControllerPort()).isEqualTo(29093);
        assertThat(config.elasticsearchHttpPort()).isEqualTo(29200);
        assertThat(config.elasticsearchTransportPort()).isEqualTo(29300);
        assertThat(config.partitions()).isEqualTo(4);
        assertThat(config.templatesDir()).isEqualTo(tempDir.resolve("templates"));
        assertThat(config.startTimeout()).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void upWithoutOptionsUsesTheConfigDefaults() {
        ParseResult parsed = cli(new StackCommand()).parseArgs("up");

        assertThat(subcommand(parsed, StackCommand.Up.class).config())
                .isEqualTo(LocalStackConfig.builder().build());
    }

    @Test
    void downTakesWipe() {
        ParseResult parsed = cli(new StackCommand()).parseArgs("down", "--wipe", "--data-dir", tempDir.toString());

        StackCommand.Down down = subcommand(parsed, StackCommand.Down.class);
        assertThat(down.wipe).isTrue();
        assertThat(down.config().dataDir()).isEqualTo(tempDir);
    }

    @Test
    void statusOfAStoppedStackExitsWithThree() {
        int exitCode = cli(new StackCommand()).execute("status", "--data-dir", tempDir.toString());

        assertThat(exitCode).isEqualTo(StackCommand.NOT_RUNNING);
        assertThat(out.toString()).contains("Kafka          stopped", "Elasticsearch  stopped");
    }

    @Test
    void statusDescribesARunningServer() {
        ServerStatus kafka =
                new ServerStatus("Kafka", true, OptionalLong.of(4242), 9092, true, Path.of("/data/logs/kafka.log"));

        assertThat(StackCommand.Status.describe(kafka))
                .isEqualTo("Kafka          running  pid 4242     port 9092   healthy   log /data/logs/kafka.log");
    }

    @Test
    void failuresPrintTheirMessageAndExitWithOne() {
        int exitCode = cli(new StackCommand()).execute("up", "--kafka-port", "9200");

        assertThat(exitCode).isEqualTo(1);
        assertThat(err.toString()).startsWith("error: the four ports must differ");
    }

    @Test
    void everySubcommandHasHelp() {
        for (String subcommand : new String[] {"up", "down", "status"}) {
            assertThat(cli(new StackCommand()).execute(subcommand, "--help")).isZero();
        }
        assertThat(out.toString()).contains("--kafka-port=PORT", "--wipe", "--partitions=N");
    }

    @Test
    void stackAloneAsksForASubcommand() {
        assertThat(cli(new StackCommand()).execute()).isEqualTo(2);
        assertThat(err.toString()).contains("name a subcommand: up, down or status");
    }

    @Test
    void templatesInstallNeedsTheElasticsearchUrl() {
        assertThat(cli(new TemplatesCommand()).execute("install")).isEqualTo(2);
        assertThat(err.toString()).contains("Missing required option: '--elasticsearch=URL'");
    }

    @Test
    void templatesInstallOfAnEmptyDirectorySendsNothing() {
        int exitCode = cli(new TemplatesCommand())
                .execute("install", "--elasticsearch", "http://127.0.0.1:1", "--dir", tempDir.toString());

        // nothing listens on port 1: any request would have failed
        assertThat(exitCode).isZero();
        assertThat(out.toString()).contains("no index templates (*.json) in " + tempDir);
    }
}
