package org.tracefeatures.format;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.jaegertracing.api_v2.KeyValue;
import io.jaegertracing.api_v2.Process;
import io.jaegertracing.api_v2.Span;
import io.jaegertracing.api_v2.SpanRef;
import java.util.Arrays;
import org.apache.flink.formats.protobuf.PbFormatConfig;
import org.apache.flink.formats.protobuf.deserialize.PbRowDataDeserializationSchema;
import org.apache.flink.table.api.DataTypes;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.runtime.typeutils.InternalTypeInfo;
import org.apache.flink.table.types.DataType;
import org.apache.flink.table.types.logical.RowType;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Against the real flink-protobuf decoder and the generated Jaeger classes. */
class TolerantDeserializationSchemaTest {
    private static final DataType PHYSICAL = DataTypes.ROW(
            DataTypes.FIELD("trace_id", DataTypes.BYTES()),
            DataTypes.FIELD("operation_name", DataTypes.STRING()),
            DataTypes.FIELD("process", DataTypes.ROW(DataTypes.FIELD("service_name", DataTypes.STRING()))));

    private TolerantDeserializationSchema schema;

    @BeforeEach
    void openDecoder() throws Exception {
        RowType physical = (RowType) PHYSICAL.getLogicalType();
        PbRowDataDeserializationSchema protobuf = new PbRowDataDeserializationSchema(
                physical, InternalTypeInfo.of(physical), new PbFormatConfig(Span.class.getName(), false, false, ""));
        RowType produced = (RowType) DataTypes.ROW(
                        DataTypes.FIELD("trace_id", DataTypes.BYTES()),
                        DataTypes.FIELD("operation_name", DataTypes.STRING()),
                        DataTypes.FIELD("process", DataTypes.ROW(DataTypes.FIELD("service_name", DataTypes.STRING()))),
                        DataTypes.FIELD("parse-error", DataTypes.STRING()))
                .getLogicalType();
        schema = new TolerantDeserializationSchema(
                protobuf, physical.getChildren(), true, InternalTypeInfo.of(produced));
        schema.open(null);
    }

    @Test
    void aValidSpanDecodesWithNoParseError() {
        byte[] span = Span.newBuilder()
                .setTraceId(ByteString.copyFrom(new byte[] {0, 0, 0, 0, 0, 0, 0, 9}))
                .setOperationName("/dispatch")
                .setProcess(Process.newBuilder().setServiceName("frontend"))
                .build()
                .toByteArray();

        RowData row = schema.deserialize(span);

        assertThat(row.getBinary(0)).containsExactly(0, 0, 0, 0, 0, 0, 0, 9);
        assertThat(row.getString(1).toString()).isEqualTo("/dispatch");
        assertThat(row.getRow(2, 1).getString(0).toString()).isEqualTo("frontend");
        assertThat(row.isNullAt(3)).isTrue();
    }

    @Test
    void garbageBecomesARowOfNullsWithTheParseError() {
        RowData row = schema.deserialize(new byte[] {(byte) 0xff, (byte) 0xff, 0x01, 0x7f});

        assertThat(row.isNullAt(0)).isTrue();
        assertThat(row.isNullAt(1)).isTrue();
        assertThat(row.isNullAt(2)).isTrue();
        assertThat(row.getString(3).toString()).contains("Protocol message").endsWith("(4 bytes)");
    }

    @Test
    void aTruncatedSpanIsAParseError() {
        byte[] whole = Span.newBuilder()
                .setOperationName("a long enough operation name to cut in half")
                .build()
                .toByteArray();

        RowData row = schema.deserialize(Arrays.copyOf(whole, whole.length / 2));

        assertThat(row.getString(3).toString()).contains("truncated");
    }

    @Test
    void aTombstoneIsAParseError() {
        assertThat(schema.deserialize(null).getString(3).toString()).contains("tombstone");
    }

    @Test
    void invalidUtf8InAStringIsAParseErrorThatSaysSo() {
        byte[] span = Span.newBuilder()
                .setTraceId(ByteString.copyFrom(new byte[] {0, 0, 0, 0, 0, 0, 0, 9}))
                .setOperationName("caf~")
                .build()
                .toByteArray();
        span[span.length - 1] = (byte) 0xff; // the '~', last byte of the operation name: never valid in UTF-8

        RowData row = schema.deserialize(span);

        assertThat(row.isNullAt(0)).isTrue();
        assertThat(row.getString(3).toString())
                .isEqualTo("InvalidProtocolBufferException: Protocol message had invalid UTF-8. (16 bytes)");
    }

    @Test
    void enumNumbersTheProtoDoesNotKnowDecodeAsUnrecognized() throws Exception {
        RowType physical = (RowType) DataTypes.ROW(
                        DataTypes.FIELD(
                                "references",
                                DataTypes.ARRAY(DataTypes.ROW(
                                        DataTypes.FIELD("span_id", DataTypes.BYTES()),
                                        DataTypes.FIELD("ref_type", DataTypes.STRING())))),
                        DataTypes.FIELD(
                                "tags",
                                DataTypes.ARRAY(DataTypes.ROW(
                                        DataTypes.FIELD("key", DataTypes.STRING()),
                                        DataTypes.FIELD("v_type", DataTypes.STRING()),
                                        DataTypes.FIELD("v_str", DataTypes.STRING())))))
                .getLogicalType();
        PbRowDataDeserializationSchema protobuf = new PbRowDataDeserializationSchema(
                physical, InternalTypeInfo.of(physical), new PbFormatConfig(Span.class.getName(), false, false, ""));
        protobuf.open(null);
        byte[] span = Span.newBuilder()
                .addReferences(SpanRef.newBuilder()
                        .setSpanId(ByteString.copyFrom(new byte[8]))
                        .setRefTypeValue(7))
                .addTags(KeyValue.newBuilder().setKey("k").setVTypeValue(9).setVStr("v"))
                .build()
                .toByteArray();

        RowData row = protobuf.deserialize(span);

        // a usable row, not a parse error: the functions downstream decide what UNRECOGNIZED means
        assertThat(row.getArray(0).getRow(0, 2).getString(1).toString()).isEqualTo("UNRECOGNIZED");
        assertThat(row.getArray(1).getRow(0, 3).getString(1).toString()).isEqualTo("UNRECOGNIZED");
        assertThat(row.getArray(1).getRow(0, 3).getString(2).toString()).isEqualTo("v");
    }
}
