package org.tracefeatures.functions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.tracefeatures.functions.InternalData.asJavaMap;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.table.data.GenericArrayData;
import org.apache.flink.table.data.GenericMapData;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.MapData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.data.binary.BinaryStringData;
import org.junit.jupiter.api.Test;

/** TAGS_MAP on tags as flink-protobuf decodes them: Flink's internal arrays of rows. */
class TagsMapFunctionTest {

    /** A jaeger.api_v2.KeyValue as flink-protobuf gives it: every field set, proto3 defaults where unused. */
    private static GenericRowData tag(
            String key, String type, String str, boolean bool, long int64, double float64, byte[] binary) {
        return GenericRowData.of(
                StringData.fromString(key),
                StringData.fromString(type),
                StringData.fromString(str),
                bool,
                int64,
                float64,
                binary);
    }

    @Test
    void everyTypedValueBecomesTextAndTheFirstOfARepeatedKeyWins() {
        GenericArrayData tags = new GenericArrayData(new Object[] {
            tag("span.kind", "STRING", "server", false, 0, 0.0, new byte[0]),
            tag("error", "BOOL", "", true, 0, 0.0, new byte[0]),
            tag("http.status_code", "INT64", "", false, 503, 0.0, new byte[0]),
            tag("sampler.param", "FLOAT64", "", false, 0, 0.5, new byte[0]),
            tag("payload", "BINARY", "", false, 0, 0.0, new byte[] {1, 2, 3}),
            tag("span.kind", "STRING", "client", false, 0, 0.0, new byte[0]),
            null,
            GenericRowData.of(
                    null, StringData.fromString("STRING"), StringData.fromString("no key"), false, 0L, 0.0, new byte[0])
        });

        // base64 of the bytes 1, 2, 3 is "AQID"; the second span.kind (client) is dropped; the null tag and the
        // tag without a key have no entry
        assertThat(asJavaMap(new TagsMapFunction().eval(tags)))
                .isEqualTo(Map.of(
                        "span.kind",
                        "server",
                        "error",
                        "true",
                        "http.status_code",
                        "503",
                        "sampler.param",
                        "0.5",
                        "payload",
                        "AQID"));
    }

    @Test
    void aSpanWithMoreTagsThanAShortMapHoldsKeepsTheFirstValueOfEveryKey() {
        // 20 keys, each given twice (k0..k19 = "first", then k0..k19 = "second"): 40 tags, past the short map
        Object[] tags = new Object[40];
        Map<String, String> expected = new HashMap<>();
        for (int i = 0; i < 20; i++) {
            tags[i] = tag("k" + i, "STRING", "first", false, 0, 0.0, new byte[0]);
            tags[20 + i] = tag("k" + i, "STRING", "second", false, 0, 0.0, new byte[0]);
            expected.put("k" + i, "first");
        }

        MapData map = new TagsMapFunction().eval(new GenericArrayData(tags));

        assertThat(TagsMapFunction.SHORT_MAP_MAX_TAGS).isLessThan(40);
        assertThat(asJavaMap(map)).isEqualTo(expected);
        assertThat(((GenericMapData) map).get(StringData.fromString("k19"))).hasToString("first");
    }

    @Test
    void noTagsGiveAnEmptyMap() {
        assertThat(new TagsMapFunction().eval(null).size()).isZero();
        assertThat(new TagsMapFunction()
                        .eval(new GenericArrayData(new Object[0]))
                        .size())
                .isZero();
        // what tags['span.kind'] does on a span without tags
        assertThat(((GenericMapData) new TagsMapFunction().eval(null)).get(StringData.fromString("span.kind")))
                .isNull();
    }

    @Test
    void aKeyLooksUpTheValueWhetherTheKeyIsHeldAsJavaTextOrAsUtf8Bytes() {
        // the generated code of tags['span.kind'] looks the key up in the map; the literal may be either form
        GenericArrayData tags = new GenericArrayData(new Object[] {
            tag("span.kind", "STRING", "server", false, 0, 0.0, new byte[0]),
            tag("test_name", "STRING", "hotrod-original", false, 0, 0.0, new byte[0])
        });

        GenericMapData map = (GenericMapData) new TagsMapFunction().eval(tags);

        assertThat(map.get(StringData.fromString("span.kind"))).hasToString("server");
        assertThat(map.get(BinaryStringData.fromBytes("test_name".getBytes(StandardCharsets.UTF_8))))
                .hasToString("hotrod-original");
        assertThat(map.get(StringData.fromString("error"))).isNull();
    }

    @Test
    void aCallWithTheSameArrayGivesTheSameMapAndAnotherArrayItsOwn() {
        // the planner calls TAGS_MAP once per tag a query reads, each time with the row's array object
        TagsMapFunction function = new TagsMapFunction();
        GenericArrayData first =
                new GenericArrayData(new Object[] {tag("span.kind", "STRING", "server", false, 0, 0.0, new byte[0])});
        GenericArrayData second =
                new GenericArrayData(new Object[] {tag("span.kind", "STRING", "client", false, 0, 0.0, new byte[0])});

        MapData firstMap = function.eval(first);
        assertThat(function.eval(first)).isSameAs(firstMap);
        assertThat(asJavaMap(function.eval(second))).isEqualTo(Map.of("span.kind", "client"));
        assertThat(asJavaMap(function.eval(first))).isEqualTo(Map.of("span.kind", "server"));
        assertThat(function.eval(null).size()).isZero();
    }
}
