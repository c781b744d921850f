package org.tracefeatures.elasticsearch;

import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.SimpleCounter;
import org.apache.flink.streaming.connectors.elasticsearch.ActionRequestFailureHandler;
import org.apache.flink.streaming.connectors.elasticsearch.RequestIndexer;
import org.elasticsearch.ElasticsearchException;
import org.elasticsearch.action.ActionRequest;
import org.elasticsearch.action.DocWriteRequest;
import org.elasticsearch.action.index.IndexRequest;
import org.elasticsearch.client.ResponseException;
import org.elasticsearch.common.xcontent.XContentHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;

/**
 * What the sink does with a document that Elasticsearch did not take, so that no refusal stops the job:
 * <ul>
 *   <li><b>Refused for the moment</b> (429 queue full or flood-stage disk, a 5xx such as 503, a
 *       {@code cluster_block_exception} of a write-blocked or read-only index, or no answer at all): the document is
 *       handed back to the bulk processor. The first round is sent again at once; from then on the sink waits before
 *       each round, 100 ms doubling up to its {@code sink.retry.max-backoff}. Nothing is lost: a checkpoint completes
 *       only once every document is acknowledged, so the job waits (back-pressured) until Elasticsearch takes the
 *       documents. Metric {@code tracefeatures.documentRetries}; a warning at most every 30 s while it lasts.</li>
 *   <li><b>Superseded</b> (409: a newer version of the document is already written, as when a retried document
 *       was overtaken by a later one of the same id; see {@link DocumentWriter}): dropped, which is right. Metric
 *       {@code tracefeatures.documentsSuperseded}.</li>
 *   <li><b>Over the index's field limit</b>: the document is written again with every object of numbers (the
 *       per-key maps such as {@code spanCounts}) folded into its {@value FieldSafeMap#OTHER} total, which keeps
 *       sums such as sum(spanCounts) = spanCount, and {@code reduced} naming why. Metric
 *       {@code tracefeatures.documentsReduced}.</li>
 *   <li><b>Refused for what it contains</b> (a mapping conflict, a malformed document, a term or id too long, or
 *       a reduced document refused again): skipped. Metric {@code tracefeatures.documentsRefused}.</li>
 *   <li><b>Refused credentials</b> (401, or 403 without a block): the job fails with Elasticsearch's answer,
 *       since every document would be refused alike.</li>
 * </ul>
 * A reduced or skipped document is logged with its id, its index and Elasticsearch's reason (the first 100 of a
 * task, then every 1,000th).
 */
public final class RefusedDocumentHandler implements ActionRequestFailureHandler {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(RefusedDocumentHandler.class);

    public static final String DOCUMENT_RETRIES = "documentRetries";
    public static final String DOCUMENTS_REDUCED = "documentsReduced";
    public static final String DOCUMENTS_REFUSED = "documentsRefused";
    public static final String DOCUMENTS_SUPERSEDED = "documentsSuperseded";
    /** The field of a reduced document that says why it was reduced. */
    public static final String REDUCED_FIELD = "reduced";
    static final String METRIC_GROUP = "tracefeatures";

    private static final long INITIAL_BACKOFF_MILLIS = 100;
    /** After this long without a wait, the next wait starts small again. */
    private static final long RESET_NANOS = 60_000_000_000L;
    private static final long LOG_INTERVAL_NANOS = 30_000_000_000L;
    private static final int LOGGED_IN_FULL = 100;
    private static final int LOG_EVERY = 1_000;
    private static final int MAX_REASON_CHARS = 2_000;

    /** How the sink treats a refusal. */
    enum Kind { RETRY, SUPERSEDED, REDUCE, SKIP, FAIL }

    private final long maxBackoffMillis;
    private transient Counter retries;
    private transient Counter superseded;
    private transient Counter reduced;
    private transient Counter refused;
    /** The requests handed back since the last wait: one of them failing again starts the next round. */
    private transient Set<ActionRequest> retriedSinceWait;
    private transient long backoffMillis;
    private transient long lastWaitNanos;
    private transient long lastRetryLogNanos;
    private transient long loggedRefusals;

    public RefusedDocumentHandler(Duration maxBackoff) {
        this.maxBackoffMillis = Math.max(INITIAL_BACKOFF_MILLIS, maxBackoff.toMillis());
    }

    /** Registers the metrics in the sink task's group; until then the counts are kept but not reported. */
    void open(MetricGroup metrics) {
        MetricGroup group = metrics.addGroup(METRIC_GROUP);
        retries = group.counter(DOCUMENT_RETRIES);
        superseded = group.counter(DOCUMENTS_SUPERSEDED);
        reduced = group.counter(DOCUMENTS_REDUCED);
        refused = group.counter(DOCUMENTS_REFUSED);
    }

