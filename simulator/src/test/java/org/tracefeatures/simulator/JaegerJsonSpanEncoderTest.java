package org.tracefeatures.simulator;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.google.protobuf.Duration;
import com.google.protobuf.Timestamp;
import io.jaegertracing.api_v2.KeyValue;
import io.jaegertracing.api_v2.Log;
import io.jaegertracing.api_v2.Process;
import io.jaegertracing.api_v2.Span;
import io.jaegertracing.api_v2.SpanRef;
import io.jaegertracing.api_v2.SpanRefType;
import io.jaegertracing.api_v2.ValueType;
import java.time.Instant;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.tracefeatures.jaeger.JaegerIds;

class JaegerJsonSpanEncoderTest {

    private static final ByteString TRACE_ID = ByteString.copyFrom(JaegerIds.traceIdBytes(0, 0x1ff));
    private static final ByteString PARENT = ByteString.copyFrom(JaegerIds.spanIdBytes(1));

    private static String json(Span span) {
        return new String(new JaegerJsonSpanEncoder().encode(span), UTF_8);
    }

    @Test
    void writesTheSpanAsGogoJsonpbDoesLeavingZeroValuesOut() {
        Span span = Span.newBuilder()
                .setTraceId(TRACE_ID)
                .setSpanId(ByteString.copyFrom(JaegerIds.spanIdBytes(2)))
                .setOperationName("HTTP GET")
                .addReferences(SpanRef.newBuilder()
                        .setTraceId(TRACE_ID)
                        .setSpanId(PARENT)
                        .setRefType(SpanRefType.CHILD_OF))
                .addReferences(SpanRef.newBuilder()
                        .setTraceId(TRACE_ID)
                        .setSpanId(PARENT)
                        .setRefType(SpanRefType.FOLLOWS_FROM))
                .setFlags(1)
                // 2024-05-01T12:00:00.000123Z, 22,938 us
                .setStartTime(Timestamp.newBuilder().setSeconds(1_714_564_800L).setNanos(123_000))
                .setDuration(Duration.newBuilder().setNanos(22_938_000))
                .addTags(KeyValue.newBuilder().setKey("span.kind").setVStr("client"))
                .addTags(KeyValue.newBuilder()
                        .setKey("error")
                        .setVType(ValueType.BOOL)
                        .setVBool(true))
                .addTags(KeyValue.newBuilder().setKey("cache.hit").setVType(ValueType.BOOL))
                .addTags(KeyValue.newBuilder().setKey("retries").setVType(ValueType.INT64))
                .addTags(KeyValue.newBuilder()
                        .setKey("http.status_code")
                        .setVType(ValueType.INT64)
                        .setVInt64(503))
                .addTags(KeyValue.newBuilder()
                        .setKey("load")
                        .setVType(ValueType.FLOAT64)
                        .setVFloat64(0.25))
                .addTags(KeyValue.newBuilder()
                        .setKey("blob")
                        .setVType(ValueType.BINARY)
                        .setVBinary(ByteString.copyFrom(new byte[] {(byte) 0xfb, (byte) 0xff})))
                .addLogs(Log.newBuilder()
                        .setTimestamp(Timestamp.newBuilder().setSeconds(1_714_564_801L))
                        .addFields(KeyValue.newBuilder().setKey("event").setVStr("error")))
                .setProcess(Process.newBuilder()
                        .setServiceName("frontend")
                        .addTags(
                                KeyValue.newBuilder().setKey("service-instance").setVStr("frontend-0")))
                .build();

        // worked out from gogo jsonpb's rules: base64 ids (a trace id always 16 bytes), no refType for CHILD_OF, no
        // vType for STRING, no vBool for false, no vInt64 for 0, int64 as a string, times to as few of 0/3/6/9
        // fractional digits as they need
        assertThat(json(span))
                .isEqualTo("{\"traceId\":\"AAAAAAAAAAAAAAAAAAAB/w==\",\"spanId\":\"AAAAAAAAAAI=\","
                        + "\"operationName\":\"HTTP GET\",\"references\":[{\"traceId\":\"AAAAAAAAAAAAAAAAAAAB/w==\","
                        + "\"spanId\":\"AAAAAAAAAAE=\"},{\"traceId\":\"AAAAAAAAAAAAAAAAAAAB/w==\",\"spanId\":\"AAAAAAAAAAE=\","
                        + "\"refType\":\"FOLLOWS_FROM\"}],\"flags\":1,\"startTime\":\"2024-05-01T12:00:00.000123Z\","
                        + "\"duration\":\"0.022938s\",\"tags\":[{\"key\":\"span.kind\",\"vStr\":\"client\"},"
                        + "{\"key\":\"error\",\"vType\":\"BOOL\",\"vBool\":true},{\"key\":\"cache.hit\",\"vType\":\"BOOL\"},"
                        + "{\"key\":\"retries\",\"vType\":\"INT64\"},{\"key\":\"http.status_code\",\"vType\":\"INT64\","
                        + "\"vInt64\":\"503\"},{\"key\":\"load\",\"vType\":\"FLOAT64\",\"vFloat64\":0.25},"
                        + "{\"key\":\"blob\",\"vType\":\"BINARY\",\"vBinary\":\"+/8=\"}],"
                        + "\"logs\":[{\"timestamp\":\"2024-05-01T12:00:01Z\",\"fields\":[{\"key\":\"event\",\"vStr\":\"error\"}]}],"
                        + "\"process\":{\"serviceName\":\"frontend\",\"tags\":[{\"key\":\"service-instance\","
                        + "\"vStr\":\"frontend-0\"}]}}");
    }

