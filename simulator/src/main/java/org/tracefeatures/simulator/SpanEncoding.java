package org.tracefeatures.simulator;

import java.util.Arrays;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/** The encodings in which real producers write spans to Kafka, by the names of tracefeatures' inputs. */
public enum SpanEncoding {
    /** jaeger-collector's default (and the OpenTelemetry Collector's jaeger_proto). */
    JAEGER_PROTO("jaeger-proto", "jaeger-spans", JaegerProtoSpanEncoder::new),
    /** jaeger-collector with --kafka.producer.encoding=json (and the OpenTelemetry Collector's jaeger_json). */
    JAEGER_JSON("jaeger-json", "jaeger-spans", JaegerJsonSpanEncoder::new),
    /** the OpenTelemetry Collector's (and Jaeger v2's) default, otlp_proto. */
    OTLP_PROTO("otlp-proto", "otlp_spans", OtlpProtoSpanEncoder::new);

    private final String cliName;
    private final String defaultTopic;
    private final Supplier<SpanEncoder> encoder;

    SpanEncoding(String cliName, String defaultTopic, Supplier<SpanEncoder> encoder) {
        this.cliName = cliName;
        this.defaultTopic = defaultTopic;
        this.encoder = encoder;
    }

    /**
     * The topic that the producers of this encoding write by default, which the input part of the same name
     * (sql/init/input/NAME.sql) reads: jaeger-collector's jaeger-spans, the OpenTelemetry Collector's otlp_spans.
     */
    public String defaultTopic() {
        return defaultTopic;
    }

    public SpanEncoder encoder() {
        return encoder.get();
    }

    @Override
    public String toString() {
        return cliName;
    }

    /** The encoding of a name such as {@code jaeger-json}. */
    public static SpanEncoding of(String name) {
        return Arrays.stream(values())
                .filter(e -> e.cliName.equals(name))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("'" + name + "' is not an encoding: give one of "
                        + Arrays.stream(values()).map(SpanEncoding::toString).collect(Collectors.joining(", "))));
    }
}
