package org.tracefeatures.elasticsearch;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.elasticsearch.ElasticsearchStatusException;
import org.elasticsearch.action.index.IndexRequest;
import org.elasticsearch.common.xcontent.XContentHelper;
import org.elasticsearch.common.xcontent.XContentType;
import org.elasticsearch.index.VersionType;
import org.elasticsearch.rest.RestStatus;
import org.junit.jupiter.api.Test;
import org.tracefeatures.elasticsearch.RefusedDocumentHandler.Kind;

class RefusedDocumentHandlerTest {
    private static final String FIELD_LIMIT = "Elasticsearch exception [type=illegal_argument_exception, "
            + "reason=Limit of total fields [10000] in index [trace-features-2026-12-05] has been exceeded]";
    private static final String WRITE_BLOCK = "Elasticsearch exception [type=cluster_block_exception, "
            + "reason=index [trace-features-2026-12-05] blocked by: [FORBIDDEN/8/index write (api)];]";
    private static final String MAPPING = "Elasticsearch exception [type=mapper_parsing_exception, "
            + "reason=failed to parse field [spanCount] of type [integer]]";

    @Test
    void refusalsForTheMomentAreRetried() {
        assertThat(RefusedDocumentHandler.kind(429, "es_rejected_execution_exception", false))
                .isEqualTo(Kind.RETRY);
        assertThat(RefusedDocumentHandler.kind(503, "unavailable_shards_exception", false))
                .isEqualTo(Kind.RETRY);
        assertThat(RefusedDocumentHandler.kind(-1, "Connection refused", false)).isEqualTo(Kind.RETRY);
        // a write block answers 403, but it lifts: retried, not taken for refused credentials
        assertThat(RefusedDocumentHandler.kind(403, WRITE_BLOCK, false)).isEqualTo(Kind.RETRY);
    }

    @Test
    void documentsOverTheFieldLimitAreReducedAndOlderVersionsSuperseded() {
        assertThat(RefusedDocumentHandler.kind(400, FIELD_LIMIT, false)).isEqualTo(Kind.REDUCE);
        assertThat(RefusedDocumentHandler.kind(409, "version_conflict_engine_exception", false))
                .isEqualTo(Kind.SUPERSEDED);
    }

    @Test
    void aBulkRequestThatFailedAsAWholeTakesItsStatusFromTheAnswer() {
        assertThat(RefusedDocumentHandler.statusOf(new java.io.IOException(
                        new ElasticsearchStatusException("unauthorized", RestStatus.UNAUTHORIZED))))
                .isEqualTo(401);
        assertThat(RefusedDocumentHandler.statusOf(new java.net.ConnectException("Connection refused")))
                .isEqualTo(-1);
    }

    @Test
    void documentsRefusedForWhatTheyContainAreSkippedAndRefusedCredentialsFail() {
        assertThat(RefusedDocumentHandler.kind(400, MAPPING, false)).isEqualTo(Kind.SKIP);
        // an id over 512 bytes fails the client's validation before anything is sent, whatever the status says
        assertThat(RefusedDocumentHandler.kind(-1, "Validation Failed: 1: id [aaa…] is too long", true))
                .isEqualTo(Kind.SKIP);
        assertThat(RefusedDocumentHandler.kind(401, "security_exception", false))
                .isEqualTo(Kind.FAIL);
        assertThat(RefusedDocumentHandler.kind(
                        403, "security_exception: action [indices:data/write/bulk] is " + "unauthorized", false))
                .isEqualTo(Kind.FAIL);
    }

    @Test
    void aReducedDocumentKeepsEveryTotalUnderOtherAndSaysWhy() {
        IndexRequest refused = new IndexRequest("trace-features-2026-12-05")
                .id("00000000000000a1")
                .source("""
                {"traceId":"00000000000000a1","spanCount":53,"rootDurationMicros":700,
                 "spanCounts":{"route::/GetShortestRoute":10,"users::GET /users/1":43},
                 "criticalPath":{"frontend::/dispatch":300,"route::/GetShortestRoute":400},
                 "errorServices":["route"],"warnings":[]}""", XContentType.JSON)
                .version(1_796_464_800_000_000L)
                .versionType(VersionType.EXTERNAL);

        IndexRequest reduced = RefusedDocumentHandler.reduce(refused, FIELD_LIMIT);

        assertThat(reduced.index()).isEqualTo("trace-features-2026-12-05");
        assertThat(reduced.id()).isEqualTo("00000000000000a1");
        // the same version: a reduced document never overtakes a newer one
        assertThat(reduced.version()).isEqualTo(1_796_464_800_000_000L);
        assertThat(reduced.versionType()).isEqualTo(VersionType.EXTERNAL);
        Map<String, Object> source = XContentHelper.convertToMap(reduced.source(), true, reduced.getContentType())
                .v2();
        // 10 + 43 = 53 = spanCount; 300 + 400 = 700 = rootDurationMicros
        assertThat(source)
                .containsEntry("spanCounts", Map.of("_other", 53))
                .containsEntry("criticalPath", Map.of("_other", 700))
                .containsEntry("spanCount", 53)
                .containsEntry("traceId", "00000000000000a1")
                .containsEntry("reduced", FIELD_LIMIT);
    }
}
