package org.tracefeatures.format;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.EnumDescriptor;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.OneofDescriptor;
import com.google.protobuf.InvalidProtocolBufferException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.table.data.GenericArrayData;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.data.binary.BinaryStringData;
import org.apache.flink.table.types.logical.ArrayType;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.table.types.logical.RowType;

/**
 * How the fields of one protobuf message type land in a row: for each field number, the row column it
 * fills (or none: then the field is only checked, as protobuf-java would check it while parsing, so
 * that a record fails here exactly when it fails there). Built for the row type of a table, by the
 * names flink-protobuf maps by. A layout without a row type checks a whole message without keeping
 * anything.
 *
 * <p>Row values are what flink-protobuf 1.20 gives for a proto3 message: an absent scalar, string,
 * bytes or enum field has its default (0, false, '', empty bytes, the enum's first name) as proto3 has
 * no presence for them; an absent message field and a repeated field without elements are null, or,
 * with 'read-default-values', a row of defaults and an empty array. An enum number without a name
 * gives 'UNRECOGNIZED'.
 */
final class ProtobufMessageLayout {
    /** field numbers below this are looked up in an array, the rest (rare) in a map */
    private static final int DENSE_FIELD_NUMBERS = 256;

    private static final StringData UNRECOGNIZED = utf8("UNRECOGNIZED");
    private static final GenericArrayData EMPTY_ARRAY = new GenericArrayData(new Object[0]);
    private static final byte[] NO_BYTES = new byte[0];

    /**
     * A string shared by every row that names the same enum value: made from bytes, because one made
     * from a java.lang.String encodes itself lazily, on first use, in whichever thread uses it.
     */
    private static StringData utf8(String text) {
        return BinaryStringData.fromBytes(text.getBytes(StandardCharsets.UTF_8));
    }

    /** columns of the row; 0 for a layout that only checks */
    final int arity;

    private Field[] byNumber = new Field[0];
    private final Map<Integer, Field> sparse = new HashMap<>();
    /** the fields kept in the row, by column */
    private Field[] columns = new Field[0];

    private ProtobufMessageLayout(int arity) {
        this.arity = arity;
    }

    /**
     * Why this decoder cannot give exactly what flink-protobuf gives for the row type, or null if it
     * can. Reasons: a proto2 (or editions) message or enum anywhere it reads (proto2 has custom
     * defaults, presence of scalars, required fields, closed enums and groups), a map field in the row,
     * an enum read as a number (flink-protobuf fails for a number without a name), or a column type this
     * decoder does not produce.
     */
    static String unsupportedReason(Descriptor descriptor, RowType rowType) {
        List<String> reasons = new ArrayList<>();
        checkMessage(descriptor, rowType, reasons, new HashMap<>());
        return reasons.isEmpty() ? null : String.join("; ", reasons);
    }

    private static void checkMessage(
            Descriptor descriptor, RowType rowType, List<String> reasons, Map<Descriptor, Boolean> checked) {
        if (!isProto3(descriptor.getFile())) {
            reasons.add("message " + descriptor.getFullName() + " is not proto3");
            return;
        }
        for (RowType.RowField column : rowType.getFields()) {
            FieldDescriptor field = descriptor.findFieldByName(column.getName());
            if (field == null) {
                reasons.add(descriptor.getFullName() + " has no field " + column.getName());
            } else if (field.isMapField()) {
                reasons.add("map field " + field.getFullName());
            } else if (field.isRepeated() != (column.getType() instanceof ArrayType)) {
                reasons.add("field " + field.getFullName() + " is " + (field.isRepeated() ? "" : "not ")
                        + "repeated but the column is " + column.getType());
            } else {
                LogicalType type =
                        field.isRepeated() ? ((ArrayType) column.getType()).getElementType() : column.getType();
                checkValue(field, type, reasons, checked);
            }
        }
        for (FieldDescriptor field : descriptor.getFields()) {
            if (!rowType.getFieldNames().contains(field.getName())) {
                checkUnkept(field, reasons, checked);
            }
        }
    }

