package org.tracefeatures.format;

import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.types.logical.LogicalType;

import java.util.List;
import java.util.Objects;

/**
 * Decodes with the wrapped schema; a record that fails becomes a row of nulls carrying the error, so
 * one bad record costs one skipped row instead of the job.
 */
class TolerantDeserializationSchema implements DeserializationSchema<RowData> {
    private static final long serialVersionUID = 1L;

    private final DeserializationSchema<RowData> delegate;
    private final RowData.FieldGetter[] physicalFields;
    private final boolean withParseError;
    private final TypeInformation<RowData> producedType;

    TolerantDeserializationSchema(
            DeserializationSchema<RowData> delegate,
            List<LogicalType> physicalTypes,
            boolean withParseError,
            TypeInformation<RowData> producedType) {
        this.delegate = delegate;
        this.physicalFields = new RowData.FieldGetter[physicalTypes.size()];
        for (int i = 0; i < physicalFields.length; i++) {
            physicalFields[i] = RowData.createFieldGetter(physicalTypes.get(i), i);
        }
        this.withParseError = withParseError;
        this.producedType = producedType;
    }

    @Override
    public void open(InitializationContext context) throws Exception {
        delegate.open(context);
    }

    @Override
    public RowData deserialize(byte[] message) {
        if (message == null) {
            return undecodable("the record has no value (a Kafka tombstone)");
        }
        RowData row;
        try {
            row = delegate.deserialize(message);
        } catch (Exception e) {
            return undecodable(describe(e, message.length));
        }
        if (row == null) {
            return undecodable("the decoder skipped the record (" + message.length + " bytes)");
        }
        if (!withParseError) {
            return row;
        }
        // a GenericRowData, as the Kafka connector expects when it appends its own metadata
        GenericRowData withMetadata = new GenericRowData(physicalFields.length + 1);
        for (int i = 0; i < physicalFields.length; i++) {
            withMetadata.setField(i, physicalFields[i].getFieldOrNull(row));
        }
        return withMetadata;
    }

    private RowData undecodable(String error) {
        GenericRowData nulls = new GenericRowData(physicalFields.length + (withParseError ? 1 : 0));
        if (withParseError) {
            nulls.setField(physicalFields.length, StringData.fromString(error));
        }
        return nulls;
    }

    private static String describe(Exception e, int length) {
        Throwable cause = e;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause.getClass().getSimpleName() + ": " + cause.getMessage() + " (" + length + " bytes)";
    }

    @Override
    public boolean isEndOfStream(RowData nextElement) {
        return false;
    }

    @Override
    public TypeInformation<RowData> getProducedType() {
        return producedType;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof TolerantDeserializationSchema)) {
            return false;
        }
        TolerantDeserializationSchema other = (TolerantDeserializationSchema) o;
        return physicalFields.length == other.physicalFields.length
                && withParseError == other.withParseError
                && delegate.equals(other.delegate);
    }

    @Override
    public int hashCode() {
        return Objects.hash(delegate, physicalFields.length, withParseError);
    }
}
