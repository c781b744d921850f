package org.tracefeatures.jaeger;

/**
 * Jaeger's typed key-values (span tags, process tags) as every span input declares them in SQL: flink-protobuf's
 * mapping of {@code jaeger.api_v2.KeyValue}, which the OTLP format gives too and TAGS_MAP reads.
 */
public final class KeyValues {
    /** The SQL type, for the functions' type hints and the formats' row types. */
    public static final String SQL_TYPE = "ARRAY<ROW<key STRING, v_type STRING, v_str STRING, v_bool BOOLEAN,"
            + " v_int64 BIGINT, v_float64 DOUBLE, v_binary BYTES>>";
    /** The fields of one key-value row. */
    public static final int FIELDS = 7;

    private KeyValues() {}
}