    private static void checkValue(
            FieldDescriptor field, LogicalType type, List<String> reasons, Map<Descriptor, Boolean> checked) {
        boolean fits;
        switch (field.getType()) {
            case INT32:
            case SINT32:
            case UINT32:
            case FIXED32:
            case SFIXED32:
                fits = is(type, "INTEGER");
                break;
            case INT64:
            case SINT64:
            case UINT64:
            case FIXED64:
            case SFIXED64:
                fits = is(type, "BIGINT");
                break;
            case FLOAT:
                fits = is(type, "FLOAT");
                break;
            case DOUBLE:
                fits = is(type, "DOUBLE");
                break;
            case BOOL:
                fits = is(type, "BOOLEAN");
                break;
            case STRING:
                fits = is(type, "VARCHAR") || is(type, "CHAR");
                break;
            case BYTES:
                fits = is(type, "VARBINARY") || is(type, "BINARY");
                break;
            case ENUM:
                fits = is(type, "VARCHAR") || is(type, "CHAR");
                if (fits && !isProto3(field.getEnumType().getFile())) {
                    reasons.add("enum " + field.getEnumType().getFullName() + " is not proto3");
                }
                break;
            case MESSAGE:
                fits = type instanceof RowType;
                if (fits) {
                    checkMessage(field.getMessageType(), (RowType) type, reasons, checked);
                }
                break;
            default:
                fits = false;
        }
        if (!fits) {
            reasons.add("field " + field.getFullName() + " of type " + field.getType() + " as " + type);
        }
    }

    /** Fields only checked: every message and enum they reach must be proto3, and none may be a group. */
    private static void checkUnkept(FieldDescriptor field, List<String> reasons, Map<Descriptor, Boolean> checked) {
        if (field.getType() == FieldDescriptor.Type.GROUP) {
            reasons.add("group field " + field.getFullName());
        } else if (field.getType() == FieldDescriptor.Type.ENUM
                && !isProto3(field.getEnumType().getFile())) {
            reasons.add("enum " + field.getEnumType().getFullName() + " is not proto3");
        } else if (field.getType() == FieldDescriptor.Type.MESSAGE
                && checked.putIfAbsent(field.getMessageType(), Boolean.TRUE) == null) {
            Descriptor message = field.getMessageType();
            if (!isProto3(message.getFile())) {
                reasons.add("message " + message.getFullName() + " is not proto3");
                return;
            }
            for (FieldDescriptor inner : message.getFields()) {
                checkUnkept(inner, reasons, checked);
            }
        }
    }

    @SuppressWarnings("deprecation") // getSyntax: the only way to tell proto3 in protobuf-java 3.25
    private static boolean isProto3(com.google.protobuf.Descriptors.FileDescriptor file) {
        return file.getSyntax() == com.google.protobuf.Descriptors.FileDescriptor.Syntax.PROTO3;
    }

    private static boolean is(LogicalType type, String root) {
        return type.getTypeRoot().name().equals(root);
    }

    /** The layout of a message type and the row type it is read into; supported as {@link #unsupportedReason} says. */
    static ProtobufMessageLayout of(Descriptor descriptor, RowType rowType, boolean readDefaultValues) {
        return build(descriptor, rowType, readDefaultValues, new HashMap<>());
    }

    private static ProtobufMessageLayout build(
            Descriptor descriptor,
            RowType rowType,
            boolean readDefaultValues,
            Map<Descriptor, ProtobufMessageLayout> checkers) {
        ProtobufMessageLayout layout;
        if (rowType == null) {
            // message types can be recursive: one checker per type, registered before its fields
            ProtobufMessageLayout known = checkers.get(descriptor);
            if (known != null) {
                return known;
            }
            layout = new ProtobufMessageLayout(0);
            checkers.put(descriptor, layout);
        } else {
            layout = new ProtobufMessageLayout(rowType.getFieldCount());
        }
        List<Field> fields = new ArrayList<>();
        layout.columns = new Field[layout.arity];
        for (FieldDescriptor descriptorField : descriptor.getFields()) {
            int column = rowType == null ? -1 : rowType.getFieldNames().indexOf(descriptorField.getName());
            LogicalType columnType = column < 0 ? null : rowType.getTypeAt(column);
            if (columnType instanceof ArrayType) {
                columnType = ((ArrayType) columnType).getElementType();
            }
            ProtobufMessageLayout nested = null;
            if (descriptorField.getType() == FieldDescriptor.Type.MESSAGE) {
                nested = build(descriptorField.getMessageType(), (RowType) columnType, readDefaultValues, checkers);
            }
            Field field = new Field(descriptorField, column, nested, readDefaultValues);
            fields.add(field);
            if (column >= 0) {
                layout.columns[column] = field;
            }
        }
        if (rowType != null) {
            for (Field field : fields) {
                field.oneofSiblingColumns = siblingColumns(field.descriptor, layout.columns);
            }
        }
        int maxDense = fields.stream()
                .mapToInt(f -> f.number)
                .filter(n -> n < DENSE_FIELD_NUMBERS)
                .max()
                .orElse(0);
        layout.byNumber = new Field[maxDense + 1];
        for (Field field : fields) {
            if (field.number < DENSE_FIELD_NUMBERS) {
                layout.byNumber[field.number] = field;
            } else {
                layout.sparse.put(field.number, field);
            }
        }
        return layout;
    }

