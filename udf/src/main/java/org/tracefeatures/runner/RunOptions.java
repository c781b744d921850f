package org.tracefeatures.runner;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What to run: the init scripts, the job script, and how to bound the span source. */
public final class RunOptions {
    static final String USAGE =
            "Usage: SqlJobRunner [--input ENCODING] [--env local|docker|FILE] [--init FILE]..."
                    + " [--bounded] [--from earliest|latest|group|TIMESTAMP] [--set KEY=VALUE]..."
                    + " [--secrets FILE] [--no-wait] JOB.sql\n"
                    + "  --input    span encoding in Kafka, picks sql/init/input/ENCODING.sql (default jaeger-proto)\n"
                    + "  --env      environment part: sql/init/NAME.sql or a file (default local)\n"
                    + "  --init     init scripts to run instead of the default parts (repeatable)\n"
                    + "  --bounded  stop at the Kafka offsets that were latest when the job started\n"
                    + "  --from     where to start reading the span topic\n"
                    + "  --set      a Flink configuration option (repeatable)\n"
                    + "  --secrets  a properties file with values for the init parts' ${NAME} placeholders; a name it\n"
                    + "             lacks is taken from the environment variable NAME\n"
                    + "  --no-wait  return once the job is submitted instead of waiting for it to end";

    public String input = SqlScripts.DEFAULT_INPUT;
    public String environment = SqlScripts.DEFAULT_ENVIRONMENT;
    public final List<String> initScripts = new ArrayList<>();
    public boolean bounded;
    public String from;
    public final Map<String, String> configuration = new LinkedHashMap<>();
    public boolean wait = true;
    public String job;
    public Path secretsFile;
    /** Where ${NAME} placeholders that the secrets file lacks take their values from. */
    public Map<String, String> environmentVariables = System.getenv();

    public List<String> effectiveInitScripts() {
        return initScripts.isEmpty() ? SqlScripts.initParts(input, environment) : initScripts;
    }

    /** Values for the init parts' ${NAME} placeholders. */
    public ScriptVariables variables() {
        return ScriptVariables.of(secretsFile, environmentVariables);
    }

    public static RunOptions parse(String... args) {
        RunOptions options = new RunOptions();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            switch (arg) {
                case "--input":
                    options.input = value(args, ++i, arg);
                    break;
                case "--env":
                    options.environment = value(args, ++i, arg);
                    break;
                case "--init":
                    options.initScripts.add(value(args, ++i, arg));
                    break;
                case "--bounded":
                    options.bounded = true;
                    break;
                case "--from":
                    options.from = value(args, ++i, arg);
                    break;
                case "--set":
                    String setting = value(args, ++i, arg);
                    int equals = setting.indexOf('=');
                    if (equals <= 0) {
                        throw new IllegalArgumentException("--set takes KEY=VALUE, not '" + setting + "'\n" + USAGE);
                    }
                    options.configuration.put(setting.substring(0, equals), setting.substring(equals + 1));
                    break;
                case "--secrets":
                    options.secretsFile = Path.of(value(args, ++i, arg));
                    break;
                case "--no-wait":
                    options.wait = false;
                    break;
                default:
                    if (arg.startsWith("--") || options.job != null) {
                        throw new IllegalArgumentException("Unexpected argument '" + arg + "'\n" + USAGE);
                    }
                    options.job = arg;
            }
        }
        if (options.job == null) {
            throw new IllegalArgumentException("No job script given\n" + USAGE);
        }
        return options;
    }

    private static String value(String[] args, int index, String option) {
        if (index >= args.length) {
            throw new IllegalArgumentException(option + " needs a value\n" + USAGE);
        }
        return args[index];
    }
}
