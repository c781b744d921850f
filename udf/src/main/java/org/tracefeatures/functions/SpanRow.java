package org.tracefeatures.functions;

import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import org.apache.flink.core.memory.MemorySegmentFactory;
import org.apache.flink.table.catalog.DataTypeFactory;
import org.apache.flink.table.data.ArrayData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.data.binary.BinaryRowData;
import org.apache.flink.table.data.binary.BinarySegmentUtils;
import org.apache.flink.table.data.binary.BinaryStringData;
import org.apache.flink.table.data.writer.BinaryRowWriter;
import org.apache.flink.table.runtime.typeutils.RowDataSerializer;
import org.apache.flink.table.types.DataType;
import org.apache.flink.table.types.logical.BigIntType;
import org.apache.flink.table.types.logical.BooleanType;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.table.types.logical.VarCharType;
import org.apache.flink.table.types.logical.utils.LogicalTypeChecks;
import org.tracefeatures.trace.Span;
import org.tracefeatures.trace.Trace;

/**
 * One span as COLLECT_TRACE keeps it: a {@link BinaryRowData} laid out as Flink lays out the {@link Span}
 * structured type (its fields in their order), made of the span's bytes as they came in. So accumulate()
 * copies bytes instead of decoding seven Java strings per span, getValue() copies each row into the output
 * array as it is instead of encoding them again, and the state holds each span as one array of bytes (on the heap
 * one object per span, which the garbage collector copies while the trace's window is open).
 *
 * <p>Two span rows are equal when they are the same span by {@link Span#identity()}: span id, kind and
 * service.
 */
final class SpanRow {
    static final int SPAN_ID = 0;
    static final int PARENT_SPAN_ID = 1;
    static final int REFERENCE_TYPE = 2;
    static final int SERVICE = 3;
    static final int OPERATION = 4;
    static final int SPAN_KIND = 5;
    static final int ERROR = 6;
    static final int START_MICROS = 7;
    static final int DURATION_MICROS = 8;
    static final int PEER = 9;
    static final int CALLS_DATABASE = 10;
    static final int FIELDS = 11;
    /** The names of {@link Span}'s fields in the order of the layout, checked against Flink's type of it. */
    static final String[] FIELD_NAMES = {
        "spanId",
        "parentSpanId",
        "referenceType",
        "service",
        "operation",
        "spanKind",
        "error",
        "startMicros",
        "durationMicros",
        "peer",
        "callsDatabase"
    };

    /** Writes span rows into binary arrays (which copy a binary row's bytes as they are). */
    static final RowDataSerializer SERIALIZER = new RowDataSerializer(
            VarCharType.STRING_TYPE,
            VarCharType.STRING_TYPE,
            VarCharType.STRING_TYPE,
            VarCharType.STRING_TYPE,
            VarCharType.STRING_TYPE,
            VarCharType.STRING_TYPE,
            new BooleanType(),
            new BigIntType(),
            new BigIntType(),
            VarCharType.STRING_TYPE,
            new BooleanType());

    private static final Comparator<BinaryStringData> SPAN_ID_ORDER = Comparator.nullsFirst(Comparator.naturalOrder());

    /**
     * {@link Trace#START_ORDER} on span rows: by start, then by span id, compared as bytes (UTF-8 byte order is
     * Java's string order for every character a span id holds: hex digits), and only for spans that share both
     * (the client and server halves of a Zipkin-style span) on the Java strings as that order compares them.
     */
    static final Comparator<SpanRow> START_ORDER = (a, b) -> {
        int order = Long.compare(a.startMicros, b.startMicros);
        if (order == 0) {
            order = SPAN_ID_ORDER.compare(spanId(a.row), spanId(b.row));
        }
        return order != 0 ? order : Trace.START_ORDER.compare(a.toSpan(), b.toSpan());
    };

    /** Strings of up to this many bytes sit in the fixed-length part of a binary row. */
    private static final int INLINE_STRING_BYTES = 7;

    final BinaryRowData row;
    /**
     * The hash of the identity, worked out on first use: accumulate() only appends a span's bytes, and only the
     * window's result and the compactions compare spans.
     */
    private int identityHash;

    private boolean hashed;
    /** Also in the row; kept here for sorting, which reads it O(n log n) times. */
    private final long startMicros;

    private SpanRow(BinaryRowData row) {
        this.row = row;
        this.startMicros = row.getLong(START_MICROS);
    }

    /** {@link CollectedTrace}'s data type, handed over in Flink's internal form (span rows in this layout). */
    static DataType collectedTraceType(DataTypeFactory typeFactory) {
        DataType type = typeFactory.createDataType(CollectedTrace.class).bridgedTo(RowData.class);
        checkLayout(type.getLogicalType().getChildren().get(0).getChildren().get(0));
        return type;
    }

    /** The data type of a {@code Span[]} argument, handed over in Flink's internal form (span rows in this layout). */
    static DataType spansType(DataTypeFactory typeFactory) {
        DataType type = typeFactory.createDataType(Span[].class).bridgedTo(ArrayData.class);
        checkLayout(type.getLogicalType().getChildren().get(0));
        return type;
    }