    @Test
    void aRootWithAZeroDurationHasNeitherReferencesNorDuration() {
        Span root = Span.newBuilder()
                .setTraceId(TRACE_ID)
                .setSpanId(PARENT)
                .setOperationName("runTest")
                .setStartTime(Timestamp.newBuilder().setSeconds(1_714_564_800L))
                .build();

        assertThat(json(root))
                .isEqualTo("{\"traceId\":\"AAAAAAAAAAAAAAAAAAAB/w==\",\"spanId\":\"AAAAAAAAAAE=\","
                        + "\"operationName\":\"runTest\",\"startTime\":\"2024-05-01T12:00:00Z\"}");
    }

    @Test
    void timesHaveZeroThreeSixOrNineFractionalDigits() {
        assertThat(JaegerJsonSpanEncoder.duration(
                        Duration.newBuilder().setSeconds(1).build()))
                .isEqualTo("1s");
        assertThat(JaegerJsonSpanEncoder.duration(Duration.newBuilder()
                        .setSeconds(1)
                        .setNanos(500_000_000)
                        .build()))
                .isEqualTo("1.500s");
        assertThat(JaegerJsonSpanEncoder.duration(
                        Duration.newBuilder().setNanos(1).build()))
                .isEqualTo("0.000000001s");
        assertThat(JaegerJsonSpanEncoder.timestamp(Timestamp.newBuilder()
                        .setSeconds(0)
                        .setNanos(120_000_000)
                        .build()))
                .isEqualTo("1970-01-01T00:00:00.120Z");
    }

    @Test
    void writesOneRecordPerSpanKeyedByTheTraceId() {
        GeneratedTrace trace = new TraceGenerator(SimulatorConfig.load("hotrod-original"), "t")
                .generate(0, new SplittableRandom(1), Instant.parse("2024-05-01T12:00:00Z"));

        List<EncodedRecord> records = new JaegerJsonSpanEncoder().encode(trace);

        assertThat(records).hasSize(53);
        assertThat(records).allSatisfy(record -> {
            assertThat(new String(record.key(), UTF_8)).isEqualTo(trace.traceIdString());
            assertThat(record.spans()).isEqualTo(1);
        });
        assertThat(new String(records.get(52).value(), UTF_8))
                .contains("\"operationName\":\"runTest\"")
                .doesNotContain("references");
    }
}
