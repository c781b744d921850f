package org.tracefeatures.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.tracefeatures.functions.InternalData.asJavaMap;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.formats.common.TimestampFormat;
import org.apache.flink.formats.json.JsonRowDataDeserializationSchema;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.table.data.ArrayData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.runtime.typeutils.InternalTypeInfo;
import org.apache.flink.table.types.DataType;
import org.apache.flink.table.types.logical.RowType;
import org.apache.flink.util.SimpleUserCodeClassLoader;
import org.apache.flink.util.UserCodeClassLoader;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.tracefeatures.functions.JaegerSpanIdFunction;
import org.tracefeatures.functions.JaegerTraceIdFunction;
import org.tracefeatures.functions.JsonDurationMicrosFunction;
import org.tracefeatures.functions.JsonTimestampMicrosFunction;
import org.tracefeatures.functions.ParentReferenceTypeFunction;
import org.tracefeatures.functions.ParentSpanIdFunction;
import org.tracefeatures.functions.TagsMapFunction;

/**
 * Jaeger's JSON spans through the columns that sql/init/input/jaeger-json.sql declares (read from the packaged file),
 * decoded by Flink's json format, then through the functions its span view calls: the edge cases of the mapping.
 */
class JaegerJsonInputTest {
    private static DataType physical;
    private static List<String> columns;
    private static JsonRowDataDeserializationSchema json;
    private static RowData.FieldGetter[] fields;

    @BeforeAll
    static void declareTheInputsColumns() throws Exception {
        TableEnvironment tableEnv = SqlJobRunner.prepare(
                RunOptions.parse("--input", "jaeger-json", "--from", "earliest", "--bounded", "span_count.sql"));
        physical =
                tableEnv.from(SqlScripts.SPAN_SOURCE_TABLE).getResolvedSchema().toPhysicalRowDataType();
        columns = DataType.getFieldNames(physical);
        RowType rowType = (RowType) physical.getLogicalType();
        json = new JsonRowDataDeserializationSchema(
                rowType, InternalTypeInfo.of(rowType), false, false, TimestampFormat.ISO_8601);
        json.open(new DeserializationSchema.InitializationContext() {
            @Override
            public MetricGroup getMetricGroup() {
                return new UnregisteredMetricsGroup();
            }

            @Override
            public UserCodeClassLoader getUserCodeClassLoader() {
                return SimpleUserCodeClassLoader.create(JaegerJsonInputTest.class.getClassLoader());
            }
        });
        fields = new RowData.FieldGetter[rowType.getFieldCount()];
        for (int i = 0; i < fields.length; i++) {
            fields[i] = RowData.createFieldGetter(rowType.getTypeAt(i), i);
        }
    }

    /** The span as the json format gives it to the span view: Flink's internal data. */
    private static RowData decode(String span) throws Exception {
        return json.deserialize(span.getBytes(StandardCharsets.UTF_8));
    }

    private static Object field(RowData row, String column) {
        return fields[columns.indexOf(column)].getFieldOrNull(row);
    }

    private static String text(RowData row, String column) {
        Object value = field(row, column);
        return value == null ? null : value.toString();
    }

