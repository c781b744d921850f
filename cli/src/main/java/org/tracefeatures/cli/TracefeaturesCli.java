package org.tracefeatures.cli;

import org.tracefeatures.runner.SetupException;
import org.tracefeatures.simulator.SimulateCommand;
import org.tracefeatures.stack.StackCommand;
import org.tracefeatures.stack.TemplatesCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;

/** {@code bin/tracefeatures}: feature extraction from Jaeger traces with Flink SQL. */
@Command(
        name = "tracefeatures",
        mixinStandardHelpOptions = true,
        description = "Feature extraction from Jaeger traces: spans in Kafka -> Flink SQL -> Elasticsearch.",
        subcommands = {
            DemoCommand.class,
            StackCommand.class,
            ClusterCommand.class,
            SimulateCommand.class,
            RunCommand.class,
            SqlClientCommand.class,
            ReportCommand.class,
            CompareCommand.class,
            RetentionCommand.class,
            TemplatesCommand.class,
            HelpCommand.class
        })
public class TracefeaturesCli implements Runnable {

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    static CommandLine commandLine() {
        return new CommandLine(new TracefeaturesCli()).setExecutionExceptionHandler((e, command, parsed) -> {
            if (e instanceof SetupException) {
                // says what to change; a stack trace would bury it
                command.getErr().println(e.getMessage());
                return 2;
            }
            throw e;
        });
    }

    @Override
    public void run() {
        CommandLine.usage(this, System.out);
    }
}
