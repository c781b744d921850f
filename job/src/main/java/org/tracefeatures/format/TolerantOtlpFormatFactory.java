package org.tracefeatures.format;

import java.util.Set;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.table.connector.format.DecodingFormat;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.factories.DeserializationFormatFactory;
import org.apache.flink.table.factories.DynamicTableFactory;

/**
 * Format {@code 'tolerant-otlp'}: a Kafka record holding an OTLP {@code TracesData} (the OpenTelemetry
 * Collector's Kafka encoding {@code otlp_proto}) becomes one row per span, in the columns of the
 * jaeger-proto input (times in microseconds: {@code start_micros}, {@code duration_micros}), mapped as
 * Jaeger's OTLP translator maps spans. A record that is not a TracesData with spans becomes a row
 * carrying {@code 'value.parse-error'} (see {@link TolerantFormatFactory}).
 *
 * <p>Why a format and not flink-protobuf with UNNEST, or a table function: flink-protobuf cannot tell
 * which member of an attribute's AnyValue is set (it shows all of them, unset ones at their default),
 * and an UNNEST or table function is a correlate, which the planner does not share between the two
 * sinks of trace_features.sql: every batch would be decoded, and every bad record counted, twice.
 */
public class TolerantOtlpFormatFactory extends TolerantFormatFactory {
    public static final String IDENTIFIER = "tolerant-otlp";

    public TolerantOtlpFormatFactory() {
        super(new OtlpSpansFormat());
    }

    @Override
    public String factoryIdentifier() {
        return IDENTIFIER;
    }

    /** The decoding itself; not registered on its own, it has no options. */
    private static final class OtlpSpansFormat implements DeserializationFormatFactory {
        @Override
        public DecodingFormat<DeserializationSchema<RowData>> createDecodingFormat(
                DynamicTableFactory.Context context, ReadableConfig formatOptions) {
            return new OtlpSpansDecodingFormat();
        }

        @Override
        public String factoryIdentifier() {
            return IDENTIFIER;
        }

        @Override
        public Set<ConfigOption<?>> requiredOptions() {
            return Set.of();
        }

        @Override
        public Set<ConfigOption<?>> optionalOptions() {
            return Set.of();
        }
    }
}