    /** The columns of the other members of the field's oneof: setting the field unsets them. */
    private static int[] siblingColumns(FieldDescriptor field, Field[] columns) {
        OneofDescriptor oneof = field.getRealContainingOneof();
        if (oneof == null) {
            return null;
        }
        int[] siblings = Arrays.stream(columns)
                .filter(c -> c.descriptor != field && c.descriptor.getRealContainingOneof() == oneof)
                .mapToInt(c -> c.column)
                .toArray();
        return siblings.length == 0 ? null : siblings;
    }

    private Field field(int number) {
        if (number < byNumber.length) {
            return byNumber[number];
        }
        return sparse.isEmpty() ? null : sparse.get(number);
    }

    /**
     * Reads the fields up to the reader's limit into the row (null for a checking layout). A message
     * field seen again merges into its row, a repeated field appends, any other field's last value wins:
     * protobuf's rules for a message whose parts arrive in several pieces. Repeated columns hold an
     * ArrayList until {@link #finish}.
     */
    void merge(ProtobufWireReader reader, GenericRowData row) throws InvalidProtocolBufferException {
        while (!reader.atLimit()) {
            int tag = reader.readTag();
            Field field = field(tag >>> 3);
            int wireType = tag & 7;
            if (field == null) {
                reader.skipField(tag);
            } else if (wireType == field.wireType) {
                if (row != null && field.oneofSiblingColumns != null) {
                    field.unsetSiblings(row);
                }
                field.readOne(reader, row);
            } else if (wireType == ProtobufWireReader.LENGTH_DELIMITED && field.packable) {
                if (row != null && field.oneofSiblingColumns != null) {
                    field.unsetSiblings(row);
                }
                field.readPacked(reader, row);
            } else {
                // a known number with another wire type is an unknown field to protobuf-java
                reader.skipField(tag);
            }
        }
    }

    /** Turns a merged row into its final values: defaults for absent fields, arrays for repeated ones. */
    void finish(GenericRowData row) {
        for (Field field : columns) {
            Object value = row.getField(field.column);
            if (value == null) {
                row.setField(field.column, field.defaultValue());
            } else if (field.repeated) {
                @SuppressWarnings("unchecked")
                ArrayList<Object> elements = (ArrayList<Object>) value;
                if (elements.isEmpty()) {
                    // only empty packed runs: no elements, which flink-protobuf does not tell from absent
                    row.setField(field.column, field.defaultValue());
                    continue;
                }
                if (field.nested != null) {
                    for (Object element : elements) {
                        field.nested.finish((GenericRowData) element);
                    }
                }
                row.setField(field.column, new GenericArrayData(elements.toArray()));
            } else if (field.nested != null) {
                field.nested.finish((GenericRowData) value);
            }
        }
    }

    private GenericRowData defaultRow() {
        GenericRowData row = new GenericRowData(arity);
        finish(row);
        return row;
    }

    /** One field of the message type and where it goes. */
    private static final class Field {
        final FieldDescriptor descriptor;
        final FieldDescriptor.Type type;
        final int number;
        /** the row column, or -1 when the field is only checked */
        final int column;

        final boolean repeated;
        /** a repeated scalar: protobuf accepts it packed or one element per tag, whatever the declaration */
        final boolean packable;
        /** the wire type of one element */
        final int wireType;

        final ProtobufMessageLayout nested;
        /** enum names by number (for numbers 0..n), the rest looked up in {@link #sparseEnumNames} */
        private final StringData[] enumNames;

