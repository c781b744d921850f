package org.tracefeatures.format;

import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.table.api.DataTypes;
import org.apache.flink.table.connector.ChangelogMode;
import org.apache.flink.table.connector.format.DecodingFormat;
import org.apache.flink.table.connector.source.DynamicTableSource;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.types.DataType;
import org.apache.flink.table.types.utils.DataTypeUtils;

/** Wraps a decoding format so that undecodable records surface as rows with a parse error. */
class TolerantDecodingFormat implements DecodingFormat<DeserializationSchema<RowData>> {
    static final String PARSE_ERROR_KEY = "parse-error";

    private final DecodingFormat<DeserializationSchema<RowData>> delegate;
    private boolean parseErrorRequested;

    TolerantDecodingFormat(DecodingFormat<DeserializationSchema<RowData>> delegate) {
        this.delegate = delegate;
    }

    @Override
    public Map<String, DataType> listReadableMetadata() {
        return Map.of(PARSE_ERROR_KEY, DataTypes.STRING().nullable());
    }

    @Override
    public void applyReadableMetadata(List<String> metadataKeys) {
        // the only key offered is parse-error, so the list is empty or exactly that key
        parseErrorRequested = metadataKeys.contains(PARSE_ERROR_KEY);
    }

    @Override
    public DeserializationSchema<RowData> createRuntimeDecoder(
            DynamicTableSource.Context context, DataType physicalDataType) {
        DataType producedDataType = parseErrorRequested
                ? DataTypeUtils.appendRowFields(
                        physicalDataType,
                        List.of(DataTypes.FIELD(
                                PARSE_ERROR_KEY, DataTypes.STRING().nullable())))
                : physicalDataType;
        TypeInformation<RowData> producedType = context.createTypeInformation(producedDataType);
        return new TolerantDeserializationSchema(
                delegate.createRuntimeDecoder(context, physicalDataType),
                physicalDataType.getLogicalType().getChildren(),
                parseErrorRequested,
                producedType);
    }

    @Override
    public ChangelogMode getChangelogMode() {
        return delegate.getChangelogMode();
    }
}
