package org.tracefeatures.format;

import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.formats.protobuf.PbFormatFactory;
import org.apache.flink.table.connector.format.DecodingFormat;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.factories.DeserializationFormatFactory;
import org.apache.flink.table.factories.DynamicTableFactory;

import java.util.Set;

/**
 * Format {@code 'tolerant-protobuf'}: flink-protobuf, except that a record it cannot decode neither
 * fails the job nor vanishes without a trace. It becomes a row whose physical columns are all null
 * and whose metadata column {@code 'value.parse-error'} says why, so that the span view can count
 * and log it together with its Kafka partition and offset (which a format never sees).
 *
 * <p>Takes the options of {@code 'protobuf'} under its own prefix, e.g.
 * {@code 'tolerant-protobuf.message-class-name' = 'io.jaegertracing.api_v2.Span'}.
 */
public class TolerantProtobufFormatFactory implements DeserializationFormatFactory {
    public static final String IDENTIFIER = "tolerant-protobuf";

    private final PbFormatFactory protobuf = new PbFormatFactory();

    @Override
    public DecodingFormat<DeserializationSchema<RowData>> createDecodingFormat(
            DynamicTableFactory.Context context, ReadableConfig formatOptions) {
        return new TolerantDecodingFormat(protobuf.createDecodingFormat(context, formatOptions));
    }

    @Override
    public String factoryIdentifier() {
        return IDENTIFIER;
    }

    @Override
    public Set<ConfigOption<?>> requiredOptions() {
        return protobuf.requiredOptions();
    }

    @Override
    public Set<ConfigOption<?>> optionalOptions() {
        return protobuf.optionalOptions();
    }
}
