package org.tracefeatures.format;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.util.Collector;

/**
 * Decodes with the wrapped schema; a record that fails becomes a row of nulls carrying the error, so
 * one bad record costs one skipped row instead of the job. A wrapped schema may give several rows per
 * record (OTLP: one per span); either all of them come through or, if decoding fails, none.
 */
class TolerantDeserializationSchema implements DeserializationSchema<RowData> {
    private static final long serialVersionUID = 1L;

    private final DeserializationSchema<RowData> delegate;
    private final RowData.FieldGetter[] physicalFields;
    private final boolean withParseError;
    private final TypeInformation<RowData> producedType;
    /** The rows the wrapped decoder gave for the current record; reused, as records come one at a time. */
    private transient List<RowData> decoded;

    private transient ListCollector decodedCollector;

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

    /** The first row only: the Kafka connector calls {@link #deserialize(byte[], Collector)}, which gives all. */
    @Override
    public RowData deserialize(byte[] message) {
        List<RowData> rows = new ArrayList<>(1);
        deserialize(message, new ListCollector(rows));
        return rows.get(0);
    }

    @Override
    public void deserialize(byte[] message, Collector<RowData> out) {
        if (message == null) {
            out.collect(undecodable(ParseErrors.tombstone()));
            return;
        }
        if (decoded == null) {
            decoded = new ArrayList<>(1);
            decodedCollector = new ListCollector(decoded);
        }
        List<RowData> rows = decoded;
        rows.clear();
        try {
            delegate.deserialize(message, decodedCollector);
        } catch (Exception e) {
            out.collect(undecodable(ParseErrors.of(e, message.length)));
            return;
        }
        if (rows.isEmpty()) {
            out.collect(undecodable("the decoder skipped the record (" + message.length + " bytes)"));
        }
        for (RowData row : rows) {
            out.collect(withParseError ? withMetadata(row) : row);
        }
    }

    /** A GenericRowData, as the Kafka connector expects when it appends its own metadata. */
    private RowData withMetadata(RowData row) {
        GenericRowData withMetadata = new GenericRowData(physicalFields.length + 1);
        if (row instanceof GenericRowData) {
            // what the protobuf and json decoders give: its fields as they are, without a getter (and boxing)
            // per field of every record
            GenericRowData generic = (GenericRowData) row;
            for (int i = 0; i < physicalFields.length; i++) {
                withMetadata.setField(i, generic.getField(i));
            }
            return withMetadata;
        }
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

    /** Keeps the rows a decoder gives, so that none is emitted before the whole record decoded. */
    private static final class ListCollector implements Collector<RowData> {
        private final List<RowData> rows;

        ListCollector(List<RowData> rows) {
            this.rows = rows;
        }

        @Override
        public void collect(RowData row) {
            // kept only until the record's rows are emitted, before the decoder's next call
            rows.add(row);
        }

        @Override
        public void close() {}
    }
}