    /** Fails planning, not the job, if Flink lays out {@link Span} otherwise than this class reads and writes it. */
    private static void checkLayout(LogicalType span) {
        List<String> fields = LogicalTypeChecks.getFieldNames(span);
        if (!fields.equals(List.of(FIELD_NAMES))) {
            throw new IllegalStateException("The functions read and write spans with the fields " + List.of(FIELD_NAMES)
                    + " but Flink lays out " + Span.class.getName() + " as " + fields + ": update SpanRow");
        }
    }

    /** A span row of these values; copies the strings' bytes (the caller may reuse their memory). */
    static SpanRow of(
            StringData spanId,
            StringData parentSpanId,
            StringData referenceType,
            StringData service,
            StringData operation,
            StringData spanKind,
            boolean error,
            long startMicros,
            long durationMicros,
            StringData peer,
            boolean callsDatabase) {
        BinaryRowData row = new BinaryRowData(FIELDS);
        BinaryRowWriter writer = new BinaryRowWriter(
                row,
                variablePart(spanId)
                        + variablePart(parentSpanId)
                        + variablePart(referenceType)
                        + variablePart(service)
                        + variablePart(operation)
                        + variablePart(spanKind)
                        + variablePart(peer));
        writeString(writer, SPAN_ID, spanId);
        writeString(writer, PARENT_SPAN_ID, parentSpanId);
        writeString(writer, REFERENCE_TYPE, referenceType);
        writeString(writer, SERVICE, service);
        writeString(writer, OPERATION, operation);
        writeString(writer, SPAN_KIND, spanKind);
        writer.writeBoolean(ERROR, error);
        writer.writeLong(START_MICROS, startMicros);
        writer.writeLong(DURATION_MICROS, durationMicros);
        writeString(writer, PEER, peer);
        writer.writeBoolean(CALLS_DATABASE, callsDatabase);
        writer.complete();
        return new SpanRow(row);
    }

    /** The span row whose binary form these bytes are (as {@link #bytes} gives it); shares them. */
    static SpanRow fromBytes(byte[] bytes) {
        BinaryRowData row = new BinaryRowData(FIELDS);
        row.pointTo(MemorySegmentFactory.wrap(bytes), 0, bytes.length);
        return new SpanRow(row);
    }

    /** The row's binary form, as {@link #fromBytes} reads it; shares the row's memory when the row fills it. */
    byte[] bytes() {
        byte[] memory = row.getSegments()[0].getHeapMemory();
        if (row.getSegments().length == 1
                && row.getOffset() == 0
                && memory != null
                && memory.length == row.getSizeInBytes()) {
            return memory;
        }
        return BinarySegmentUtils.copyToBytes(row.getSegments(), row.getOffset(), row.getSizeInBytes());
    }

    Span toSpan() {
        return new Span(
                text(SPAN_ID),
                text(PARENT_SPAN_ID),
                text(REFERENCE_TYPE),
                text(SERVICE),
                text(OPERATION),
                text(SPAN_KIND),
                row.getBoolean(ERROR),
                row.getLong(START_MICROS),
                row.getLong(DURATION_MICROS),
                text(PEER),
                row.getBoolean(CALLS_DATABASE));
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof SpanRow other) || hashCode() != other.hashCode()) {
            return false;
        }
        return Objects.equals(string(row, SPAN_ID), string(other.row, SPAN_ID))
                && Objects.equals(string(row, SPAN_KIND), string(other.row, SPAN_KIND))
                && Objects.equals(string(row, SERVICE), string(other.row, SERVICE));
    }

    @Override
    public int hashCode() {
        if (!hashed) {
            identityHash = identityHash(string(row, SPAN_ID), string(row, SPAN_KIND), string(row, SERVICE));
            hashed = true;
        }
        return identityHash;
    }

    @Override
    public String toString() {
        return toSpan().toString();
    }

    private String text(int field) {
        return row.isNullAt(field) ? null : row.getString(field).toString();
    }

    private static BinaryStringData spanId(BinaryRowData row) {
        return row.isNullAt(SPAN_ID) ? null : (BinaryStringData) row.getString(SPAN_ID);
    }

    private static StringData string(BinaryRowData row, int field) {
        return row.isNullAt(field) ? null : row.getString(field);
    }

    private static int identityHash(StringData spanId, StringData spanKind, StringData service) {
        return 31 * (31 * Objects.hashCode(spanId) + Objects.hashCode(spanKind)) + Objects.hashCode(service);
    }

    /** Bytes the string takes in the variable-length part of a binary row. */
    private static int variablePart(StringData value) {
        if (value == null) {
            return 0;
        }
        int bytes = ((BinaryStringData) value).getSizeInBytes();
        return bytes <= INLINE_STRING_BYTES ? 0 : (bytes + 7) & ~7;
    }

    private static void writeString(BinaryRowWriter writer, int field, StringData value) {
        if (value == null) {
            writer.setNullAt(field);
        } else {
            writer.writeString(field, value);
        }
    }
}
