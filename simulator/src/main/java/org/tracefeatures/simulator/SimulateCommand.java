package org.tracefeatures.simulator;

import java.io.PrintWriter;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.KafkaException;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/** {@code simulate}: writes simulated Jaeger traces to Kafka. */
@Command(
        name = "simulate",
        mixinStandardHelpOptions = true,
        description = {
            "Simulates requests through a microservice architecture described in Jaeger microsim's JSON config"
                    + " format and writes their spans to Kafka as a real producer does: by default as jaeger-collector"
                    + " does, one protobuf jaeger.api_v2.Span per message, keyed by trace id, each trace's spans in the"
                    + " order they finish (root span last); see --encoding for the others.",
            "",
            "Timing is simulated, not slept: an endpoint first runs its dependencies, then does its own work"
                    + " (Normal(Mean, StdDev) ns, clipped at 0); each call adds 50 us of network time on the way"
                    + " out and on the way back; trace k starts k ms after --start-time."
        },
        sortOptions = false)
public final class SimulateCommand implements Callable<Integer> {

    static final long DEFAULT_TRACES = 100;

    @Spec
    CommandSpec spec;

    @Option(
            names = "--config",
            required = true,
            paramLabel = "FILE|NAME",
            description = "A microsim JSON config file, or a bundled config: hotrod-original, hotrod-reduced.")
    String config;

    @ArgGroup(exclusive = true)
    RunLength runLength;

    static final class RunLength {
        @Option(names = "--traces", paramLabel = "N", description = "How many traces to write (default: 100).")
        Long traces;

        @Option(
                names = "--duration",
                paramLabel = "D",
                converter = DurationConverter.class,
                description = "Keep writing traces for this long, like 30s, 2m or 1h.")
        Duration duration;
    }

    @Option(
            names = "--workers",
            paramLabel = "W",
            defaultValue = "1",
            description = "Threads generating and sending traces (default: ${DEFAULT-VALUE}).")
    int workers;

    @Option(
            names = "--test-name",
            paramLabel = "NAME",
            description = "The root span's test_name tag (default: the config's TestName, else its file name"
                    + " without .json).")
    String testName;

    @Option(
            names = "--seed",
            paramLabel = "S",
            description = "Seed of all random choices; with --start-time the same seed writes the same bytes,"
                    + " whatever --workers is (default: random, printed at the end).")
    Long seed;

    @Option(
            names = "--kafka",
            paramLabel = "HOST:PORT",
            defaultValue = "127.0.0.1:9092",
            description = "Kafka bootstrap servers (default: ${DEFAULT-VALUE}).")
    String kafka;

    @Option(
            names = "--topic",
            paramLabel = "T",
            description = "Kafka topic (default: the one the encoding's producers write and `run --input` of the same"
                    + " name reads: jaeger-spans, or otlp_spans for otlp-proto).")
    String topic;

    @Option(
            names = "--encoding",
            paramLabel = "E",
            defaultValue = "jaeger-proto",
            converter = EncodingConverter.class,
            description = "How spans are written: jaeger-proto (jaeger-collector's default: one protobuf Span per"
                    + " message, key = trace id), jaeger-json (its --kafka.producer.encoding=json: the same in"
                    + " protobuf's JSON mapping), otlp-proto (the OpenTelemetry Collector's default: one protobuf"
                    + " TracesData per trace, grouped by resource, key = trace id as 32 hex digits as with"
                    + " partition_traces_by_id). Default: ${DEFAULT-VALUE}.")
    SpanEncoding encoding;

    @Option(
            names = "--sampling-probability",
            paramLabel = "P",
            description = "Sample requests as a Jaeger client's probabilistic sampler does: each request's trace is"
                    + " written with probability P (0 < P <= 1; --traces counts requests), and its root span gets"
                    + " sampler.type=probabilistic, sampler.param=P (default: every trace, no sampler tags).")
    Double samplingProbability;

    @Option(
            names = "--start-time",
            paramLabel = "T",
            converter = InstantConverter.class,
            description = "ISO-8601 start of trace 0, like 2024-05-01T12:00:00Z; trace k starts k ms later"
                    + " (default: now).")
    Instant startTime;

    public static void main(String[] args) {
        System.exit(new CommandLine(new SimulateCommand()).execute(args));
    }

