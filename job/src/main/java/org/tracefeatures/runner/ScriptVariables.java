package org.tracefeatures.runner;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Values for the {@code ${NAME}} placeholders of init parts, so that a password or a SASL login is kept out of the SQL
 * files: an entry of the secrets file (a Java properties file) if it has one, else the environment variable NAME.
 * Placeholders count only inside single-quoted SQL strings (option values), and a value's quotes are doubled there, so
 * any value can be given as it is.
 *
 * <p>Every value put into a script counts as a secret: {@link #redact} replaces it with its placeholder in whatever
 * this program prints.
 */
public final class ScriptVariables {
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)}");

    private final Map<String, String> secretsFile;
    private final Path secretsFilePath;
    private final Map<String, String> environment;
    /** Why placeholders cannot be filled in at all, or null. */
    private final String refusal;
    /** Name to value, of every placeholder replaced so far. */
    private final Map<String, String> substituted = new LinkedHashMap<>();

    private ScriptVariables(
            Path secretsFilePath, Map<String, String> secretsFile, Map<String, String> environment, String refusal) {
        this.secretsFilePath = secretsFilePath;
        this.secretsFile = secretsFile;
        this.environment = environment;
        this.refusal = refusal;
    }

    /** Values from the environment alone, or also from a secrets file when {@code secretsFile} is not null. */
    public static ScriptVariables of(Path secretsFile, Map<String, String> environment) {
        return new ScriptVariables(
                secretsFile, secretsFile == null ? Map.of() : readSecretsFile(secretsFile), environment, null);
    }

    /** No values: a script with a placeholder is an error that says {@code why}. */
    public static ScriptVariables refusing(String why) {
        return new ScriptVariables(null, Map.of(), Map.of(), why);
    }

    /** The script with its placeholders replaced; an unset variable is an error that names it and the script. */
    public String substitute(String scriptName, String script) {
        StringBuilder result = new StringBuilder(script.length());
        int i = 0;
        int n = script.length();
        while (i < n) {
            char c = script.charAt(i);
            int commentEnd = SqlStatements.commentEnd(script, i);
            if (commentEnd > i) {
                result.append(script, i, commentEnd);
                i = commentEnd;
            } else if (c == '\'') {
                int end = SqlStatements.closingQuote(script, i, c);
                result.append(substituteInString(scriptName, script.substring(i, end)));
                i = end;
            } else if (c == '"' || c == '`') {
                int end = SqlStatements.closingQuote(script, i, c);
                result.append(script, i, end);
                i = end;
            } else {
                result.append(c);
                i++;
            }
        }
        return result.toString();
    }

    private String substituteInString(String scriptName, String quoted) {
        Matcher placeholder = PLACEHOLDER.matcher(quoted);
        StringBuilder result = new StringBuilder();
        while (placeholder.find()) {
            String name = placeholder.group(1);
            if (refusal != null) {
                throw new IllegalArgumentException(scriptName + " names ${" + name + "}: " + refusal);
            }
            String value = value(name)
                    .orElseThrow(() -> new IllegalArgumentException(
                            scriptName + " needs ${" + name + "}: set the environment variable " + name
                                    + (secretsFilePath == null
                                            ? " or give it in a --secrets file"
                                            : " or add it to " + secretsFilePath)
                                    + "."));
            substituted.put(name, value);
            placeholder.appendReplacement(result, Matcher.quoteReplacement(value.replace("'", "''")));
        }
        placeholder.appendTail(result);
        return result.toString();
    }

    private Optional<String> value(String name) {
        String fromFile = secretsFile.get(name);
        return Optional.ofNullable(fromFile != null ? fromFile : environment.get(name));
    }

    /** The placeholder whose value this is, if a script took it from one. */
    public Optional<String> nameOf(String value) {
        return substituted.entrySet().stream()
                .filter(entry -> entry.getValue().equals(value))
                .map(Map.Entry::getKey)
                .findFirst();
    }

    /** The text with every substituted value (longest first) replaced by its placeholder. */
    public String redact(String text) {
        String redacted = text;
        for (Map.Entry<String, String> entry : substituted.entrySet().stream()
                .filter(entry -> !entry.getValue().isEmpty())
                .sorted((a, b) -> b.getValue().length() - a.getValue().length())
                .toList()) {
            redacted = redacted.replace(entry.getValue(), "${" + entry.getKey() + "}");
        }
        return redacted;
    }

    /**
     * The error as it is when it shows no substituted value, else an error whose message is the redacted messages of
     * the error and its causes: their stack traces would be printed with the values in them.
     */
    public RuntimeException redact(RuntimeException error) {
        StringBuilder messages = new StringBuilder();
        for (Throwable t = error; t != null; t = t.getCause()) {
            messages.append(messages.length() == 0 ? "" : "\nCaused by: ").append(t);
        }
        String redacted = redact(messages.toString());
        return redacted.equals(messages.toString()) ? error : new IllegalArgumentException(redacted);
    }

    private static Map<String, String> readSecretsFile(Path file) {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(reader);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the secrets file " + file + ": " + e.getMessage(), e);
        }
        Map<String, String> values = new LinkedHashMap<>();
        properties.stringPropertyNames().forEach(name -> values.put(name, properties.getProperty(name)));
        return values;
    }
}