        private final Map<Integer, StringData> sparseEnumNames;
        private final Object defaultValue;
        /** flink-protobuf's 'read-default-values': an absent message or repeated field as defaults, not null */
        private final boolean readDefaultValues;

        int[] oneofSiblingColumns;

        Field(FieldDescriptor descriptor, int column, ProtobufMessageLayout nested, boolean readDefaultValues) {
            this.readDefaultValues = readDefaultValues;
            this.descriptor = descriptor;
            this.type = descriptor.getType();
            this.number = descriptor.getNumber();
            this.column = column;
            this.repeated = descriptor.isRepeated();
            this.packable = repeated && descriptor.isPackable();
            this.wireType = wireType(type);
            this.nested = nested;
            if (type == FieldDescriptor.Type.ENUM) {
                EnumDescriptor enumType = descriptor.getEnumType();
                int maxDense = enumType.getValues().stream()
                        .mapToInt(EnumValueDescriptor::getNumber)
                        .filter(n -> n >= 0 && n < DENSE_FIELD_NUMBERS)
                        .max()
                        .orElse(-1);
                enumNames = new StringData[maxDense + 1];
                sparseEnumNames = new HashMap<>();
                // the first value declared with a number names it, as the generated forNumber does
                for (EnumValueDescriptor value : enumType.getValues()) {
                    StringData name = utf8(value.getName());
                    int n = value.getNumber();
                    if (n >= 0 && n < enumNames.length) {
                        if (enumNames[n] == null) {
                            enumNames[n] = name;
                        }
                    } else {
                        sparseEnumNames.putIfAbsent(n, name);
                    }
                }
            } else {
                enumNames = null;
                sparseEnumNames = null;
            }
            this.defaultValue = scalarDefault();
        }

        private static int wireType(FieldDescriptor.Type type) {
            switch (type) {
                case FIXED64:
                case SFIXED64:
                case DOUBLE:
                    return ProtobufWireReader.FIXED64;
                case FIXED32:
                case SFIXED32:
                case FLOAT:
                    return ProtobufWireReader.FIXED32;
                case STRING:
                case BYTES:
                case MESSAGE:
                    return ProtobufWireReader.LENGTH_DELIMITED;
                case GROUP:
                    return ProtobufWireReader.START_GROUP;
                default:
                    return ProtobufWireReader.VARINT;
            }
        }

        private Object scalarDefault() {
            if (repeated || column < 0) {
                return null;
            }
            switch (type) {
                case INT32:
                case SINT32:
                case UINT32:
                case FIXED32:
                case SFIXED32:
                    return 0;
                case INT64:
                case SINT64:
                case UINT64:
                case FIXED64:
                case SFIXED64:
                    return 0L;
                case FLOAT:
                    return 0f;
                case DOUBLE:
                    return 0d;
                case BOOL:
                    return false;
                case STRING:
                    return BinaryStringData.EMPTY_UTF8;
                case BYTES:
                    // shared: an empty array cannot be changed
                    return NO_BYTES;
                case ENUM:
                    // proto3: the first value, numbered 0, is the default
                    return enumName(0);
                default:
                    return null;
            }
        }

        /** The value of an absent field: null for a message or repeated field unless reading defaults. */
        Object defaultValue() {
            if (repeated) {
                return readDefaultValues ? EMPTY_ARRAY : null;
            }
            if (nested != null) {
                return readDefaultValues ? nested.defaultRow() : null;
            }
            return defaultValue;
        }

        void unsetSiblings(GenericRowData row) {
            for (int sibling : oneofSiblingColumns) {
                row.setField(sibling, null);
            }
        }

        private StringData enumName(int number) {
            StringData name = number >= 0 && number < enumNames.length ? enumNames[number] : null;
            if (name == null) {
                name = sparseEnumNames.get(number);
            }
            // proto3 enums are open: a number without a name is kept, and named UNRECOGNIZED
            return name != null ? name : UNRECOGNIZED;
        }

        /** Reads one occurrence of the field (its tag already read) into the row, or only checks it. */
        void readOne(ProtobufWireReader reader, GenericRowData row) throws InvalidProtocolBufferException {
            boolean keep = row != null && column >= 0;
            if (type == FieldDescriptor.Type.MESSAGE) {
                readMessage(reader, keep ? row : null);
                return;
            }
            Object value = readScalar(reader, keep);
            if (!keep) {
                return;
            }
            if (repeated) {
                elements(row).add(value);
            } else {
                row.setField(column, value);
            }
        }

