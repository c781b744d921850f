package org.tracefeatures.elasticsearch;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DocumentIdsTest {
    @Test
    void idsElasticsearchTakesStayAsTheyAre() {
        assertThat(DocumentIds.bounded("00000000000000a1/frontend")).isEqualTo("00000000000000a1/frontend");
        assertThat(DocumentIds.bounded("é".repeat(256))).isEqualTo("é".repeat(256)); // 512 bytes in UTF-8
    }

    @Test
    void longerIdsBecomeTheirSha256() {
        // printf 'a%.0s' $(seq 1 600) | sha256sum
        assertThat(DocumentIds.bounded("a".repeat(600)))
                .isEqualTo("ba35c170729417f1499e0886e7e12fcdb4ab00ad411110ae1e888c766d4ed70d");
        assertThat(DocumentIds.bounded("é".repeat(257))).hasSize(64);
    }
}