    @Override
    public synchronized void onFailure(ActionRequest action, Throwable failure, int restStatusCode,
                                       RequestIndexer indexer) throws Throwable {
        String reason = reason(failure);
        int status = restStatusCode >= 0 ? restStatusCode : statusOf(failure);
        Kind kind = kind(status, reason, action.validate() != null);
        if (kind == Kind.REDUCE && !(action instanceof IndexRequest index && !isReduced(index))) {
            kind = Kind.SKIP;
        }
        DocWriteRequest<?> request = (DocWriteRequest<?>) action;
        switch (kind) {
            case RETRY -> {
                waitBeforeNextRound(action, status, reason);
                counter(retries).inc();
                indexer.add(action);
            }
            case SUPERSEDED -> {
                LOG.debug("Document {} of index {} was superseded by a newer version: {}", request.id(),
                        request.index(), reason);
                counter(superseded).inc();
            }
            case REDUCE -> {
                IndexRequest index = (IndexRequest) action;
                if (shouldLog()) {
                    LOG.warn("Elasticsearch refused document {} of index {} ({}); writing it again with its "
                                    + "per-key fields folded into _other and '{}' set. Raise "
                                    + "index.mapping.total_fields.limit in the index template, or lower FIELD_SAFE_MAP's "
                                    + "limits in the job's SQL.",
                            index.id(), index.index(), reason, REDUCED_FIELD);
                }
                counter(reduced).inc();
                indexer.add(reduce(index, reason));
            }
            case SKIP -> {
                if (shouldLog()) {
                    LOG.warn("Elasticsearch refused document {} of index {} (HTTP {}): {}. The document is skipped "
                                    + "and counted in tracefeatures.documentsRefused; the job goes on. Check the index "
                                    + "template against the document (bin/tracefeatures templates install).",
                            request.id(), request.index(), status, reason);
                }
                counter(refused).inc();
            }
            case FAIL -> throw new IllegalStateException("Elasticsearch refused the sink's requests (HTTP " + status
                    + "): " + reason + ". Check the user name and password of the Elasticsearch tables (the "
                    + "environment part's elasticsearch_connection) and that user's privileges.", failure);
        }
    }

    /**
     * The decision for a refusal, from its HTTP status (-1: no answer) and Elasticsearch's reason; REDUCE is only a
     * candidate, for a document that has not been reduced before.
     */
    static Kind kind(int status, String reason, boolean invalidRequest) {
        if (invalidRequest) {
            return Kind.SKIP;  // refused before it was sent (e.g. an id too long): sending it again changes nothing
        }
        if (status == 429 || status >= 500 || status == -1 || reason.contains("cluster_block_exception")) {
            return Kind.RETRY;
        }
        if (status == 401 || status == 403) {
            return Kind.FAIL;
        }
        if (status == 409) {
            return Kind.SUPERSEDED;
        }
        if (reason.contains("Limit of total fields")) {
            return Kind.REDUCE;
        }
        return Kind.SKIP;
    }

    /**
     * The HTTP status of a failure that came without one (the bulk request failed as a whole): Elasticsearch's
     * answer when there was one, -1 when there was none (no connection, a timeout).
     */
    static int statusOf(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof ElasticsearchException elasticsearch && elasticsearch.status() != null) {
                return elasticsearch.status().getStatus();
            }
            if (cause instanceof ResponseException response) {
                return response.getResponse().getStatusLine().getStatusCode();
            }
        }
        return -1;
    }

    /** The same document with every object whose values are all numbers replaced by its total under _other. */
    static IndexRequest reduce(IndexRequest index, String reason) {
        Map<String, Object> source = XContentHelper.convertToMap(index.source(), true, index.getContentType()).v2();
        for (Map.Entry<String, Object> field : source.entrySet()) {
            if (field.getValue() instanceof Map<?, ?> object && !object.isEmpty()
                    && object.values().stream().allMatch(value -> value instanceof Number)) {
                long total = object.values().stream().mapToLong(value -> ((Number) value).longValue()).sum();
                field.setValue(Map.of(FieldSafeMap.OTHER, total));
            }
        }
        source.put(REDUCED_FIELD, truncate(reason));
        IndexRequest reduced = new IndexRequest(index.index()).source(source)
                .version(index.version()).versionType(index.versionType());
        if (index.id() != null) {
            reduced.id(index.id());
        }
        return reduced;
    }

    private static boolean isReduced(IndexRequest index) {
        return index.source() != null
                && XContentHelper.convertToMap(index.source(), false, index.getContentType()).v2()
                        .containsKey(REDUCED_FIELD);
    }

    /**
     * Waits once per round of retries: a request that fails again after it was handed back starts the next round,
     * and the first of them waits for the round's backoff.
     */
    private void waitBeforeNextRound(ActionRequest action, int status, String reason) throws InterruptedException {
        if (retriedSinceWait == null) {
            retriedSinceWait = Collections.newSetFromMap(new IdentityHashMap<>());
        }
        if (retriedSinceWait.add(action)) {
            return;  // its first failure since the last wait: this round has not been waited for yet
        }
        long now = System.nanoTime();
        if (backoffMillis == 0 || now - lastWaitNanos > RESET_NANOS) {
            backoffMillis = INITIAL_BACKOFF_MILLIS;
        }
        if (lastRetryLogNanos == 0 || now - lastRetryLogNanos > LOG_INTERVAL_NANOS) {
            lastRetryLogNanos = now;
            LOG.warn("Elasticsearch refused documents for the moment (HTTP {}: {}); the sink holds them and tries "
                    + "again in {} ms, waiting up to {} ms between tries, until Elasticsearch takes them. Nothing is "
                    + "lost; the job is back-pressured and its checkpoints wait. (Logged at most every 30 s.)",
                    status, reason, backoffMillis, maxBackoffMillis);
        }
        Thread.sleep(backoffMillis);
        backoffMillis = Math.min(maxBackoffMillis, backoffMillis * 2);
        lastWaitNanos = System.nanoTime();
        retriedSinceWait.clear();
        retriedSinceWait.add(action);
    }

    private boolean shouldLog() {
        loggedRefusals++;
        return loggedRefusals <= LOGGED_IN_FULL || loggedRefusals % LOG_EVERY == 0;
    }

    private static Counter counter(Counter counter) {
        return counter == null ? new SimpleCounter() : counter;
    }

    static String reason(Throwable failure) {
        return failure == null ? "no reason given" : truncate(String.valueOf(failure.getMessage()));
    }

    private static String truncate(String text) {
        return text.length() <= MAX_REASON_CHARS ? text : text.substring(0, MAX_REASON_CHARS) + "…";
    }
}