        /** Reads a packed run of a repeated scalar. */
        void readPacked(ProtobufWireReader reader, GenericRowData row) throws InvalidProtocolBufferException {
            boolean keep = row != null && column >= 0;
            int length = reader.readLength();
            int outerLimit = reader.limit;
            reader.limit = reader.position + length;
            ArrayList<Object> elements = keep ? elements(row) : null;
            while (!reader.atLimit()) {
                Object value = readScalar(reader, keep);
                if (keep) {
                    elements.add(value);
                }
            }
            reader.limit = outerLimit;
        }

        @SuppressWarnings("unchecked")
        private ArrayList<Object> elements(GenericRowData row) {
            Object elements = row.getField(column);
            if (elements == null) {
                elements = new ArrayList<>();
                row.setField(column, elements);
            }
            return (ArrayList<Object>) elements;
        }

        private void readMessage(ProtobufWireReader reader, GenericRowData row) throws InvalidProtocolBufferException {
            int length = reader.readLength();
            int outerLimit = reader.enter(length);
            if (row == null) {
                nested.merge(reader, null);
            } else if (repeated) {
                GenericRowData element = new GenericRowData(nested.arity);
                nested.merge(reader, element);
                elements(row).add(element);
            } else {
                GenericRowData existing = (GenericRowData) row.getField(column);
                if (existing == null) {
                    existing = new GenericRowData(nested.arity);
                    row.setField(column, existing);
                }
                nested.merge(reader, existing);
            }
            reader.leave(outerLimit);
        }

        /** One value of a scalar field; null when not kept (then only its bytes are checked and passed). */
        private Object readScalar(ProtobufWireReader reader, boolean keep) throws InvalidProtocolBufferException {
            switch (type) {
                case INT32:
                case UINT32: {
                    int value = (int) reader.readVarint();
                    return keep ? (Object) value : null;
                }
                case SINT32: {
                    int raw = (int) reader.readVarint();
                    return keep ? (Object) ((raw >>> 1) ^ -(raw & 1)) : null;
                }
                case INT64:
                case UINT64: {
                    long value = reader.readVarint();
                    return keep ? (Object) value : null;
                }
                case SINT64: {
                    long raw = reader.readVarint();
                    return keep ? (Object) ((raw >>> 1) ^ -(raw & 1)) : null;
                }
                case FIXED32:
                case SFIXED32: {
                    int value = reader.readFixed32();
                    return keep ? (Object) value : null;
                }
                case FIXED64:
                case SFIXED64: {
                    long value = reader.readFixed64();
                    return keep ? (Object) value : null;
                }
                case FLOAT: {
                    int bits = reader.readFixed32();
                    return keep ? (Object) Float.intBitsToFloat(bits) : null;
                }
                case DOUBLE: {
                    long bits = reader.readFixed64();
                    return keep ? (Object) Double.longBitsToDouble(bits) : null;
                }
                case BOOL: {
                    long value = reader.readVarint();
                    return keep ? (Object) (value != 0) : null;
                }
                case ENUM: {
                    int number = (int) reader.readVarint();
                    return keep ? enumName(number) : null;
                }
                case STRING:
                    return readString(reader, keep);
                case BYTES: {
                    int length = reader.readLength();
                    int start = reader.position;
                    reader.position = start + length;
                    return keep ? Arrays.copyOfRange(reader.buffer(), start, start + length) : null;
                }
                default:
                    throw new IllegalStateException("no scalar: " + descriptor.getFullName());
            }
        }

        private static Object readString(ProtobufWireReader reader, boolean keep)
                throws InvalidProtocolBufferException {
            int length = reader.readLength();
            reader.checkUtf8(length);
            int start = reader.position;
            reader.position = start + length;
            if (!keep) {
                return null;
            }
            // A view of the record's bytes, not a copy: the Kafka consumer hands every record a fresh
            // array that nothing writes to afterwards, so the string stays valid as long as the row.
            return length == 0
                    ? BinaryStringData.EMPTY_UTF8
                    : BinaryStringData.fromBytes(reader.buffer(), start, length);
        }
    }
}