    /** --topic, or the encoding's default topic. */
    String topic() {
        return topic != null ? topic : encoding.defaultTopic();
    }

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        if (workers < 1) {
            throw new ParameterException(spec.commandLine(), "--workers must be at least 1, not " + workers);
        }
        if (runLength != null && runLength.traces != null && runLength.traces < 1) {
            throw new ParameterException(spec.commandLine(), "--traces must be at least 1, not " + runLength.traces);
        }
        if (samplingProbability != null && !(samplingProbability > 0 && samplingProbability <= 1)) {
            throw new ParameterException(
                    spec.commandLine(),
                    "--sampling-probability must be above 0 and at most 1, not " + samplingProbability);
        }
        if (runLength != null
                && runLength.duration != null
                && (runLength.duration.isZero() || runLength.duration.isNegative())) {
            throw new ParameterException(spec.commandLine(), "--duration must be positive");
        }

        SimulatorConfig simulatorConfig;
        try {
            simulatorConfig = SimulatorConfig.load(config);
        } catch (InvalidConfigException e) {
            err.println("simulate: " + e.getMessage());
            return CommandLine.ExitCode.USAGE;
        }
        String resolvedTestName =
                testName != null ? testName : simulatorConfig.testName().orElse(simulatorConfig.sourceName());
        long resolvedSeed = seed != null ? seed : new SecureRandom().nextLong();
        Instant resolvedStart = startTime != null ? startTime : Instant.now();

        Producer<byte[], byte[]> producer;
        try {
            producer = KafkaSpanWriter.createProducer(kafka);
        } catch (KafkaException e) {
            err.println("simulate: cannot create a Kafka producer for --kafka " + kafka + ": " + e.getMessage()
                    + "; give HOST:PORT of a broker, like 127.0.0.1:9092");
            return CommandLine.ExitCode.USAGE;
        }
        String resolvedTopic = topic();
        try (KafkaSpanWriter writer = new KafkaSpanWriter(producer, resolvedTopic, encoding.encoder())) {
            TraceSimulator simulator = new TraceSimulator(
                    new TraceGenerator(simulatorConfig, resolvedTestName, samplingProbability),
                    writer,
                    workers,
                    resolvedSeed,
                    resolvedStart,
                    err);
            if (runLength != null && runLength.duration != null) {
                simulator.runFor(runLength.duration);
            } else {
                simulator.runTraces(runLength != null && runLength.traces != null ? runLength.traces : DEFAULT_TRACES);
            }
            return CommandLine.ExitCode.OK;
        } catch (KafkaSendException e) {
            err.println("simulate: " + e.getMessage());
            err.println("simulate: check that Kafka is running at " + kafka + " (--kafka) and that topic '"
                    + resolvedTopic + "' exists or the broker creates topics automatically, then run again.");
            return CommandLine.ExitCode.SOFTWARE;
        }
    }

    /** {@code 500ms}, {@code 30s}, {@code 2m}, {@code 1h}, or ISO-8601 like {@code PT30S}. */
    static final class DurationConverter implements ITypeConverter<Duration> {
        private static final Pattern NUMBER_AND_UNIT = Pattern.compile("(\\d+)(ms|s|m|h)");

        @Override
        public Duration convert(String value) {
            Matcher matcher = NUMBER_AND_UNIT.matcher(value.trim().toLowerCase(Locale.ROOT));
            if (matcher.matches()) {
                long amount = Long.parseLong(matcher.group(1));
                return switch (matcher.group(2)) {
                    case "ms" -> Duration.ofMillis(amount);
                    case "s" -> Duration.ofSeconds(amount);
                    case "m" -> Duration.ofMinutes(amount);
                    default -> Duration.ofHours(amount);
                };
            }
            try {
                return Duration.parse(value);
            } catch (DateTimeParseException e) {
                throw new TypeConversionException(
                        "'" + value + "' is not a duration: give a whole number and a unit, like 500ms, 30s, 2m or 1h");
            }
        }
    }

    /** {@code jaeger-proto}, {@code jaeger-json}, {@code otlp-proto}. */
    static final class EncodingConverter implements ITypeConverter<SpanEncoding> {
        @Override
        public SpanEncoding convert(String value) {
            try {
                return SpanEncoding.of(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    /** {@code 2024-05-01T12:00:00Z} or with an offset, {@code 2024-05-01T14:00:00+02:00}. */
    static final class InstantConverter implements ITypeConverter<Instant> {
        @Override
        public Instant convert(String value) {
            try {
                return OffsetDateTime.parse(value).toInstant();
            } catch (DateTimeParseException e) {
                throw new TypeConversionException(
                        "'" + value + "' is not an ISO-8601 time with a zone: give it like 2024-05-01T12:00:00Z");
            }
        }
    }
}
