package org.tracefeatures.cli.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TimeRangeTest {
    static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void theQueryAsksForTheFirstAndLastTimestampSinceTheGivenInstant() throws Exception {
        String query = TimeRange.query(Optional.of(Instant.parse("2025-11-24T10:00:00.250Z")));

        assertThat(JSON.readTree(query)).isEqualTo(JSON.readTree("""
                {"size": 0,
                 "query": {"range": {"@timestamp": {"gte": 1763978400250, "format": "epoch_millis"}}},
                 "aggs": {"first": {"min": {"field": "@timestamp"}},
                          "last": {"max": {"field": "@timestamp"}}}}
                """));
    }

    @Test
    void withoutSinceTheQueryTakesEveryDocument() throws Exception {
        assertThat(JSON.readTree(TimeRange.query(Optional.empty())).has("query"))
                .isFalse();
    }

    @Test
    void theRangeIsReadFromMinAndMax() throws Exception {
        // Elasticsearch answers a date's min and max as doubles, with the text beside them
        JsonNode response = JSON.readTree("""
                {"hits": {"total": {"value": 35, "relation": "eq"}, "hits": []},
                 "aggregations": {
                   "first": {"value": 1.763978400250E12, "value_as_string": "2025-11-24T10:00:00.250Z"},
                   "last": {"value": 1.763978400549E12, "value_as_string": "2025-11-24T10:00:00.549Z"}}}
                """);

        assertThat(TimeRange.from(response)).contains(new TimeRange(1763978400250L, 1763978400549L));
    }

    @Test
    void noMatchingDocumentAndNoIndexBothGiveNoRange() throws Exception {
        JsonNode emptyIndex = JSON.readTree("""
                {"hits": {"total": {"value": 0, "relation": "eq"}, "hits": []},
                 "aggregations": {"first": {"value": null}, "last": {"value": null}}}
                """);
        JsonNode noIndex = JSON.readTree("""
                {"_shards": {"total": 0, "successful": 0, "skipped": 0, "failed": 0},
                 "hits": {"total": {"value": 0, "relation": "eq"}, "max_score": 0.0, "hits": []}}
                """);

        assertThat(TimeRange.from(emptyIndex)).isEmpty();
        assertThat(TimeRange.from(noIndex)).isEmpty();
    }

    @Test
    void aRangeCannotEndBeforeItStarts() {
        assertThatThrownBy(() -> new TimeRange(10, 9)).hasMessageContaining("ends (9) before it starts (10)");
    }
}
