package org.tracefeatures.format;

import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.data.utils.JoinedRowData;

import java.util.Objects;

/**
 * Decodes with the wrapped schema; a record that fails becomes a row of nulls carrying the error, so
 * one bad record costs one skipped row instead of the job.
 */
class TolerantDeserializationSchema implements DeserializationSchema<RowData> {
    private static final long serialVersionUID = 1L;

    private final DeserializationSchema<RowData> delegate;
    private final int physicalArity;
    private final boolean withParseError;
    private final TypeInformation<RowData> producedType;

    TolerantDeserializationSchema(
            DeserializationSchema<RowData> delegate,
            int physicalArity,
            boolean withParseError,
            TypeInformation<RowData> producedType) {
        this.delegate = delegate;
        this.physicalArity = physicalArity;
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
        return withParseError ? new JoinedRowData(row, GenericRowData.of((Object) null)) : row;
    }

    private RowData undecodable(String error) {
        GenericRowData nulls = new GenericRowData(physicalArity);
        return withParseError
                ? new JoinedRowData(nulls, GenericRowData.of(StringData.fromString(error)))
                : nulls;
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
        return physicalArity == other.physicalArity
                && withParseError == other.withParseError
                && delegate.equals(other.delegate);
    }

    @Override
    public int hashCode() {
        return Objects.hash(delegate, physicalArity, withParseError);
    }
}
