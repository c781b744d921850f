package org.tracefeatures.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.DescriptorProtos;
import com.google.protobuf.Descriptors;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.ListValue;
import com.google.protobuf.Message;
import com.google.protobuf.Value;
import io.jaegertracing.api_v2.KeyValue;
import io.jaegertracing.api_v2.Log;
import io.jaegertracing.api_v2.Process;
import io.jaegertracing.api_v2.Span;
import io.jaegertracing.api_v2.SpanRef;
import io.jaegertracing.api_v2.SpanRefType;
import io.jaegertracing.api_v2.ValueType;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.metrics.v1.Exemplar;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogramDataPoint;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.formats.protobuf.PbDecodingFormat;
import org.apache.flink.formats.protobuf.PbFormatConfig;
import org.apache.flink.formats.protobuf.deserialize.PbRowDataDeserializationSchema;
import org.apache.flink.table.api.DataTypes;
import org.apache.flink.table.connector.source.DynamicTableSource;
import org.apache.flink.table.data.ArrayData;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.runtime.typeutils.InternalTypeInfo;
import org.apache.flink.table.types.DataType;
import org.apache.flink.table.types.logical.ArrayType;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.table.types.logical.RowType;
import org.apache.flink.util.InstantiationUtil;
import org.junit.jupiter.api.Test;

/**
 * Differential: every input is decoded by flink-protobuf's decoder and by {@link ProtobufRowDecoder};
 * both must fail (with the same protobuf-java message) or give the same values.
 */
class ProtobufRowDecoderTest {
    private static final DataType KEY_VALUES = OtlpSpansDecodingFormat.KEY_VALUES;

    /** the physical columns of span_source in sql/init/input/jaeger-proto.sql */
    private static final RowType JAEGER = rowType(DataTypes.ROW(
            DataTypes.FIELD("trace_id", DataTypes.BYTES()),
            DataTypes.FIELD("span_id", DataTypes.BYTES()),
            DataTypes.FIELD("operation_name", DataTypes.STRING()),
            DataTypes.FIELD(
                    "references",
                    DataTypes.ARRAY(DataTypes.ROW(
                            DataTypes.FIELD("trace_id", DataTypes.BYTES()),
                            DataTypes.FIELD("span_id", DataTypes.BYTES()),
                            DataTypes.FIELD("ref_type", DataTypes.STRING())))),
            DataTypes.FIELD(
                    "start_time",
                    DataTypes.ROW(
                            DataTypes.FIELD("seconds", DataTypes.BIGINT()), DataTypes.FIELD("nanos", DataTypes.INT()))),
            DataTypes.FIELD(
                    "duration",
                    DataTypes.ROW(
                            DataTypes.FIELD("seconds", DataTypes.BIGINT()), DataTypes.FIELD("nanos", DataTypes.INT()))),
            DataTypes.FIELD("tags", KEY_VALUES),
            DataTypes.FIELD(
                    "process",
                    DataTypes.ROW(
                            DataTypes.FIELD("service_name", DataTypes.STRING()),
                            DataTypes.FIELD("tags", KEY_VALUES)))));

    /** some columns, out of the message's order, nested ones too */
    private static final RowType JAEGER_SUBSET = rowType(DataTypes.ROW(
            DataTypes.FIELD(
                    "process",
                    DataTypes.ROW(DataTypes.FIELD(
                            "tags",
                            DataTypes.ARRAY(DataTypes.ROW(
                                    DataTypes.FIELD("v_int64", DataTypes.BIGINT()),
                                    DataTypes.FIELD("v_type", DataTypes.STRING())))))),
            DataTypes.FIELD("operation_name", DataTypes.STRING()),
            DataTypes.FIELD("start_time", DataTypes.ROW(DataTypes.FIELD("nanos", DataTypes.INT()))),
            DataTypes.FIELD("span_id", DataTypes.BYTES())));

    /** the fields the input leaves out: flags, logs, process_id, warnings */
    private static final RowType JAEGER_REST = rowType(DataTypes.ROW(
            DataTypes.FIELD("flags", DataTypes.INT()),
            DataTypes.FIELD(
                    "logs",
                    DataTypes.ARRAY(DataTypes.ROW(
                            DataTypes.FIELD(
                                    "timestamp",
                                    DataTypes.ROW(
                                            DataTypes.FIELD("seconds", DataTypes.BIGINT()),
                                            DataTypes.FIELD("nanos", DataTypes.INT()))),
                            DataTypes.FIELD("fields", KEY_VALUES)))),
            DataTypes.FIELD("process_id", DataTypes.STRING()),
            DataTypes.FIELD("warnings", DataTypes.ARRAY(DataTypes.STRING())),
            DataTypes.FIELD(
                    "references", DataTypes.ARRAY(DataTypes.ROW(DataTypes.FIELD("ref_type", DataTypes.STRING()))))));

    private static final DataType ANY_VALUE = DataTypes.ROW(
            DataTypes.FIELD("string_value", DataTypes.STRING()),
            DataTypes.FIELD("bool_value", DataTypes.BOOLEAN()),
            DataTypes.FIELD("int_value", DataTypes.BIGINT()),
            DataTypes.FIELD("double_value", DataTypes.DOUBLE()),
            DataTypes.FIELD("bytes_value", DataTypes.BYTES()));
    private static final DataType ATTRIBUTES = DataTypes.ARRAY(
            DataTypes.ROW(DataTypes.FIELD("key", DataTypes.STRING()), DataTypes.FIELD("value", ANY_VALUE)));
    private static final DataType BUCKETS = DataTypes.ROW(
            DataTypes.FIELD("offset", DataTypes.INT()),
            DataTypes.FIELD("bucket_counts", DataTypes.ARRAY(DataTypes.BIGINT())));

    /** numbers of every width and encoding, packed repeated fields, optional fields and oneofs */
    private static final RowType HISTOGRAM = rowType(DataTypes.ROW(
            DataTypes.FIELD("attributes", ATTRIBUTES),
            DataTypes.FIELD("start_time_unix_nano", DataTypes.BIGINT()),
            DataTypes.FIELD("count", DataTypes.BIGINT()),
            DataTypes.FIELD("sum", DataTypes.DOUBLE()),
            DataTypes.FIELD("scale", DataTypes.INT()),
            DataTypes.FIELD("zero_count", DataTypes.BIGINT()),
            DataTypes.FIELD("positive", BUCKETS),
            DataTypes.FIELD("negative", BUCKETS),
            DataTypes.FIELD("flags", DataTypes.INT()),
            DataTypes.FIELD(
                    "exemplars",
                    DataTypes.ARRAY(DataTypes.ROW(
                            DataTypes.FIELD("as_double", DataTypes.DOUBLE()),
                            DataTypes.FIELD("as_int", DataTypes.BIGINT()),
                            DataTypes.FIELD("span_id", DataTypes.BYTES()),
                            DataTypes.FIELD("filtered_attributes", ATTRIBUTES)))),
            DataTypes.FIELD("min", DataTypes.DOUBLE()),
            DataTypes.FIELD("zero_threshold", DataTypes.DOUBLE())));

