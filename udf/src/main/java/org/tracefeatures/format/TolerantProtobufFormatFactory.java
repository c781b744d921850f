package org.tracefeatures.format;

import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.formats.protobuf.PbFormatFactory;
import org.apache.flink.formats.protobuf.PbFormatOptions;
import org.apache.flink.table.connector.format.DecodingFormat;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.factories.DeserializationFormatFactory;
import org.apache.flink.table.factories.DynamicTableFactory;

/**
 * Format {@code 'tolerant-protobuf'}: flink-protobuf (options under {@code 'tolerant-protobuf.'}),
 * with undecodable records as rows carrying {@code 'value.parse-error'} (see {@link TolerantFormatFactory}).
 * Records are decoded by {@link ProtobufRowDecoder}, which gives flink-protobuf's rows faster, except
 * where it cannot (see {@link ProtobufDecodingFormat}).
 */
public class TolerantProtobufFormatFactory extends TolerantFormatFactory {
    public static final String IDENTIFIER = "tolerant-protobuf";

    public TolerantProtobufFormatFactory() {
        super(new PbFormatFactory());
    }

    @Override
    DecodingFormat<DeserializationSchema<RowData>> decodingFormat(
            DeserializationFormatFactory wrapped, DynamicTableFactory.Context context, ReadableConfig formatOptions) {
        // flink-protobuf's format validates the options and the row type as before
        return new ProtobufDecodingFormat(
                wrapped.createDecodingFormat(context, formatOptions),
                formatOptions.get(PbFormatOptions.MESSAGE_CLASS_NAME),
                formatOptions.get(PbFormatOptions.IGNORE_PARSE_ERRORS),
                formatOptions.get(PbFormatOptions.READ_DEFAULT_VALUES));
    }

    @Override
    public String factoryIdentifier() {
        return IDENTIFIER;
    }
}
