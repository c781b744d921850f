package org.tracefeatures.format;

import com.google.protobuf.ByteString;
import io.jaegertracing.api_v2.Process;
import io.jaegertracing.api_v2.Span;
import org.apache.flink.formats.protobuf.PbFormatConfig;
import org.apache.flink.formats.protobuf.deserialize.PbRowDataDeserializationSchema;
import org.apache.flink.table.api.DataTypes;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.runtime.typeutils.InternalTypeInfo;
import org.apache.flink.table.types.DataType;
import org.apache.flink.table.types.logical.RowType;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

/** Against the real flink-protobuf decoder and the generated Jaeger classes. */
class TolerantDeserializationSchemaTest {
    private static final DataType PHYSICAL =
            DataTypes.ROW(
                    DataTypes.FIELD("trace_id", DataTypes.BYTES()),
                    DataTypes.FIELD("operation_name", DataTypes.STRING()),
                    DataTypes.FIELD("process", DataTypes.ROW(DataTypes.FIELD("service_name", DataTypes.STRING()))));

    private TolerantDeserializationSchema schema;

    @BeforeEach
    void openDecoder() throws Exception {
        RowType physical = (RowType) PHYSICAL.getLogicalType();
        PbRowDataDeserializationSchema protobuf =
                new PbRowDataDeserializationSchema(
                        physical,
                        InternalTypeInfo.of(physical),
                        new PbFormatConfig(Span.class.getName(), false, false, ""));
        RowType produced =
                (RowType) DataTypes.ROW(
                                DataTypes.FIELD("trace_id", DataTypes.BYTES()),
                                DataTypes.FIELD("operation_name", DataTypes.STRING()),
                                DataTypes.FIELD("process", DataTypes.ROW(DataTypes.FIELD("service_name", DataTypes.STRING()))),
                                DataTypes.FIELD("parse-error", DataTypes.STRING()))
                        .getLogicalType();
        schema = new TolerantDeserializationSchema(protobuf, physical.getChildren(), true, InternalTypeInfo.of(produced));
        schema.open(null);
    }

    @Test
    void aValidSpanDecodesWithNoParseError() {
        byte[] span =
                Span.newBuilder()
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
        byte[] whole =
                Span.newBuilder()
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
}