    /** google.protobuf.Value: a oneof, and recursive members left out of the row */
    private static final RowType VALUE = rowType(DataTypes.ROW(
            DataTypes.FIELD("string_value", DataTypes.STRING()),
            DataTypes.FIELD("number_value", DataTypes.DOUBLE()),
            DataTypes.FIELD("null_value", DataTypes.STRING()),
            DataTypes.FIELD("bool_value", DataTypes.BOOLEAN())));

    private static final String[] TEXTS = {
        "",
        "GET /dispatch",
        "a",
        "HTTP GET: /customer",
        "redis.GetDriver with a longer ASCII name",
        "héllo wörld",
        "日本語のテキスト",
        "emoji 😀 in the middle",
        "12345678é",
        "1234567é",
        "ÿ",
        "ascii then 𝄞",
    };

    private static RowType rowType(DataType type) {
        return (RowType) type.getLogicalType();
    }

    @Test
    void handBuiltSpansDecodeAsFlinkProtobufDecodesThem() throws Exception {
        List<byte[]> inputs = spanInputs(new Random(1));
        for (boolean readDefaultValues : new boolean[] {false, true}) {
            for (RowType rowType : List.of(JAEGER, JAEGER_SUBSET, JAEGER_REST)) {
                Decoders decoders = new Decoders(Span.class, rowType, readDefaultValues);
                for (byte[] input : inputs) {
                    decoders.assertSameOutcome(input);
                }
            }
        }
    }

    @Test
    void mutatedSpansFailOrDecodeAsFlinkProtobufDecodesThem() throws Exception {
        Random random = new Random(7);
        List<byte[]> inputs = spanInputs(new Random(2));
        for (RowType rowType : List.of(JAEGER, JAEGER_SUBSET, JAEGER_REST)) {
            Decoders decoders = new Decoders(Span.class, rowType);
            int failures = 0;
            for (byte[] input : inputs) {
                for (int i = 0; i < 15; i++) {
                    failures += decoders.assertSameOutcome(mutate(input, random)) ? 0 : 1;
                }
            }
            // the loop must exercise both outcomes to prove anything
            assertThat(failures).isBetween(100, inputs.size() * 15 - 100);
        }
    }

    @Test
    void histogramPointsPackedOrNotDecodeAsFlinkProtobufDecodesThem() throws Exception {
        Random random = new Random(3);
        Decoders histograms = new Decoders(ExponentialHistogramDataPoint.class, HISTOGRAM, false);
        Decoders histogramsWithDefaults = new Decoders(ExponentialHistogramDataPoint.class, HISTOGRAM, true);
        int failures = 0;
        for (int i = 0; i < 300; i++) {
            // read-default-values matters for the absent buckets, exemplars and attributes
            Decoders decoders = i % 2 == 0 ? histograms : histogramsWithDefaults;
            ExponentialHistogramDataPoint point = histogramPoint(random);
            byte[] packed = point.toByteArray();
            decoders.assertSameOutcome(packed);
            decoders.assertSameOutcome(concat(packed, unpackedBuckets(point.getPositive(), 8)));
            decoders.assertSameOutcome(concat(unpackedBuckets(point.getNegative(), 9), packed));
            for (int m = 0; m < 10; m++) {
                failures += decoders.assertSameOutcome(mutate(packed, random)) ? 0 : 1;
            }
        }
        assertThat(failures).isBetween(100, 2900);
    }

    @Test
    void oneofMembersReplaceEachOtherAsInProtobuf() throws Exception {
        Decoders decoders = new Decoders(Value.class, VALUE);
        Value number = Value.newBuilder().setNumberValue(2.5).build();
        Value text = Value.newBuilder().setStringValue("two").build();
        Value bool = Value.newBuilder().setBoolValue(true).build();
        Value list = Value.newBuilder()
                .setListValue(ListValue.newBuilder().addValues(text))
                .build();
        Value nullValue = Value.newBuilder().setNullValueValue(0).build();
        Value unknownNull = Value.newBuilder().setNullValueValue(5).build();
        List<Value> values = List.of(number, text, bool, list, nullValue, unknownNull, Value.getDefaultInstance());
        // a message given twice is one message with the second's fields set last: the last oneof member wins
        for (Value first : values) {
            for (Value second : values) {
                decoders.assertSameOutcome(concat(first.toByteArray(), second.toByteArray()));
            }
        }
        // the values of a oneof as flink-protobuf gives them, worked out by hand: the set member's value,
        // the others' defaults; an enum's number without a name is UNRECOGNIZED
        assertThat(decoders.direct(concat(number.toByteArray(), text.toByteArray())))
                .isEqualTo(Arrays.asList("two", 0.0, "NULL_VALUE", false));
        assertThat(decoders.direct(concat(text.toByteArray(), unknownNull.toByteArray())))
                .isEqualTo(Arrays.asList("", 0.0, "UNRECOGNIZED", false));
        assertThat(decoders.direct(concat(text.toByteArray(), list.toByteArray())))
                .isEqualTo(Arrays.asList("", 0.0, "NULL_VALUE", false));
    }

    @Test
    void nestingIsLimitedTo100LevelsAsInProtobuf() throws Exception {
        Decoders decoders = new Decoders(Value.class, VALUE);
        // each list level is two messages deep (ListValue, then Value): 49 levels fit, 51 do not
        for (int levels : new int[] {49, 50, 51}) {
            Value value = Value.newBuilder().setStringValue("leaf").build();
            for (int i = 0; i < levels; i++) {
                value = Value.newBuilder()
                        .setListValue(ListValue.newBuilder().addValues(value))
                        .build();
            }
            decoders.assertSameOutcome(value.toByteArray());
        }
        Value deep = Value.newBuilder().setStringValue("leaf").build();
        for (int i = 0; i < 51; i++) {
            deep = Value.newBuilder()
                    .setListValue(ListValue.newBuilder().addValues(deep))
                    .build();
        }
        byte[] tooDeep = deep.toByteArray();
        assertThatThrownBy(() -> decoders.direct.deserialize(tooDeep))
                .isInstanceOf(InvalidProtocolBufferException.class)
                .hasMessageStartingWith("Protocol message had too many levels of nesting.");
    }

