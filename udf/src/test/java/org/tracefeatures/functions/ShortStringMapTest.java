package org.tracefeatures.functions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.data.binary.BinaryStringData;
import org.junit.jupiter.api.Test;

class ShortStringMapTest {

    private static StringData s(String text) {
        return StringData.fromString(text);
    }

    @Test
    void growsPastItsExpectedSizeAndKeepsInsertionOrder() {
        ShortStringMap map = new ShortStringMap(1);
        assertThat(map.put(s("span.kind"), s("server"))).isNull();
        assertThat(map.put(s("error"), s("true"))).isNull();
        assertThat(map.put(s("test_name"), s("t1"))).isNull();

        assertThat(map).hasSize(3);
        assertThat(map.keySet()).containsExactly(s("span.kind"), s("error"), s("test_name"));
        assertThat(map).isEqualTo(Map.of(s("span.kind"), s("server"), s("error"), s("true"), s("test_name"), s("t1")));
    }

    @Test
    void putOfAKeyItHasReplacesTheValueAndGivesTheOldOne() {
        ShortStringMap map = new ShortStringMap(2);
        map.put(s("span.kind"), s("server"));

        assertThat(map.put(s("span.kind"), s("client"))).isEqualTo(s("server"));
        assertThat(map).hasSize(1);
        assertThat(map.get(s("span.kind"))).isEqualTo(s("client"));
    }

    @Test
    void putIfAbsentKeepsTheFirstValueAndAddsANewKey() {
        ShortStringMap map = new ShortStringMap(1);
        assertThat(map.putIfAbsent(s("span.kind"), s("server"))).isNull();
        assertThat(map.putIfAbsent(s("span.kind"), s("client"))).isEqualTo(s("server"));
        assertThat(map.putIfAbsent(s("error"), s("true"))).isNull();

        assertThat(map).isEqualTo(Map.of(s("span.kind"), s("server"), s("error"), s("true")));
        assertThatThrownBy(() -> map.putIfAbsent(null, s("x"))).isInstanceOf(NullPointerException.class);
    }

    @Test
    void looksUpKeysHeldAsJavaTextOrAsUtf8BytesAndMissesOthers() {
        ShortStringMap map = new ShortStringMap(0);
        map.put(BinaryStringData.fromBytes("span.kind".getBytes(StandardCharsets.UTF_8)), s("server"));

        assertThat(map.get(s("span.kind"))).isEqualTo(s("server"));
        assertThat(map.containsKey(s("span.kind"))).isTrue();
        // same length, other bytes; a prefix; not a string at all; null
        assertThat(map.get(s("span.kinx"))).isNull();
        assertThat(map.get(s("span"))).isNull();
        assertThat(map.get("span.kind")).isNull();
        assertThat(map.get(null)).isNull();
        assertThat(new ShortStringMap(0).get(s("span.kind"))).isNull();
    }

    @Test
    void refusesNullKeysAndValues() {
        assertThatThrownBy(() -> new ShortStringMap(1).put(null, s("x"))).isInstanceOf(NullPointerException.class);
        ShortStringMap map = new ShortStringMap(1);
        map.put(s("span.kind"), s("server"));
        assertThatThrownBy(() -> map.put(s("error"), null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> map.put(s("span.kind"), null)).isInstanceOf(NullPointerException.class);
        assertThat(map.get(s("span.kind"))).isEqualTo(s("server"));
    }
}
