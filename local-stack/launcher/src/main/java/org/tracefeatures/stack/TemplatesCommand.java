package org.tracefeatures.stack;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code templates install}: the project's index templates, into any Elasticsearch cluster. */
@Command(
        name = "templates",
        mixinStandardHelpOptions = true,
        description = "Manages the project's Elasticsearch index templates.",
        subcommands = {TemplatesCommand.Install.class})
public final class TemplatesCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "name a subcommand: install");
    }

    @Command(
            name = "install",
            mixinStandardHelpOptions = true,
            description = "Installs every *.json file of a directory as the composable index template named after "
                    + "the file (PUT /_index_template/<file name without .json>), replacing templates of that name.")
    static final class Install implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(
                names = "--elasticsearch",
                paramLabel = "URL",
                required = true,
                description = "The cluster, like http://localhost:9200; user:password@ in the URL is sent as "
                        + "basic authentication.")
        URI elasticsearch;

        @Option(
                names = "--dir",
                paramLabel = "DIR",
                description = "Directory of the templates (default: <home>/sql/index-templates).")
        Path dir;

        Path templatesDir() {
            return dir == null ? LocalStackConfig.defaultTemplatesDir(LocalStackConfig.projectHome()) : dir;
        }

        @Override
        public Integer call() {
            try {
                List<String> installed = IndexTemplates.install(elasticsearch, templatesDir());
                spec.commandLine()
                        .getOut()
                        .println(
                                installed.isEmpty()
                                        ? "no index templates (*.json) in " + templatesDir()
                                        : "installed index templates " + String.join(", ", installed) + " from "
                                                + templatesDir());
                return 0;
            } catch (LocalStackException e) {
                spec.commandLine().getErr().println("error: " + e.getMessage());
                return 1;
            }
        }
    }
}