    @Test
    void invalidUtf8FailsWithProtobufsMessage() throws Exception {
        // operation_name (field 3) holding 0xC3 0x28: a two-byte lead followed by an ASCII byte
        byte[] span = concat(
                Span.newBuilder()
                        .setSpanId(ByteString.copyFrom(new byte[] {1, 2, 3, 4, 5, 6, 7, 8}))
                        .build()
                        .toByteArray(),
                lengthDelimited(3, new byte[] {'o', 'p', (byte) 0xC3, 0x28}));
        ProtobufRowDecoder decoder = openedDecoder(Span.class, JAEGER);

        assertThatThrownBy(() -> decoder.deserialize(span))
                .isExactlyInstanceOf(InvalidProtocolBufferException.class)
                .hasMessage("Protocol message had invalid UTF-8.");

        // the text BadInputITCase finds in the log, via the tolerant wrapper's parse error
        TolerantDeserializationSchema tolerant =
                new TolerantDeserializationSchema(decoder, JAEGER.getChildren(), true, InternalTypeInfo.of(JAEGER));
        RowData row = tolerant.deserialize(span);
        assertThat(row.getString(JAEGER.getFieldCount()).toString())
                .isEqualTo("InvalidProtocolBufferException: Protocol message had invalid UTF-8. (" + span.length
                        + " bytes)");
    }

