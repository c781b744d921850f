package org.tracefeatures.format;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.TracesData;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.apache.flink.table.api.DataTypes;
import org.apache.flink.table.connector.RuntimeConverter;
import org.apache.flink.table.connector.source.DynamicTableSource;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.conversion.DataStructureConverter;
import org.apache.flink.table.data.conversion.DataStructureConverters;
import org.apache.flink.table.runtime.typeutils.InternalTypeInfo;
import org.apache.flink.table.types.DataType;
import org.apache.flink.table.types.logical.RowType;
import org.apache.flink.util.SimpleUserCodeClassLoader;
import org.apache.flink.util.UserCodeClassLoader;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The OTLP decoder inside the tolerant wrapper, as 'tolerant-otlp' builds it: one row per span, or a parse error. */
class TolerantOtlpFormatTest {
    // a subset of the offered columns, in another order: the format fills columns by name
    private static final DataType PHYSICAL = DataTypes.ROW(
            DataTypes.FIELD("operation_name", DataTypes.STRING()),
            DataTypes.FIELD("trace_id", DataTypes.BYTES()),
            DataTypes.FIELD("start_micros", DataTypes.BIGINT()),
            DataTypes.FIELD(
                    "process",
                    DataTypes.ROW(
                            DataTypes.FIELD("service_name", DataTypes.STRING()),
                            DataTypes.FIELD("tags", OtlpSpansDecodingFormat.KEY_VALUES))));
    private static final ByteString TRACE =
            ByteString.copyFrom(new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 9});

    private TolerantDeserializationSchema schema;

    @BeforeEach
    void openDecoder() throws Exception {
        RowType physical = (RowType) PHYSICAL.getLogicalType();
        OtlpSpansDeserializationSchema otlp = new OtlpSpansDeserializationSchema(
                new ToInternal(DataStructureConverters.getConverter(PHYSICAL)),
                new int[] {2, 0, 4, 7},
                InternalTypeInfo.of(physical));
        RowType produced = (RowType) DataTypes.ROW(
                        DataTypes.FIELD("operation_name", DataTypes.STRING()),
                        DataTypes.FIELD("trace_id", DataTypes.BYTES()),
                        DataTypes.FIELD("start_micros", DataTypes.BIGINT()),
                        DataTypes.FIELD("process", PHYSICAL.getChildren().get(3)),
                        DataTypes.FIELD("parse-error", DataTypes.STRING()))
                .getLogicalType();
        schema = new TolerantDeserializationSchema(otlp, physical.getChildren(), true, InternalTypeInfo.of(produced));
        schema.open(new DeserializationSchema.InitializationContext() {
            @Override
            public MetricGroup getMetricGroup() {
                return new UnregisteredMetricsGroup();
            }

            @Override
            public UserCodeClassLoader getUserCodeClassLoader() {
                return SimpleUserCodeClassLoader.create(getClass().getClassLoader());
            }
        });
    }

    /** What the planner's context gives a format: the table runtime's converter (its own wrapper is not public). */
    private static final class ToInternal implements DynamicTableSource.DataStructureConverter {
        private final DataStructureConverter<Object, Object> converter;

        ToInternal(DataStructureConverter<Object, Object> converter) {
            this.converter = converter;
        }

        @Override
        public void open(RuntimeConverter.Context context) {
            converter.open(context.getClassLoader());
        }

        @Override
        public Object toInternal(Object external) {
            return converter.toInternalOrNull(external);
        }
    }

    private List<RowData> decode(byte[] record) throws Exception {
        List<RowData> rows = new ArrayList<>();
        schema.deserialize(record, new org.apache.flink.util.Collector<>() {
            @Override
            public void collect(RowData row) {
                rows.add(row);
            }

            @Override
            public void close() {}
        });
        return rows;
    }

    private static KeyValue attribute(String key, String value) {
        return KeyValue.newBuilder()
                .setKey(key)
                .setValue(AnyValue.newBuilder().setStringValue(value))
                .build();
    }

    @Test
    void aBatchBecomesOneRowPerSpanInTheDeclaredColumns() throws Exception {
        Span span = Span.newBuilder()
                .setTraceId(TRACE)
                .setSpanId(ByteString.copyFrom(new byte[8]))
                .setName("GET /")
                .setStartTimeUnixNano(1_714_564_800_123_456_789L)
                .build();
        TracesData batch = TracesData.newBuilder()
                .addResourceSpans(ResourceSpans.newBuilder()
                        .setResource(Resource.newBuilder()
                                .addAttributes(attribute("service.name", "frontend"))
                                .addAttributes(attribute("host.name", "node-1")))
                        .addScopeSpans(ScopeSpans.newBuilder()
                                .addSpans(span)
                                .addSpans(span.toBuilder().setName("b"))))
                .addResourceSpans(ResourceSpans.newBuilder()
                        .addScopeSpans(ScopeSpans.newBuilder()
                                .addSpans(span.toBuilder().setName("c"))))
                .build();

        List<RowData> rows = decode(batch.toByteArray());

        assertThat(rows).hasSize(3);
        RowData first = rows.get(0);
        assertThat(first.getString(0).toString()).isEqualTo("GET /");
        assertThat(first.getBinary(1)).isEqualTo(TRACE.toByteArray());
        assertThat(first.getLong(2)).isEqualTo(1_714_564_800_123_456L);
        assertThat(first.getRow(3, 2).getString(0).toString()).isEqualTo("frontend");
        assertThat(first.getRow(3, 2).getArray(1).size()).isEqualTo(1); // host.name; service.name is the name
        assertThat(first.isNullAt(4)).as("no parse error").isTrue();
        assertThat(rows.get(1).getString(0).toString()).isEqualTo("b");
        assertThat(rows.get(2).getRow(3, 2).getString(0).toString()).isEqualTo("unknown_service");
    }

    @Test
    void recordsThatAreNoBatchWithSpansAreOneRowWithTheParseError() throws Exception {
        List<RowData> garbage = decode(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff});
        List<RowData> empty = decode(new byte[0]);
        List<RowData> tombstone = decode(null);

        assertThat(garbage).hasSize(1);
        assertThat(garbage.get(0).isNullAt(0)).isTrue();
        assertThat(garbage.get(0).getString(4).toString())
                .startsWith("InvalidProtocolBufferException")
                .endsWith("(4 bytes)");
        assertThat(empty).hasSize(1);
        assertThat(empty.get(0).getString(4).toString()).isEqualTo("IOException: a TracesData without spans (0 bytes)");
        assertThat(tombstone).hasSize(1);
        assertThat(tombstone.get(0).getString(4).toString()).contains("tombstone");
    }
}