    @Test
    void aRootSpanWithItsZeroValuesLeftOut() throws Exception {
        // as gogo jsonpb writes a root server span: no references, no duration (0), no vType for STRING tags,
        // no vBool for false, no vInt64 for 0, int64 values as strings; the trace id of a 64-bit id has 16 bytes
        RowData span = decode("{\"traceId\":\"AAAAAAAAAAAAAAAAAAAB/w==\",\"spanId\":\"AAAAAAAAAAE=\","
                + "\"operationName\":\"/dispatch\",\"flags\":1,\"startTime\":\"2024-05-01T12:00:00.000123Z\","
                + "\"tags\":[{\"key\":\"span.kind\",\"vStr\":\"server\"},{\"key\":\"cache.hit\",\"vType\":\"BOOL\"},"
                + "{\"key\":\"retries\",\"vType\":\"INT64\"},{\"key\":\"http.status_code\",\"vType\":\"INT64\","
                + "\"vInt64\":\"503\"},{\"key\":\"error\",\"vType\":\"BOOL\",\"vBool\":true},{\"key\":\"empty\"}],"
                + "\"process\":{\"serviceName\":\"frontend\",\"tags\":[{\"key\":\"ip\",\"vStr\":\"10.0.0.1\"}]}}");

        byte[] traceId = (byte[]) field(span, "traceId");
        assertThat(new JaegerTraceIdFunction().eval(traceId)).hasToString("00000000000001ff");
        assertThat(new JaegerSpanIdFunction().eval((byte[]) field(span, "spanId")))
                .hasToString("0000000000000001");
        ArrayData references = (ArrayData) field(span, "references");
        assertThat(references).isNull();
        assertThat(new ParentSpanIdFunction().eval(references, traceId)).isNull();
        assertThat(new ParentReferenceTypeFunction().eval(references, traceId)).isNull();
        assertThat(new JsonTimestampMicrosFunction().eval(text(span, "startTime")))
                .isEqualTo(1_714_564_800_000_123L);
        assertThat(field(span, "duration")).isNull();
        assertThat(new JsonDurationMicrosFunction().eval(text(span, "duration")))
                .isZero();
        assertThat(asJavaMap(new TagsMapFunction().eval((ArrayData) field(span, "tags"))))
                .isEqualTo(Map.of(
                        "span.kind",
                        "server",
                        "cache.hit",
                        "false",
                        "retries",
                        "0",
                        "http.status_code",
                        "503",
                        "error",
                        "true",
                        "empty",
                        ""));
        RowData process = (RowData) field(span, "process");
        assertThat(process.getString(0)).hasToString("frontend");
        assertThat(asJavaMap(new TagsMapFunction().eval(process.getArray(1)))).isEqualTo(Map.of("ip", "10.0.0.1"));
    }

    @Test
    void aChildOfReferenceHasNoRefTypeAndAFollowsFromOneHasIt() throws Exception {
        RowData childOf = decode("{\"traceId\":\"EgAAAAAAAAAAAAAAAAAAKg==\",\"spanId\":\"AAAAAAAAAAI=\","
                + "\"references\":[{\"traceId\":\"EgAAAAAAAAAAAAAAAAAAKg==\",\"spanId\":\"AAAAAAAAAAE=\"}],"
                + "\"startTime\":\"2024-05-01T12:00:00Z\",\"duration\":\"0.022938s\"}");
        RowData followsFrom = decode("{\"traceId\":\"EgAAAAAAAAAAAAAAAAAAKg==\",\"spanId\":\"AAAAAAAAAAM=\","
                + "\"references\":[{\"traceId\":\"EgAAAAAAAAAAAAAAAAAAKg==\",\"spanId\":\"AAAAAAAAAAE=\","
                + "\"refType\":\"FOLLOWS_FROM\"}],\"startTime\":\"2024-05-01T12:00:00Z\"}");

        byte[] traceId = (byte[]) field(childOf, "traceId");
        assertThat(new JaegerTraceIdFunction().eval(traceId)).hasToString("1200000000000000000000000000002a");
        assertThat(new ParentSpanIdFunction().eval((ArrayData) field(childOf, "references"), traceId))
                .hasToString("0000000000000001");
        assertThat(new ParentReferenceTypeFunction().eval((ArrayData) field(childOf, "references"), traceId))
                .isEqualTo("CHILD_OF");
        assertThat(new JsonDurationMicrosFunction().eval(text(childOf, "duration")))
                .isEqualTo(22_938L);
        assertThat(new ParentReferenceTypeFunction().eval((ArrayData) field(followsFrom, "references"), traceId))
                .isEqualTo("FOLLOWS_FROM");
    }

    @Test
    void an8ByteTraceIdIsTheSameTraceAsItsSixteenByteForm() throws Exception {
        // older clients' 64-bit ids: 8 bytes; Jaeger's model writes the same id as 16 bytes, high half zero
        RowData eight = decode("{\"traceId\":\"AAAAAAAAAf8=\",\"spanId\":\"AAAAAAAAAAI=\","
                + "\"references\":[{\"traceId\":\"AAAAAAAAAAAAAAAAAAAB/w==\",\"spanId\":\"AAAAAAAAAAE=\"}],"
                + "\"startTime\":\"2024-05-01T12:00:00Z\"}");

        byte[] traceId = (byte[]) field(eight, "traceId");
        assertThat(traceId).hasSize(8);
        assertThat(new JaegerTraceIdFunction().eval(traceId)).hasToString("00000000000001ff");
        // the reference's 16-byte id names the same trace, so it is the parent
        assertThat(new ParentSpanIdFunction().eval((ArrayData) field(eight, "references"), traceId))
                .hasToString("0000000000000001");
    }
}