    @Test
    void utf8IsCheckedAsProtobufChecksIt() throws Exception {
        byte[][] sequences = {
            {(byte) 0xC3, (byte) 0xA9}, // é
            {(byte) 0xC0, (byte) 0x80}, // overlong NUL
            {(byte) 0xC1, (byte) 0xBF}, // overlong
            {(byte) 0xE0, (byte) 0x80, (byte) 0x80}, // overlong
            {(byte) 0xE0, (byte) 0xA0, (byte) 0x80}, // U+0800
            {(byte) 0xED, (byte) 0x9F, (byte) 0xBF}, // U+D7FF
            {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, // a surrogate
            {(byte) 0xEF, (byte) 0xBF, (byte) 0xBF}, // U+FFFF
            {(byte) 0xF0, (byte) 0x80, (byte) 0x80, (byte) 0x80}, // overlong
            {(byte) 0xF0, (byte) 0x90, (byte) 0x80, (byte) 0x80}, // U+10000
            {(byte) 0xF4, (byte) 0x8F, (byte) 0xBF, (byte) 0xBF}, // U+10FFFF
            {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, // above U+10FFFF
            {(byte) 0xF5, (byte) 0x80, (byte) 0x80, (byte) 0x80},
            {(byte) 0xFF},
            {(byte) 0x80}, // a continuation byte alone
            {(byte) 0xE2, (byte) 0x82}, // cut off
            {(byte) 0xE2, (byte) 0x28, (byte) 0xA1},
            {(byte) 0xF0, (byte) 0x9F, (byte) 0x98}, // cut off
        };
        Decoders decoders = new Decoders(Span.class, JAEGER);
        int failures = 0;
        for (byte[] sequence : sequences) {
            for (String prefix : new String[] {"", "x", "1234567", "12345678", "a longer ascii prefix of 29 b"}) {
                for (String suffix : new String[] {"", "z", "after the sequence"}) {
                    byte[] text = concat(
                            concat(prefix.getBytes(StandardCharsets.US_ASCII), sequence),
                            suffix.getBytes(StandardCharsets.US_ASCII));
                    // in a nested message's string too: process.service_name (field 10, then 1)
                    failures += decoders.assertSameOutcome(lengthDelimited(3, text)) ? 0 : 1;
                    decoders.assertSameOutcome(lengthDelimited(10, lengthDelimited(1, text)));
                }
            }
        }
        // 12 of the 18 sequences are invalid (the six commented with a code point are valid), each in 15 surroundings
        assertThat(failures).isEqualTo(12 * 15);
    }

    /**
     * The scalar types no generated class here has (sint64, fixed32, sfixed32, float), with the others,
     * single, packed and unpacked, against protobuf-java's own parser (DynamicMessage) as the oracle.
     */
    @Test
    void everyScalarTypeDecodesAsProtobufJavaParsesIt() throws Exception {
        Descriptors.Descriptor scalars = scalarsDescriptor();
        List<DataTypes.Field> columns = new ArrayList<>();
        for (Descriptors.FieldDescriptor field : scalars.getFields()) {
            DataType type = SCALAR_COLUMN_TYPES.get(field.getType());
            columns.add(DataTypes.FIELD(field.getName(), field.isRepeated() ? DataTypes.ARRAY(type) : type));
        }
        RowType rowType = rowType(DataTypes.ROW(columns.toArray(new DataTypes.Field[0])));
        assertThat(ProtobufMessageLayout.unsupportedReason(scalars, rowType)).isNull();
        ProtobufMessageLayout layout = ProtobufMessageLayout.of(scalars, rowType, false);
        ProtobufWireReader reader = new ProtobufWireReader();
        Random random = new Random(5);
        int failures = 0;
        for (int i = 0; i < 300; i++) {
            byte[] bytes = randomScalars(scalars, random).toByteArray();
            assertThat(decodeDirectly(layout, reader, bytes, rowType)).isTrue();
            for (int m = 0; m < 10; m++) {
                failures += decodeDirectly(layout, reader, mutate(bytes, random), rowType) ? 0 : 1;
            }
        }
        assertThat(failures).isBetween(100, 2900);
    }

    /**
     * Every scalar type inside the rows of a repeated message, with that message's repeated fields left out
     * of the row (then only checked), against protobuf-java's parser.
     */
    @Test
    void repeatedMessagesOfScalarsDecodeAsProtobufJavaParsesThem() throws Exception {
        Descriptors.Descriptor scalars = scalarsDescriptor();
        Descriptors.Descriptor elements = scalars.getFile().findMessageTypeByName("Elements");
        List<Descriptors.FieldDescriptor> kept = new ArrayList<>();
        List<DataTypes.Field> columns = new ArrayList<>();
        for (Descriptors.FieldDescriptor field : scalars.getFields()) {
            if (!field.isRepeated()) {
                kept.add(field);
                columns.add(DataTypes.FIELD(field.getName(), SCALAR_COLUMN_TYPES.get(field.getType())));
            }
        }
        RowType rowType = rowType(DataTypes.ROW(
                DataTypes.FIELD("items", DataTypes.ARRAY(DataTypes.ROW(columns.toArray(new DataTypes.Field[0]))))));
        assertThat(ProtobufMessageLayout.unsupportedReason(elements, rowType)).isNull();
        ProtobufMessageLayout layout = ProtobufMessageLayout.of(elements, rowType, false);
        Descriptors.FieldDescriptor items = elements.findFieldByName("items");
        ProtobufWireReader reader = new ProtobufWireReader();
        Random random = new Random(6);
        int failures = 0;
        for (int i = 0; i < 300; i++) {
            DynamicMessage.Builder message = DynamicMessage.newBuilder(elements);
            for (int n = 1 + random.nextInt(3); n > 0; n--) {
                message.addRepeatedField(items, randomScalars(scalars, random));
            }
            byte[] bytes = message.build().toByteArray();
            assertThat(decodeElements(layout, reader, bytes, rowType, items, kept))
                    .isTrue();
            for (int m = 0; m < 10; m++) {
                failures += decodeElements(layout, reader, mutate(bytes, random), rowType, items, kept) ? 0 : 1;
            }
        }
        assertThat(failures).isBetween(100, 2900);
    }

    /** A Scalars message with random values: each single field set or not, each repeated one 0 to 3 times. */
    private static DynamicMessage randomScalars(Descriptors.Descriptor scalars, Random random) {
        DynamicMessage.Builder message = DynamicMessage.newBuilder(scalars);
        for (Descriptors.FieldDescriptor field : scalars.getFields()) {
            for (int n = field.isRepeated() ? random.nextInt(4) : random.nextInt(2); n > 0; n--) {
                Object value = randomScalar(field, random);
                if (field.isRepeated()) {
                    message.addRepeatedField(field, value);
                } else {
                    message.setField(field, value);
                }
            }
        }
        return message.build();
    }

    /**
     * Decodes an Elements message with the layout and with DynamicMessage, asserts the same outcome (the
     * kept fields of every item); true if decoded.
     */
    private static boolean decodeElements(
            ProtobufMessageLayout layout,
            ProtobufWireReader reader,
            byte[] bytes,
            RowType rowType,
            Descriptors.FieldDescriptor items,
            List<Descriptors.FieldDescriptor> kept) {
        String expectedError = null;
        List<Object> expected = null;
        try {
            DynamicMessage parsed = DynamicMessage.parseFrom(items.getContainingType(), bytes);
            List<Object> rows = new ArrayList<>();
            for (int i = 0; i < parsed.getRepeatedFieldCount(items); i++) {
                DynamicMessage item = (DynamicMessage) parsed.getRepeatedField(items, i);
                List<Object> values = new ArrayList<>();
                for (Descriptors.FieldDescriptor field : kept) {
                    values.add(oracleValue(item.getField(field)));
                }
                rows.add(values);
            }
            // flink-protobuf: a repeated field without elements is null
            expected = new ArrayList<>();
            expected.add(rows.isEmpty() ? null : rows);
        } catch (InvalidProtocolBufferException e) {
            expectedError = e.getMessage();
        }
        LayoutOutcome outcome = decodeWithLayout(layout, reader, bytes, rowType);
        String hex = HexFormat.of().formatHex(bytes);
        // only whether it fails: DynamicMessage words a failure inside a nested message as "Failed to parse
        // the message.", where the generated classes (the oracle of the Span tests) give the cause, as this
        // decoder does
        assertThat(outcome.error() == null).as("decodes %s", hex).isEqualTo(expectedError == null);
        assertThat(outcome.value()).as("row of %s", hex).isEqualTo(expected);
        return outcome.error() == null;
    }

    /** Decodes with the layout and with DynamicMessage, asserts the same outcome; true if decoded. */
    private static boolean decodeDirectly(
            ProtobufMessageLayout layout, ProtobufWireReader reader, byte[] bytes, RowType rowType) {
        Descriptors.Descriptor scalars = scalarsDescriptor();
        String expectedError = null;
        List<Object> expected = null;
        try {
            DynamicMessage parsed = DynamicMessage.parseFrom(scalars, bytes);
            expected = new ArrayList<>();
            for (Descriptors.FieldDescriptor field : scalars.getFields()) {
                if (field.isRepeated()) {
                    List<Object> elements = new ArrayList<>();
                    for (int i = 0; i < parsed.getRepeatedFieldCount(field); i++) {
                        elements.add(oracleValue(parsed.getRepeatedField(field, i)));
                    }
                    // flink-protobuf: a repeated field without elements is null
                    expected.add(elements.isEmpty() ? null : elements);
                } else {
                    expected.add(oracleValue(parsed.getField(field)));
                }
            }
        } catch (InvalidProtocolBufferException e) {
            expectedError = e.getMessage();
        }
        LayoutOutcome outcome = decodeWithLayout(layout, reader, bytes, rowType);
        String hex = HexFormat.of().formatHex(bytes);
        assertThat(outcome.error()).as("error for %s", hex).isEqualTo(expectedError);
        assertThat(outcome.value()).as("row of %s", hex).isEqualTo(expected);
        return outcome.error() == null;
    }

    /** What the layout makes of a message: the row as plain Java values, or the message of its parse error. */
    private record LayoutOutcome(Object value, String error) {}

    private static LayoutOutcome decodeWithLayout(
            ProtobufMessageLayout layout, ProtobufWireReader reader, byte[] bytes, RowType rowType) {
        try {
            reader.reset(bytes);
            GenericRowData row = new GenericRowData(layout.arity);
            layout.merge(reader, row);
            layout.finish(row);
            return new LayoutOutcome(javaValue(row, rowType), null);
        } catch (InvalidProtocolBufferException e) {
            return new LayoutOutcome(null, e.getMessage());
        }
    }

    private static Object oracleValue(Object value) {
        if (value instanceof ByteString) {
            return "bytes:" + HexFormat.of().formatHex(((ByteString) value).toByteArray());
        }
        if (value instanceof Descriptors.EnumValueDescriptor) {
            Descriptors.EnumValueDescriptor enumValue = (Descriptors.EnumValueDescriptor) value;
            // a number the enum does not name: the generated classes call it UNRECOGNIZED
            return enumValue.getType().findValueByNumber(enumValue.getNumber()) == null
                    ? "UNRECOGNIZED"
                    : enumValue.getName();
        }
        return value;
    }

    private static final Map<Descriptors.FieldDescriptor.Type, DataType> SCALAR_COLUMN_TYPES = Map.ofEntries(
            Map.entry(Descriptors.FieldDescriptor.Type.INT32, DataTypes.INT()),
            Map.entry(Descriptors.FieldDescriptor.Type.SINT32, DataTypes.INT()),
            Map.entry(Descriptors.FieldDescriptor.Type.UINT32, DataTypes.INT()),
            Map.entry(Descriptors.FieldDescriptor.Type.FIXED32, DataTypes.INT()),
            Map.entry(Descriptors.FieldDescriptor.Type.SFIXED32, DataTypes.INT()),
            Map.entry(Descriptors.FieldDescriptor.Type.INT64, DataTypes.BIGINT()),
            Map.entry(Descriptors.FieldDescriptor.Type.SINT64, DataTypes.BIGINT()),
            Map.entry(Descriptors.FieldDescriptor.Type.UINT64, DataTypes.BIGINT()),
            Map.entry(Descriptors.FieldDescriptor.Type.FIXED64, DataTypes.BIGINT()),
            Map.entry(Descriptors.FieldDescriptor.Type.SFIXED64, DataTypes.BIGINT()),
            Map.entry(Descriptors.FieldDescriptor.Type.FLOAT, DataTypes.FLOAT()),
            Map.entry(Descriptors.FieldDescriptor.Type.DOUBLE, DataTypes.DOUBLE()),
            Map.entry(Descriptors.FieldDescriptor.Type.BOOL, DataTypes.BOOLEAN()),
            Map.entry(Descriptors.FieldDescriptor.Type.STRING, DataTypes.STRING()),
            Map.entry(Descriptors.FieldDescriptor.Type.BYTES, DataTypes.BYTES()),
            Map.entry(Descriptors.FieldDescriptor.Type.ENUM, DataTypes.STRING()));

    private static Descriptors.Descriptor scalarsDescriptor;

    /**
     * A proto3 message with each scalar type once single ('s_'), packed ('p_') and unpacked ('u_'), and in
     * the same file Elements, a repeated field of it ('items').
     */
    private static synchronized Descriptors.Descriptor scalarsDescriptor() {
        if (scalarsDescriptor != null) {
            return scalarsDescriptor;
        }
        DescriptorProtos.DescriptorProto.Builder message =
                DescriptorProtos.DescriptorProto.newBuilder().setName("Scalars");
        int number = 1;
        Descriptors.FieldDescriptor.Type[] types =
                SCALAR_COLUMN_TYPES.keySet().stream().sorted().toArray(Descriptors.FieldDescriptor.Type[]::new);
        for (Descriptors.FieldDescriptor.Type type : types) {
            String name = type.name().toLowerCase(Locale.ROOT);
            for (String kind : new String[] {"s_", "p_", "u_"}) {
                DescriptorProtos.FieldDescriptorProto.Builder field = DescriptorProtos.FieldDescriptorProto.newBuilder()
                        .setName(kind + name)
                        .setNumber(number++)
                        .setType(type.toProto())
                        .setLabel(
                                kind.equals("s_")
                                        ? DescriptorProtos.FieldDescriptorProto.Label.LABEL_OPTIONAL
                                        : DescriptorProtos.FieldDescriptorProto.Label.LABEL_REPEATED);
                if (type == Descriptors.FieldDescriptor.Type.ENUM) {
                    field.setTypeName(".scalars.Kind");
                }
                if (kind.equals("u_")) {
                    field.setOptions(DescriptorProtos.FieldOptions.newBuilder().setPacked(false));
                }
                message.addField(field);
            }
        }
        DescriptorProtos.FileDescriptorProto file = DescriptorProtos.FileDescriptorProto.newBuilder()
                .setName("scalars.proto")
                .setPackage("scalars")
                .setSyntax("proto3")
                .addEnumType(DescriptorProtos.EnumDescriptorProto.newBuilder()
                        .setName("Kind")
                        .addValue(DescriptorProtos.EnumValueDescriptorProto.newBuilder()
                                .setName("NONE")
                                .setNumber(0))
                        .addValue(DescriptorProtos.EnumValueDescriptorProto.newBuilder()
                                .setName("SOME")
                                .setNumber(1))
                        .addValue(DescriptorProtos.EnumValueDescriptorProto.newBuilder()
                                .setName("MANY")
                                .setNumber(300)))
                .addMessageType(message)
                .addMessageType(DescriptorProtos.DescriptorProto.newBuilder()
                        .setName("Elements")
                        .addField(DescriptorProtos.FieldDescriptorProto.newBuilder()
                                .setName("items")
                                .setNumber(1)
                                .setType(DescriptorProtos.FieldDescriptorProto.Type.TYPE_MESSAGE)
                                .setTypeName(".scalars.Scalars")
                                .setLabel(DescriptorProtos.FieldDescriptorProto.Label.LABEL_REPEATED)))
                .build();
        try {
            scalarsDescriptor = Descriptors.FileDescriptor.buildFrom(file, new Descriptors.FileDescriptor[0])
                    .findMessageTypeByName("Scalars");
        } catch (Descriptors.DescriptorValidationException e) {
            throw new AssertionError(e);
        }
        return scalarsDescriptor;
    }

    private static Object randomScalar(Descriptors.FieldDescriptor field, Random random) {
        boolean small = random.nextBoolean();
        switch (field.getType()) {
            case INT32:
            case SINT32:
            case UINT32:
            case FIXED32:
            case SFIXED32:
                return small ? random.nextInt(200) - 100 : random.nextInt();
            case INT64:
            case SINT64:
            case UINT64:
            case FIXED64:
            case SFIXED64:
                return small ? (long) random.nextInt(200) - 100 : random.nextLong();
            case FLOAT:
                return small ? -0.0f : random.nextFloat() * 1e6f;
            case DOUBLE:
                return small ? Double.NaN : random.nextDouble();
            case BOOL:
                return random.nextBoolean();
            case STRING:
                return text(random);
            case BYTES:
                return ByteString.copyFrom(bytes(random, random.nextInt(6)));
            case ENUM:
                return field.getEnumType().getValues().get(random.nextInt(3));
            default:
                throw new AssertionError(field);
        }
    }

    @Test
    void theFormatDecodesDirectlyWhereItCanAndWithFlinkProtobufElsewhere() {
        assertThat(runtimeDecoder(Span.class, JAEGER)).isInstanceOf(ProtobufRowDecoder.class);
        assertThat(runtimeDecoder(Span.class, JAEGER_SUBSET)).isInstanceOf(ProtobufRowDecoder.class);
        // flink-protobuf gives an enum's number for an integer column, and fails for an unknown one
        assertThat(runtimeDecoder(SpanRef.class, rowType(DataTypes.ROW(DataTypes.FIELD("ref_type", DataTypes.INT())))))
                .isInstanceOf(PbRowDataDeserializationSchema.class);
        // proto2 (here descriptor.proto): custom defaults, required fields, read-default-values
        assertThat(runtimeDecoder(
                        com.google.protobuf.DescriptorProtos.FileDescriptorProto.class,
                        rowType(DataTypes.ROW(DataTypes.FIELD("name", DataTypes.STRING())))))
                .isInstanceOf(PbRowDataDeserializationSchema.class);
        assertThat(ProtobufMessageLayout.unsupportedReason(
                        com.google.protobuf.Struct.getDescriptor(),
                        rowType(DataTypes.ROW(DataTypes.FIELD(
                                "fields",
                                DataTypes.MAP(
                                        DataTypes.STRING(),
                                        DataTypes.ROW(DataTypes.FIELD("string_value", DataTypes.STRING()))))))))
                .isEqualTo("map field google.protobuf.Struct.fields");
    }

    @Test
    void theDecoderIsSerializableAndBuildsItsLayoutWhenOpened() throws Exception {
        ProtobufRowDecoder decoder =
                new ProtobufRowDecoder(Span.class.getName(), JAEGER, InternalTypeInfo.of(JAEGER), false, false);
        ProtobufRowDecoder copy = InstantiationUtil.clone(decoder);
        copy.open(getClass().getClassLoader());
        RowData row = copy.deserialize(
                Span.newBuilder().setOperationName("/dispatch").build().toByteArray());
        assertThat(row.getString(2).toString()).isEqualTo("/dispatch");
        assertThat(copy).isEqualTo(decoder);
    }

    @Test
    void ignoreParseErrorsGivesNoRowForAnUndecodableRecord() throws Exception {
        ProtobufRowDecoder decoder =
                new ProtobufRowDecoder(Span.class.getName(), JAEGER, InternalTypeInfo.of(JAEGER), true, false);
        decoder.open(getClass().getClassLoader());
        assertThat(decoder.deserialize(new byte[] {0x1A, 0x05, 'a'})).isNull();
    }

    // --- inputs

    private static List<byte[]> spanInputs(Random random) {
        List<byte[]> inputs = new ArrayList<>();
        inputs.add(new byte[0]);
        inputs.add(Span.getDefaultInstance().toByteArray());
        // a nested message present but empty differs on the wire from an absent one
        inputs.add(Span.newBuilder()
                .setProcess(Process.getDefaultInstance())
                .setStartTime(com.google.protobuf.Timestamp.getDefaultInstance())
                .build()
                .toByteArray());
        List<byte[]> spans = new ArrayList<>();
        for (int i = 0; i < 150; i++) {
            spans.add(span(random).toByteArray());
        }
        inputs.addAll(spans);
        for (int i = 0; i < 40; i++) {
            byte[] span = spans.get(random.nextInt(spans.size()));
            // unknown field numbers of every wire type, the sparse ones too, before or after the known ones
            byte[] unknown = unknownFields(random);
            inputs.add(concat(span, unknown));
            inputs.add(concat(unknown, span));
            // two messages in a row are one, merged: repeated fields append, nested messages merge
            inputs.add(concat(span, spans.get(random.nextInt(spans.size()))));
            // a known field number with another wire type is an unknown field
            inputs.add(concat(span, varint(3, random.nextInt(1000))));
            inputs.add(concat(span, varint(6, 12)));
            inputs.add(concat(span, lengthDelimited(5, new byte[] {1, 2})));
        }
        return inputs;
    }

    private static Span span(Random random) {
        Span.Builder span = Span.newBuilder();
        if (random.nextInt(10) > 0) {
            span.setTraceId(ByteString.copyFrom(bytes(random, random.nextBoolean() ? 16 : random.nextInt(20))));
            span.setSpanId(ByteString.copyFrom(bytes(random, 8)));
        }
        span.setOperationName(text(random));
        for (int i = random.nextInt(4); i > 0; i--) {
            SpanRef.Builder reference = SpanRef.newBuilder()
                    .setTraceId(ByteString.copyFrom(bytes(random, 16)))
                    .setSpanId(ByteString.copyFrom(bytes(random, 8)));
            switch (random.nextInt(4)) {
                case 0:
                    reference.setRefType(SpanRefType.CHILD_OF);
                    break;
                case 1:
                    reference.setRefType(SpanRefType.FOLLOWS_FROM);
                    break;
                case 2:
                    reference.setRefTypeValue(99);
                    break;
                default:
                    reference.setRefTypeValue(-3);
            }
            span.addReferences(reference);
        }
        span.setFlags(random.nextInt(4) == 0 ? random.nextInt() : random.nextInt(3));
        if (random.nextInt(8) > 0) {
            span.setStartTime(com.google.protobuf.Timestamp.newBuilder()
                    .setSeconds(1_700_000_000L + random.nextInt(1_000_000))
                    .setNanos(random.nextInt(1_000_000_000)));
        }
        if (random.nextInt(8) > 0) {
            span.setDuration(com.google.protobuf.Duration.newBuilder()
                    .setSeconds(random.nextInt(3))
                    .setNanos(random.nextInt(1_000_000_000)));
        }
        for (int i = random.nextInt(8); i > 0; i--) {
            span.addTags(keyValue(random));
        }
        for (int i = random.nextInt(3); i > 0; i--) {
            Log.Builder log = Log.newBuilder();
            if (random.nextBoolean()) {
                log.setTimestamp(com.google.protobuf.Timestamp.newBuilder().setSeconds(random.nextInt()));
            }
            for (int f = random.nextInt(3); f > 0; f--) {
                log.addFields(keyValue(random));
            }
            span.addLogs(log);
        }
        if (random.nextInt(6) > 0) {
            Process.Builder process = Process.newBuilder().setServiceName(text(random));
            for (int i = random.nextInt(5); i > 0; i--) {
                process.addTags(keyValue(random));
            }
            span.setProcess(process);
        }
        if (random.nextBoolean()) {
            span.setProcessId(text(random));
        }
        for (int i = random.nextInt(3); i > 0; i--) {
            span.addWarnings(text(random));
        }
        return span.build();
    }

    private static KeyValue keyValue(Random random) {
        KeyValue.Builder tag = KeyValue.newBuilder().setKey(text(random));
        int type = random.nextInt(7);
        if (type < 5) {
            tag.setVType(ValueType.forNumber(type));
        } else {
            tag.setVTypeValue(type == 5 ? 42 : -1);
        }
        // any value may be set, whatever v_type says: flink-protobuf shows them all
        if (random.nextBoolean()) {
            tag.setVStr(text(random));
        }
        if (random.nextBoolean()) {
            tag.setVBool(true);
        }
        if (random.nextBoolean()) {
            tag.setVInt64(random.nextBoolean() ? random.nextLong() : random.nextInt(100) - 50);
        }
        if (random.nextBoolean()) {
            double[] doubles = {0.5, -0.0, Double.NaN, Double.POSITIVE_INFINITY, random.nextDouble() * 1e6};
            tag.setVFloat64(doubles[random.nextInt(doubles.length)]);
        }
        if (random.nextBoolean()) {
            tag.setVBinary(ByteString.copyFrom(bytes(random, random.nextInt(12))));
        }
        return tag.build();
    }

    private static ExponentialHistogramDataPoint histogramPoint(Random random) {
        ExponentialHistogramDataPoint.Builder point = ExponentialHistogramDataPoint.newBuilder()
                .setStartTimeUnixNano(random.nextLong())
                .setTimeUnixNano(random.nextLong())
                .setCount(random.nextInt(5) == 0 ? -1 : random.nextInt(1000))
                .setScale(random.nextInt(41) - 20)
                .setZeroCount(random.nextLong())
                .setFlags(random.nextInt(3) == 0 ? random.nextInt() : random.nextInt(2))
                .setZeroThreshold(random.nextDouble());
        if (random.nextBoolean()) {
            point.setSum(random.nextDouble() * 100);
        }
        if (random.nextBoolean()) {
            point.setMin(-random.nextDouble());
        }
        if (random.nextBoolean()) {
            point.setMax(random.nextDouble());
        }
        if (random.nextInt(4) > 0) {
            point.setPositive(buckets(random));
        }
        if (random.nextBoolean()) {
            point.setNegative(buckets(random));
        }
        for (int i = random.nextInt(4); i > 0; i--) {
            point.addAttributes(attribute(random));
        }
        for (int i = random.nextInt(3); i > 0; i--) {
            Exemplar.Builder exemplar = Exemplar.newBuilder().setSpanId(ByteString.copyFrom(bytes(random, 8)));
            if (random.nextBoolean()) {
                exemplar.setAsDouble(random.nextDouble());
            } else {
                exemplar.setAsInt(random.nextLong());
            }
            if (random.nextBoolean()) {
                exemplar.addFilteredAttributes(attribute(random));
            }
            point.addExemplars(exemplar);
        }
        return point.build();
    }

    private static ExponentialHistogramDataPoint.Buckets buckets(Random random) {
        ExponentialHistogramDataPoint.Buckets.Builder buckets =
                ExponentialHistogramDataPoint.Buckets.newBuilder().setOffset(random.nextInt(2001) - 1000);
        for (int i = random.nextInt(6); i > 0; i--) {
            buckets.addBucketCounts(random.nextInt(3) == 0 ? random.nextLong() : random.nextInt(300));
        }
        return buckets.build();
    }

    private static io.opentelemetry.proto.common.v1.KeyValue attribute(Random random) {
        AnyValue.Builder value = AnyValue.newBuilder();
        switch (random.nextInt(6)) {
            case 0:
                value.setStringValue(text(random));
                break;
            case 1:
                value.setBoolValue(random.nextBoolean());
                break;
            case 2:
                value.setIntValue(random.nextLong());
                break;
            case 3:
                value.setDoubleValue(random.nextDouble());
                break;
            case 4:
                value.setBytesValue(ByteString.copyFrom(bytes(random, 5)));
                break;
            default:
                // recursive, outside the row type: only checked
                value.setArrayValue(
                        ArrayValue.newBuilder().addValues(AnyValue.newBuilder().setStringValue(text(random))));
        }
        return io.opentelemetry.proto.common.v1.KeyValue.newBuilder()
                .setKey(text(random))
                .setValue(value)
                .build();
    }

    /** The buckets again as field {@code number}, their counts one tag each instead of packed. */
    private static byte[] unpackedBuckets(ExponentialHistogramDataPoint.Buckets buckets, int number) {
        ByteArrayOutputStream inner = new ByteArrayOutputStream();
        try {
            CodedOutputStream out = CodedOutputStream.newInstance(inner);
            out.writeSInt32(1, buckets.getOffset());
            for (long count : buckets.getBucketCountsList()) {
                out.writeUInt64(2, count);
            }
            out.flush();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        return lengthDelimited(number, inner.toByteArray());
    }

    private static byte[] unknownFields(Random random) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            CodedOutputStream out = CodedOutputStream.newInstance(bytes);
            out.writeUInt64(13 + random.nextInt(5), random.nextLong());
            out.writeFixed32(300, random.nextInt());
            out.writeFixed64(5000, random.nextLong());
            out.writeByteArray(99, bytes(random, random.nextInt(10)));
            // a group holding a nested group
            out.writeTag(77, 3);
            out.writeUInt32(1, 5);
            out.writeTag(78, 3);
            out.writeString(2, "in a group");
            out.writeTag(78, 4);
            out.writeTag(77, 4);
            out.writeUInt64(536_870_911, 1); // the largest field number
            out.flush();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        return bytes.toByteArray();
    }

    private static String text(Random random) {
        if (random.nextInt(4) > 0) {
            return TEXTS[random.nextInt(TEXTS.length)];
        }
        StringBuilder text = new StringBuilder();
        for (int i = random.nextInt(20); i > 0; i--) {
            int codePoint;
            switch (random.nextInt(4)) {
                case 0:
                    codePoint = 0x80 + random.nextInt(0x780);
                    break;
                case 1:
                    codePoint = 0x800 + random.nextInt(0xD000);
                    break;
                case 2:
                    codePoint = 0x10000 + random.nextInt(0x100000);
                    break;
                default:
                    codePoint = random.nextInt(0x80);
            }
            text.appendCodePoint(codePoint);
        }
        return text.toString();
    }

    private static byte[] mutate(byte[] input, Random random) {
        if (input.length == 0) {
            return new byte[] {(byte) random.nextInt(256)};
        }
        byte[] mutated;
        switch (random.nextInt(5)) {
            case 0:
                return Arrays.copyOf(input, random.nextInt(input.length));
            case 1:
                mutated = input.clone();
                mutated[random.nextInt(input.length)] ^= (byte) (1 + random.nextInt(255));
                return mutated;
            case 2:
                mutated = input.clone();
                mutated[random.nextInt(input.length)] = (byte) random.nextInt(256);
                return mutated;
            case 3: {
                int at = random.nextInt(input.length + 1);
                return concat(
                        concat(Arrays.copyOf(input, at), new byte[] {(byte) random.nextInt(256)}),
                        Arrays.copyOfRange(input, at, input.length));
            }
            default: {
                int at = random.nextInt(input.length);
                return concat(Arrays.copyOf(input, at), Arrays.copyOfRange(input, at + 1, input.length));
            }
        }
    }

    private static byte[] bytes(Random random, int length) {
        byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        return bytes;
    }

    private static byte[] varint(int number, long value) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            CodedOutputStream out = CodedOutputStream.newInstance(bytes);
            out.writeUInt64(number, value);
            out.flush();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        return bytes.toByteArray();
    }

    private static byte[] lengthDelimited(int number, byte[] content) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            CodedOutputStream out = CodedOutputStream.newInstance(bytes);
            out.writeByteArray(number, content);
            out.flush();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        return bytes.toByteArray();
    }

