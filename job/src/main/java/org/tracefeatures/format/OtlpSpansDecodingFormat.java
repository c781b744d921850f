package org.tracefeatures.format;

import java.util.List;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.table.api.DataTypes;
import org.apache.flink.table.api.ValidationException;
import org.apache.flink.table.connector.ChangelogMode;
import org.apache.flink.table.connector.format.DecodingFormat;
import org.apache.flink.table.connector.source.DynamicTableSource;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.types.DataType;
import org.apache.flink.table.types.logical.RowType;
import org.apache.flink.table.types.logical.utils.LogicalTypeCasts;
import org.apache.flink.table.types.logical.utils.LogicalTypeParser;
import org.apache.flink.table.types.utils.TypeConversions;
import org.tracefeatures.jaeger.KeyValues;

/** Decodes OTLP TracesData records into one row per span (see {@link TolerantOtlpFormatFactory}). */
class OtlpSpansDecodingFormat implements DecodingFormat<DeserializationSchema<RowData>> {
    /** Jaeger's key-values as every span input declares them (tags, process tags). */
    static final DataType KEY_VALUES = TypeConversions.fromLogicalToDataType(
            LogicalTypeParser.parse(KeyValues.SQL_TYPE, OtlpSpansDecodingFormat.class.getClassLoader()));

    /** Every column the format can fill, by name: the jaeger-proto input's, with times in microseconds. */
    static final DataType COLUMNS = DataTypes.ROW(
            DataTypes.FIELD("trace_id", DataTypes.BYTES()),
            DataTypes.FIELD("span_id", DataTypes.BYTES()),
            DataTypes.FIELD("operation_name", DataTypes.STRING()),
            DataTypes.FIELD(
                    "references",
                    DataTypes.ARRAY(DataTypes.ROW(
                            DataTypes.FIELD("trace_id", DataTypes.BYTES()),
                            DataTypes.FIELD("span_id", DataTypes.BYTES()),
                            DataTypes.FIELD("ref_type", DataTypes.STRING())))),
            DataTypes.FIELD("start_micros", DataTypes.BIGINT()),
            DataTypes.FIELD("duration_micros", DataTypes.BIGINT()),
            DataTypes.FIELD("tags", KEY_VALUES),
            DataTypes.FIELD(
                    "process",
                    DataTypes.ROW(
                            DataTypes.FIELD("service_name", DataTypes.STRING()), DataTypes.FIELD("tags", KEY_VALUES))));

    @Override
    public DeserializationSchema<RowData> createRuntimeDecoder(
            DynamicTableSource.Context context, DataType physicalDataType) {
        List<String> names = DataType.getFieldNames(physicalDataType);
        List<DataType> types = DataType.getFieldDataTypes(physicalDataType);
        RowType offered = (RowType) COLUMNS.getLogicalType();
        int[] columns = new int[names.size()];
        for (int i = 0; i < columns.length; i++) {
            columns[i] = offered.getFieldIndex(names.get(i));
            if (columns[i] < 0
                    || !LogicalTypeCasts.supportsAvoidingCast(
                            offered.getTypeAt(columns[i]), types.get(i).getLogicalType())) {
                throw new ValidationException("Format 'tolerant-otlp' has no column " + names.get(i) + " "
                        + types.get(i) + "; it offers " + COLUMNS + " (declare any of these, by name and type)");
            }
        }
        return new OtlpSpansDeserializationSchema(
                context.createDataStructureConverter(physicalDataType),
                columns,
                context.createTypeInformation(physicalDataType));
    }

    @Override
    public ChangelogMode getChangelogMode() {
        return ChangelogMode.insertOnly();
    }
}
