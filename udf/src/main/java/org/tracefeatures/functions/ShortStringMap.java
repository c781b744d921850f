package org.tracefeatures.functions;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Arrays;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;
import org.apache.flink.table.data.StringData;

/**
 * A map of a few strings to strings, kept as two arrays in insertion order and searched from the start.
 * For the handful of tags a span has, comparing the wanted key's bytes with each key (most differ in
 * length at once) costs less than hashing it: Flink's binary strings do not keep their hash, so a
 * {@code HashMap} hashes the literal of {@code tags['span.kind']} anew at every lookup, and each key twice
 * while the map is built. Null keys and values are not allowed, so a key present always has a value
 * (as {@code putIfAbsent} assumes).
 */
final class ShortStringMap extends AbstractMap<StringData, StringData> {
    private StringData[] keys;
    private StringData[] values;
    private int size;

    ShortStringMap(int expectedSize) {
        keys = new StringData[Math.max(expectedSize, 1)];
        values = new StringData[keys.length];
    }

    private int indexOf(Object key) {
        for (int i = 0; i < size; i++) {
            if (keys[i].equals(key)) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public StringData get(Object key) {
        int i = indexOf(key);
        return i < 0 ? null : values[i];
    }

    @Override
    public boolean containsKey(Object key) {
        return indexOf(key) >= 0;
    }

    @Override
    public StringData put(StringData key, StringData value) {
        int i = indexOf(key);
        if (i < 0) {
            append(key, value);
            return null;
        }
        StringData previous = values[i];
        values[i] = Objects.requireNonNull(value, "ShortStringMap takes no null value");
        return previous;
    }

    private void append(StringData key, StringData value) {
        Objects.requireNonNull(key, "ShortStringMap takes no null key");
        Objects.requireNonNull(value, "ShortStringMap takes no null value");
        if (size == keys.length) {
            keys = Arrays.copyOf(keys, size * 2);
            values = Arrays.copyOf(values, size * 2);
        }
        keys[size] = key;
        values[size++] = value;
    }

    /** One search, where {@code containsKey} and then {@code put} would search twice. */
    @Override
    public StringData putIfAbsent(StringData key, StringData value) {
        int i = indexOf(key);
        if (i >= 0) {
            return values[i];
        }
        append(key, value);
        return null;
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public Set<Entry<StringData, StringData>> entrySet() {
        return new AbstractSet<>() {
            @Override
            public Iterator<Entry<StringData, StringData>> iterator() {
                return new Iterator<>() {
                    private int next;

                    @Override
                    public boolean hasNext() {
                        return next < size;
                    }

                    @Override
                    public Entry<StringData, StringData> next() {
                        if (next >= size) {
                            throw new NoSuchElementException();
                        }
                        Entry<StringData, StringData> entry = new SimpleImmutableEntry<>(keys[next], values[next]);
                        next++;
                        return entry;
                    }
                };
            }

            @Override
            public int size() {
                return size;
            }
        };
    }
}
