package org.tracefeatures.format;

import java.util.HashSet;
import java.util.Set;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.formats.protobuf.PbFormatFactory;
import org.apache.flink.formats.protobuf.PbFormatOptions;
import org.apache.flink.table.api.ValidationException;
import org.apache.flink.table.connector.format.DecodingFormat;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.factories.DeserializationFormatFactory;
import org.apache.flink.table.factories.DynamicTableFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Format {@code 'tolerant-protobuf'}: flink-protobuf (options under {@code 'tolerant-protobuf.'}),
 * with undecodable records as rows carrying {@code 'value.parse-error'} (see {@link TolerantFormatFactory}).
 * Records are decoded by {@link ProtobufRowDecoder}, which gives flink-protobuf's rows faster, except
 * where it cannot (see {@link ProtobufDecodingFormat}).
 */
public class TolerantProtobufFormatFactory extends TolerantFormatFactory {
    public static final String IDENTIFIER = "tolerant-protobuf";
    private static final Logger LOG = LoggerFactory.getLogger(TolerantProtobufFormatFactory.class);

    /**
     * {@code 'value.tolerant-protobuf.decoder'}: {@code direct} (the default) decodes with ProtobufRowDecoder where it
     * gives flink-protobuf's rows; {@code flink-protobuf} always with flink-protobuf's own decoder, the same rows more
     * slowly (bench/README.md measures both), for a message the direct decoder should not be trusted with.
     */
    public static final ConfigOption<String> DECODER = ConfigOptions.key("decoder")
            .stringType()
            .defaultValue("direct")
            .withDescription("direct or flink-protobuf: which decoder turns a record into a row");

    public TolerantProtobufFormatFactory() {
        super(new PbFormatFactory());
    }

    @Override
    DecodingFormat<DeserializationSchema<RowData>> decodingFormat(
            DeserializationFormatFactory wrapped, DynamicTableFactory.Context context, ReadableConfig formatOptions) {
        // flink-protobuf's format validates the options and the row type as before
        String decoder = formatOptions.get(DECODER);
        if (!decoder.equals("direct") && !decoder.equals("flink-protobuf")) {
            throw new ValidationException("'" + IDENTIFIER + ".decoder' is '" + decoder
                    + "': set it to direct (the default) or flink-protobuf");
        }
        if (decoder.equals("flink-protobuf")) {
            LOG.info(
                    "Decoding {} with flink-protobuf's decoder, as '{}.decoder' says",
                    formatOptions.get(PbFormatOptions.MESSAGE_CLASS_NAME),
                    IDENTIFIER);
            return wrapped.createDecodingFormat(context, formatOptions);
        }
        return new ProtobufDecodingFormat(
                wrapped.createDecodingFormat(context, formatOptions),
                formatOptions.get(PbFormatOptions.MESSAGE_CLASS_NAME),
                formatOptions.get(PbFormatOptions.IGNORE_PARSE_ERRORS),
                formatOptions.get(PbFormatOptions.READ_DEFAULT_VALUES));
    }

    @Override
    public Set<ConfigOption<?>> optionalOptions() {
        Set<ConfigOption<?>> options = new HashSet<>(super.optionalOptions());
        options.add(DECODER);
        return options;
    }

    @Override
    public String factoryIdentifier() {
        return IDENTIFIER;
    }
}
