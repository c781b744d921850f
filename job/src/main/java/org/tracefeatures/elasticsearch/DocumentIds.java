package org.tracefeatures.elasticsearch;

import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.LocalDate;
import java.util.HexFormat;
import java.util.List;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.table.types.logical.LogicalTypeRoot;

/**
 * The document id of a row: its primary key columns as text, joined with '_' when there are several (as the
 * {@code elasticsearch-7} connector names them), and replaced by the SHA-256 of that text in 64 hex digits when
 * it is longer than the {@value #MAX_ID_BYTES} bytes that Elasticsearch takes. The same row always gets the same id.
 */
public final class DocumentIds implements Serializable {
    private static final long serialVersionUID = 1L;
    /** Elasticsearch refuses a longer {@code _id}. */
    public static final int MAX_ID_BYTES = 512;

    private final RowData.FieldGetter[] getters;
    private final boolean[] dates;

    DocumentIds(int[] keyPositions, List<LogicalType> types) {
        getters = new RowData.FieldGetter[keyPositions.length];
        dates = new boolean[keyPositions.length];
        for (int i = 0; i < keyPositions.length; i++) {
            LogicalType type = types.get(keyPositions[i]);
            getters[i] = RowData.createFieldGetter(type, keyPositions[i]);
            dates[i] = type.getTypeRoot() == LogicalTypeRoot.DATE;
        }
    }

    /** Null when the table has no primary key: Elasticsearch picks an id. */
    String of(RowData row) {
        if (getters.length == 0) {
            return null;
        }
        StringBuilder id = new StringBuilder();
        for (int i = 0; i < getters.length; i++) {
            if (i > 0) {
                id.append('_');
            }
            Object value = getters[i].getFieldOrNull(row);
            if (value == null) {
                id.append("null");
            } else if (dates[i]) {
                id.append(LocalDate.ofEpochDay((Integer) value));
            } else {
                id.append(value);
            }
        }
        return bounded(id.toString());
    }

    /** The id itself when Elasticsearch takes it, else its SHA-256 in hex. */
    public static String bounded(String id) {
        byte[] bytes = id.getBytes(StandardCharsets.UTF_8);
        if (bytes.length <= MAX_ID_BYTES) {
            return id;
        }
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
