package org.tracefeatures.elasticsearch;

import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.SimpleCounter;
import org.apache.flink.streaming.connectors.elasticsearch.ActionRequestFailureHandler;
import org.apache.flink.streaming.connectors.elasticsearch.RequestIndexer;
import org.elasticsearch.action.ActionRequest;
import org.elasticsearch.action.DocWriteRequest;
import org.elasticsearch.action.index.IndexRequest;
import org.elasticsearch.common.xcontent.XContentHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Map;

/**
 * What the sink does with a document that Elasticsearch did not take, so that no refusal stops the job:
 * <ul>
 *   <li><b>Refused for now</b> (429 queue full, a 5xx such as 503, a {@code cluster_block_exception} of a read-only
 *       or flood-stage index, or no answer at all): the document is handed back to the bulk processor after a wait
 *       that starts at 100 ms and doubles up to the sink's {@code sink.retry.max-backoff}. Nothing is lost: a
 *       checkpoint completes only once every document is acknowledged, so the job waits (back-pressured) until
 *       Elasticsearch takes the documents again. Metric {@code tracefeatures.documentRetries}.</li>
 *   <li><b>Over the index's field limit</b>: the document is written again with every object of numbers (the
 *       per-key maps such as {@code spanCounts}) folded into its {@value FieldSafeMap#OTHER} total, which keeps
 *       sums such as sum(spanCounts) = spanCount, and {@code reduced} naming why. Metric
 *       {@code tracefeatures.documentsReduced}.</li>
 *   <li><b>Refused for what it contains</b> (a mapping conflict, a malformed document, a term or id too long, or
 *       a reduced document refused again): skipped. Metric {@code tracefeatures.documentsRefused}.</li>
 *   <li><b>Refused credentials</b> (401, or 403 without a block): the job fails with Elasticsearch's answer,
 *       since every document would be refused alike.</li>
 * </ul>
 * A reduced or skipped document is logged once, with its id, its index and Elasticsearch's reason.
 */
public final class RefusedDocumentHandler implements ActionRequestFailureHandler {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(RefusedDocumentHandler.class);

    public static final String DOCUMENT_RETRIES = "documentRetries";
    public static final String DOCUMENTS_REDUCED = "documentsReduced";
    public static final String DOCUMENTS_REFUSED = "documentsRefused";
    /** The field of a reduced document that says why it was reduced. */
    public static final String REDUCED_FIELD = "reduced";
    static final String METRIC_GROUP = "tracefeatures";

    private static final long INITIAL_BACKOFF_MILLIS = 100;
    /** Failures closer together than this come from one bulk response: the sink waits once for all of them. */
    private static final long SAME_RESPONSE_NANOS = 500_000;
    /** After this long without a failure, the next wait starts small again. */
    private static final long RESET_NANOS = 60_000_000_000L;
    private static final int MAX_REASON_CHARS = 2_000;
    private static final long LOG_INTERVAL_NANOS = 30_000_000_000L;

    /** How the sink treats a refusal. */
    enum Kind { RETRY, REDUCE, SKIP, FAIL }

    private final long maxBackoffMillis;
    private transient Counter retries;
    private transient Counter reduced;
    private transient Counter refused;
    private transient long backoffMillis;
    private transient long lastFailureNanos;
    private transient long lastLogNanos;

    public RefusedDocumentHandler(Duration maxBackoff) {
        this.maxBackoffMillis = Math.max(INITIAL_BACKOFF_MILLIS, maxBackoff.toMillis());
    }

    /** Registers the metrics in the sink task's group; until then the counts are kept but not reported. */
    void open(MetricGroup metrics) {
        MetricGroup group = metrics.addGroup(METRIC_GROUP);
        retries = group.counter(DOCUMENT_RETRIES);
        reduced = group.counter(DOCUMENTS_REDUCED);
        refused = group.counter(DOCUMENTS_REFUSED);
    }

    @Override
    public synchronized void onFailure(ActionRequest action, Throwable failure, int restStatusCode,
                                       RequestIndexer indexer) throws Throwable {
        String reason = reason(failure);
        boolean reducible = action instanceof IndexRequest index && !isReduced(index);
        switch (kind(restStatusCode, reason, action.validate() != null, reducible)) {
            case RETRY -> {
                backOff(restStatusCode, reason);
                counter(retries).inc();
                indexer.add(action);
            }
            case REDUCE -> {
                IndexRequest index = (IndexRequest) action;
                LOG.warn("Elasticsearch refused document {} of index {} ({}); writing it again with its per-key "
                                + "fields folded into _other and '{}' set. Raise index.mapping.total_fields.limit "
                                + "in the index template, or lower FIELD_SAFE_MAP's limits in the job's SQL.",
                        index.id(), index.index(), reason, REDUCED_FIELD);
                counter(reduced).inc();
                indexer.add(reduce(index, reason));
            }
            case SKIP -> {
                DocWriteRequest<?> request = (DocWriteRequest<?>) action;
                LOG.warn("Elasticsearch refused document {} of index {} (HTTP {}): {}. The document is skipped and "
                                + "counted in tracefeatures.documentsRefused; the job goes on. Check the index "
                                + "template against the document (bin/tracefeatures templates install).",
                        request.id(), request.index(), restStatusCode, reason);
                counter(refused).inc();
            }
            case FAIL -> throw new IllegalStateException("Elasticsearch refused the sink's requests (HTTP "
                    + restStatusCode + "): " + reason + ". Check the user name and password of the Elasticsearch "
                    + "tables (the environment part's elasticsearch_connection) and that user's privileges.",
                    failure);
        }
    }

    /**
     * The decision for a refusal, from its HTTP status (-1: no answer) and Elasticsearch's reason; a request is
     * reducible when it is a document that has not been reduced yet.
     */
    static Kind kind(int status, String reason, boolean invalidRequest, boolean reducible) {
        if (invalidRequest) {
            return Kind.SKIP;  // refused before it was sent (e.g. an id too long): sending it again changes nothing
        }
        if (status == 429 || status >= 500 || status == -1 || reason.contains("cluster_block_exception")) {
            return Kind.RETRY;
        }
        if (status == 401 || status == 403) {
            return Kind.FAIL;
        }
        if (reducible && reason.contains("Limit of total fields")) {
            return Kind.REDUCE;
        }
        return Kind.SKIP;
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
        IndexRequest reduced = new IndexRequest(index.index()).source(source);
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

    private void backOff(int status, String reason) throws InterruptedException {
        long now = System.nanoTime();
        long sinceLast = now - lastFailureNanos;
        if (lastFailureNanos != 0 && sinceLast < SAME_RESPONSE_NANOS) {
            lastFailureNanos = now;
            return;
        }
        if (backoffMillis == 0 || sinceLast > RESET_NANOS) {
            backoffMillis = INITIAL_BACKOFF_MILLIS;
        }
        if (lastLogNanos == 0 || now - lastLogNanos > LOG_INTERVAL_NANOS) {
            lastLogNanos = now;
            LOG.warn("Elasticsearch refused documents for the moment (HTTP {}: {}); the sink holds them and tries "
                    + "again in {} ms, waiting up to {} ms between tries, until Elasticsearch takes them. Nothing is "
                    + "lost, and the job's checkpoints wait. (Logged at most every 30 s.)", status, reason,
                    backoffMillis, maxBackoffMillis);
        }
        Thread.sleep(backoffMillis);
        backoffMillis = Math.min(maxBackoffMillis, backoffMillis * 2);
        lastFailureNanos = System.nanoTime();
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
