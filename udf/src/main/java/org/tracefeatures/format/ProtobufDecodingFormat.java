package org.tracefeatures.format;

import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.table.connector.ChangelogMode;
import org.apache.flink.table.connector.format.DecodingFormat;
import org.apache.flink.table.connector.source.DynamicTableSource;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.types.DataType;
import org.apache.flink.table.types.logical.RowType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * flink-protobuf's decoding format with {@link ProtobufRowDecoder} as its runtime decoder wherever
 * that decoder gives the same rows; elsewhere (see {@link ProtobufMessageLayout#unsupportedReason})
 * flink-protobuf's own decoder runs, and the log says why.
 */
class ProtobufDecodingFormat implements DecodingFormat<DeserializationSchema<RowData>> {
    private static final Logger LOG = LoggerFactory.getLogger(ProtobufDecodingFormat.class);

    private final DecodingFormat<DeserializationSchema<RowData>> flinkProtobuf;
    private final String messageClassName;
    private final boolean ignoreParseErrors;
    private final boolean readDefaultValues;

    ProtobufDecodingFormat(
            DecodingFormat<DeserializationSchema<RowData>> flinkProtobuf,
            String messageClassName,
            boolean ignoreParseErrors,
            boolean readDefaultValues) {
        this.flinkProtobuf = flinkProtobuf;
        this.messageClassName = messageClassName;
        this.ignoreParseErrors = ignoreParseErrors;
        this.readDefaultValues = readDefaultValues;
    }

    @Override
    public DeserializationSchema<RowData> createRuntimeDecoder(
            DynamicTableSource.Context context, DataType physicalDataType) {
        // created first because it checks the row type against the message, with flink-protobuf's errors
        DeserializationSchema<RowData> flinkDecoder = flinkProtobuf.createRuntimeDecoder(context, physicalDataType);
        RowType rowType = (RowType) physicalDataType.getLogicalType();
        ClassLoader classLoader = Thread.currentThread().getContextClassLoader();
        String unsupported = ProtobufMessageLayout.unsupportedReason(
                ProtobufRowDecoder.descriptor(
                        messageClassName,
                        classLoader != null ? classLoader : getClass().getClassLoader()),
                rowType);
        if (unsupported != null) {
            LOG.info(
                    "Decoding {} with flink-protobuf's decoder, not the direct one, because of: {}",
                    messageClassName,
                    unsupported);
            return flinkDecoder;
        }
        return new ProtobufRowDecoder(
                messageClassName,
                rowType,
                context.createTypeInformation(physicalDataType),
                ignoreParseErrors,
                readDefaultValues);
    }

    @Override
    public ChangelogMode getChangelogMode() {
        return flinkProtobuf.getChangelogMode();
    }
}
