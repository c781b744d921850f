package org.tracefeatures.elasticsearch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import org.apache.flink.table.api.ValidationException;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.data.TimestampData;
import org.apache.flink.table.types.logical.BigIntType;
import org.apache.flink.table.types.logical.LocalZonedTimestampType;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.table.types.logical.VarCharType;
import org.junit.jupiter.api.Test;

class IndexNameTest {
    private static final List<String> COLUMNS = List.of("traceId", "@timestamp", "spanCount");
    private static final List<LogicalType> TYPES =
            List.of(VarCharType.STRING_TYPE, new LocalZonedTimestampType(3), new BigIntType());

    @Test
    void aDailyIndexIsTheUtcDayOfTheDocumentsOwnTime() {
        IndexName index = IndexName.parse("trace-features-{@timestamp|yyyy-MM-dd}", COLUMNS, TYPES, "t");
        // 23:59:59.999 UTC is still the 5th, whatever the machine's zone
        assertThat(index.of(row("2026-12-05T23:59:59.999Z"))).isEqualTo("trace-features-2026-12-05");
        assertThat(index.of(row("2026-12-06T00:00:00Z"))).isEqualTo("trace-features-2026-12-06");
        assertThat(index.of(row("2026-12-06T00:00:00.001Z"))).isEqualTo("trace-features-2026-12-06");
    }

    @Test
    void aFixedNameIsTakenAsItIs() {
        IndexName index = IndexName.parse("trace-features-it-x", COLUMNS, TYPES, "t");
        assertThat(index.of(row("2026-12-05T10:00:00Z"))).isEqualTo("trace-features-it-x");
        assertThat(index.of(row("2026-12-06T00:00:00Z"))).isEqualTo("trace-features-it-x");
    }

    @Test
    void patternsItCannotUseFailWithWhatToWrite() {
        assertThatThrownBy(() -> IndexName.parse("x-{time|yyyy-MM-dd}", COLUMNS, TYPES, "t"))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("names column 'time'");
        assertThatThrownBy(() -> IndexName.parse("x-{spanCount|yyyy-MM-dd}", COLUMNS, TYPES, "t"))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("must be a TIMESTAMP");
        assertThatThrownBy(() -> IndexName.parse("x-{@timestamp}", COLUMNS, TYPES, "t"))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("{@timestamp|yyyy-MM-dd}");
    }

    private static GenericRowData row(String time) {
        return GenericRowData.of(StringData.fromString("a1"), TimestampData.fromInstant(Instant.parse(time)), 1L);
    }
}