    private static byte[] concat(byte[] first, byte[] second) {
        byte[] both = Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, both, first.length, second.length);
        return both;
    }

    // --- decoding

    private static ProtobufRowDecoder openedDecoder(Class<? extends Message> messageClass, RowType rowType) {
        ProtobufRowDecoder decoder =
                new ProtobufRowDecoder(messageClass.getName(), rowType, InternalTypeInfo.of(rowType), false, false);
        decoder.open(ProtobufRowDecoderTest.class.getClassLoader());
        return decoder;
    }

    private static DeserializationSchema<RowData> runtimeDecoder(
            Class<? extends Message> messageClass, RowType rowType) {
        ProtobufDecodingFormat format = new ProtobufDecodingFormat(
                new PbDecodingFormat(new PbFormatConfig(messageClass.getName(), false, false, "")),
                messageClass.getName(),
                false,
                false);
        return format.createRuntimeDecoder(new TypeOnlyContext(), DataTypes.of(rowType));
    }

    /** The two decoders of one message class and row type. */
    private static final class Decoders {
        final PbRowDataDeserializationSchema flink;
        final ProtobufRowDecoder direct;
        final RowType rowType;

        Decoders(Class<? extends Message> messageClass, RowType rowType) throws Exception {
            this(messageClass, rowType, false);
        }

        Decoders(Class<? extends Message> messageClass, RowType rowType, boolean readDefaultValues) throws Exception {
            this.rowType = rowType;
            flink = new PbRowDataDeserializationSchema(
                    rowType,
                    InternalTypeInfo.of(rowType),
                    new PbFormatConfig(messageClass.getName(), false, readDefaultValues, ""));
            flink.open(null);
            direct = new ProtobufRowDecoder(
                    messageClass.getName(), rowType, InternalTypeInfo.of(rowType), false, readDefaultValues);
            direct.open(ProtobufRowDecoderTest.class.getClassLoader());
        }

        Object direct(byte[] input) throws IOException {
            return javaValue(direct.deserialize(input), rowType);
        }

        /** Asserts both decoders agree on the input; true if they decoded it, false if both failed. */
        boolean assertSameOutcome(byte[] input) {
            String flinkError = null;
            Object flinkValue = null;
            try {
                flinkValue = javaValue(flink.deserialize(input), rowType);
            } catch (IOException e) {
                Throwable cause = e;
                while (cause.getCause() != null) {
                    cause = cause.getCause();
                }
                assertThat(cause).isInstanceOf(InvalidProtocolBufferException.class);
                flinkError = cause.getMessage();
            }
            String directError = null;
            Object directValue = null;
            try {
                directValue = javaValue(direct.deserialize(input), rowType);
            } catch (IOException e) {
                assertThat(e).isInstanceOf(InvalidProtocolBufferException.class);
                directError = e.getMessage();
            }
            String hex = HexFormat.of().formatHex(input);
            assertThat(directError).as("error for %s", hex).isEqualTo(flinkError);
            assertThat(directValue).as("row of %s", hex).isEqualTo(flinkValue);
            return flinkError == null;
        }
    }

    /** A row as plain Java values, so that rows built differently compare by content. */
    private static Object javaValue(Object internal, LogicalType type) {
        if (internal == null) {
            return null;
        }
        if (type instanceof RowType) {
            RowData row = (RowData) internal;
            List<LogicalType> fieldTypes = type.getChildren();
            assertThat(row.getArity()).isEqualTo(fieldTypes.size());
            List<Object> values = new ArrayList<>();
            for (int i = 0; i < fieldTypes.size(); i++) {
                values.add(javaValue(
                        RowData.createFieldGetter(fieldTypes.get(i), i).getFieldOrNull(row), fieldTypes.get(i)));
            }
            return values;
        }
        if (type instanceof ArrayType) {
            ArrayData array = (ArrayData) internal;
            LogicalType elementType = ((ArrayType) type).getElementType();
            ArrayData.ElementGetter getter = ArrayData.createElementGetter(elementType);
            List<Object> values = new ArrayList<>();
            for (int i = 0; i < array.size(); i++) {
                values.add(javaValue(getter.getElementOrNull(array, i), elementType));
            }
            return values;
        }
        if (internal instanceof StringData) {
            return internal.toString();
        }
        if (internal instanceof byte[]) {
            return "bytes:" + HexFormat.of().formatHex((byte[]) internal);
        }
        return Objects.requireNonNull(internal);
    }

    /** What the decoding formats ask of the planner here: type information. */
    private static final class TypeOnlyContext implements DynamicTableSource.Context {
        @Override
        public <T> TypeInformation<T> createTypeInformation(DataType producedDataType) {
            return createTypeInformation(producedDataType.getLogicalType());
        }

        @Override
        @SuppressWarnings("unchecked")
        public <T> TypeInformation<T> createTypeInformation(LogicalType producedLogicalType) {
            return (TypeInformation<T>) InternalTypeInfo.of(producedLogicalType);
        }

        @Override
        public DynamicTableSource.DataStructureConverter createDataStructureConverter(DataType producedDataType) {
            throw new UnsupportedOperationException("not needed by the protobuf formats");
        }
    }
}
