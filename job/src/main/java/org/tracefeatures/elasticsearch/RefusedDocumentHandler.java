package org.tracefeatures.elasticsearch;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.SimpleCounter;
import org.apache.flink.streaming.connectors.elasticsearch.ActionRequestFailureHandler;
import org.apache.flink.streaming.connectors.elasticsearch.RequestIndexer;
import org.elasticsearch.ElasticsearchException;
import org.elasticsearch.action.ActionRequest;
import org.elasticsearch.action.DocWriteRequest;
import org.elasticsearch.action.delete.DeleteRequest;
import org.elasticsearch.action.index.IndexRequest;
import org.elasticsearch.client.RequestOptions;
import org.elasticsearch.client.ResponseException;
import org.elasticsearch.client.RestHighLevelClient;
import org.elasticsearch.common.xcontent.XContentHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tracefeatures.documents.FieldSafeMap;
import org.tracefeatures.functions.TracefeaturesMetrics;

/**
 * What the sink does with a document that Elasticsearch did not take, so that no refusal stops the job for good and
 * none loses a document:
 * <ul>
 *   <li><b>Refused for the moment</b> (429 queue full or flood-stage disk, a 5xx such as 503, a
 *       {@code cluster_block_exception} of a write-blocked or read-only index, or no answer at all): the handler sends
 *       the document again itself, waiting 100 ms, then doubling up to the sink's {@code sink.retry.max-backoff}
 *       between tries, until Elasticsearch takes it. It does so before it returns, while the bulk processor waits
 *       for it, so the job is back-pressured, no checkpoint completes without the document, and no later version of
 *       its id can be sent before it. (Handing the document back to the sink's buffer instead loses documents: the
 *       sink clears that buffer after going through it, and the bulk processor's flush thread adds to it meanwhile.)
 *       Metric {@code tracefeatures.documentRetries}; a warning at most every 30 s while it lasts. A refusal that
 *       lasts longer than {@code sink.retry.timeout} (1 min) fails the job, which restarts from its last checkpoint,
 *       so nothing is lost and the job does not hang in a cancellation.</li>
 *   <li><b>Superseded</b> (409: a newer version of the document is already written; see {@link DocumentWriter}):
 *       dropped, which is right. Metric {@code tracefeatures.documentsSuperseded}.</li>
 *   <li><b>Over the index's field limit</b>: written again with every object of numbers (the per-key maps such as
 *       {@code spanCounts}) folded into its {@value FieldSafeMap#OTHER} total, which keeps sums such as
 *       sum(spanCounts) = spanCount, and {@code reduced} naming why. Metric {@code tracefeatures.documentsReduced}.</li>
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

    private static final long INITIAL_BACKOFF_MILLIS = 100;
    private static final long LOG_INTERVAL_NANOS = 30_000_000_000L;
    private static final long DELIVERED_RECENTLY_NANOS = 1_000_000_000L;
    private static final int LOGGED_IN_FULL = 100;
    private static final int LOG_EVERY = 1_000;
    private static final int MAX_REASON_CHARS = 2_000;

    /** How the sink treats a refusal. */
    enum Kind {
        RETRY,
        SUPERSEDED,
        REDUCE,
        SKIP,
        FAIL
    }

    private final ElasticsearchConnection connection;
    private final long maxBackoffMillis;
    private final long retryTimeoutMillis;
    private transient Counter retries;
    private transient Counter superseded;
    private transient Counter reduced;
    private transient Counter refused;
    private transient RestHighLevelClient client;
    private transient long lastRetryLogNanos;
    private transient long lastDeliveredNanos;
    private transient long loggedRefusals;

    public RefusedDocumentHandler(ElasticsearchConnection connection, Duration maxBackoff, Duration retryTimeout) {
        this.connection = connection;
        this.maxBackoffMillis = Math.max(INITIAL_BACKOFF_MILLIS, maxBackoff.toMillis());
        this.retryTimeoutMillis = retryTimeout.toMillis();
    }

    /** Registers the metrics in the sink task's group; until then the counts are kept but not reported. */
    void open(MetricGroup metrics) {
        MetricGroup group = TracefeaturesMetrics.of(metrics);
        retries = group.counter(DOCUMENT_RETRIES);
        superseded = group.counter(DOCUMENTS_SUPERSEDED);
        reduced = group.counter(DOCUMENTS_REDUCED);
        refused = group.counter(DOCUMENTS_REFUSED);
    }

    /** Closes the client that sends documents again, if one was needed. */
    void close() throws IOException {
        if (client != null) {
            client.close();
            client = null;
        }
    }

    @Override
    public synchronized void onFailure(
            ActionRequest action, Throwable failure, int restStatusCode, RequestIndexer indexer) throws Throwable {
        int status = restStatusCode >= 0 ? restStatusCode : statusOf(failure);
        handle((DocWriteRequest<?>) action, status, reason(failure), action.validate() != null, failure);
    }

    /** Decides on one refusal and, for those it sends again, on each refusal of the new try, until one is final. */
    private void handle(DocWriteRequest<?> request, int status, String reason, boolean invalid, Throwable failure)
            throws Exception {
        long deadline = System.nanoTime() + retryTimeoutMillis * 1_000_000L;
        long backoffMillis = INITIAL_BACKOFF_MILLIS;
        // Elasticsearch took a document sent again a moment ago: the rest of a failed bulk goes at once
        boolean waitFirst = System.nanoTime() - lastDeliveredNanos > DELIVERED_RECENTLY_NANOS;
        while (true) {
            Kind kind = kind(status, reason, invalid);
            if (kind == Kind.REDUCE && !(request instanceof IndexRequest index && !isReduced(index))) {
                kind = Kind.SKIP;
            }
            switch (kind) {
                case SUPERSEDED -> {
                    LOG.debug(
                            "Document {} of index {} was superseded by a newer version: {}",
                            request.id(),
                            request.index(),
                            reason);
                    counter(superseded).inc();
                    return;
                }
                case SKIP -> {
                    if (shouldLog()) {
                        LOG.warn(
                                "Elasticsearch refused document {} of index {} (HTTP {}): {}. The document is "
                                        + "skipped and counted in tracefeatures.documentsRefused; the job goes on. Check "
                                        + "the index template against the document (bin/tracefeatures templates install).",
                                request.id(),
                                request.index(),
                                status,
                                reason);
                    }
                    counter(refused).inc();
                    return;
                }
                case FAIL ->
                    throw new IllegalStateException(
                            "Elasticsearch refused the sink's requests (HTTP "
                                    + status + "): " + reason
                                    + ". Check the user name and password of the Elasticsearch tables"
                                    + " (the environment part's elasticsearch_connection) and that user's privileges.",
                            failure);
                case REDUCE -> {
                    IndexRequest index = (IndexRequest) request;
                    if (shouldLog()) {
                        LOG.warn(
                                "Elasticsearch refused document {} of index {} ({}); writing it again with its "
                                        + "per-key fields folded into _other and '{}' set. Raise "
                                        + "index.mapping.total_fields.limit in the index template, or lower "
                                        + "FIELD_SAFE_MAP's limits in the job's SQL.",
                                index.id(),
                                index.index(),
                                reason,
                                REDUCED_FIELD);
                    }
                    counter(reduced).inc();
                    request = reduce(index, reason);
                }
                case RETRY -> {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException(
                                "Elasticsearch refused document " + request.id() + " of index "
                                        + request.index() + " for longer than " + retryTimeoutMillis / 1000
                                        + " s (HTTP "
                                        + status + ": " + reason
                                        + "); the job restarts from its last checkpoint and tries"
                                        + " again, so nothing is lost. Check Elasticsearch's health and the index's blocks.",
                                failure);
                    }
                    if (waitFirst) {
                        logRetries(status, reason, backoffMillis);
                        Thread.sleep(backoffMillis);
                        backoffMillis = Math.min(maxBackoffMillis, backoffMillis * 2);
                    }
                    waitFirst = true;
                    counter(retries).inc();
                }
            }
            // send it (again) ourselves and look at the answer
            try {
                send(request);
                lastDeliveredNanos = System.nanoTime();
                return;
            } catch (ElasticsearchException e) {
                status = e.status() == null ? -1 : e.status().getStatus();
                reason = reason(e);
                failure = e;
            } catch (IOException e) {
                status = statusOf(e);
                reason = reason(e);
                failure = e;
            }
            invalid = false;
        }
    }

    private void send(DocWriteRequest<?> request) throws IOException {
        if (client == null) {
            client = connection.restHighLevelClient();
        }
        if (request instanceof IndexRequest index) {
            client.index(index, RequestOptions.DEFAULT);
        } else if (request instanceof DeleteRequest delete) {
            client.delete(delete, RequestOptions.DEFAULT);
        } else {
            throw new IllegalArgumentException("the sink sends index and delete requests only, not " + request);
        }
    }

    /**
     * The decision for a refusal, from its HTTP status (-1: no answer) and Elasticsearch's reason; REDUCE is only a
     * candidate, for a document that has not been reduced before.
     */
    static Kind kind(int status, String reason, boolean invalidRequest) {
        if (invalidRequest) {
            return Kind.SKIP; // refused before it was sent (e.g. an id too long): sending it again changes nothing
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
        Map<String, Object> source = XContentHelper.convertToMap(index.source(), true, index.getContentType())
                .v2();
        for (Map.Entry<String, Object> field : source.entrySet()) {
            if (field.getValue() instanceof Map<?, ?> object
                    && !object.isEmpty()
                    && object.values().stream().allMatch(value -> value instanceof Number)) {
                long total = object.values().stream()
                        .mapToLong(value -> ((Number) value).longValue())
                        .sum();
                field.setValue(Map.of(FieldSafeMap.OTHER, total));
            }
        }
        source.put(REDUCED_FIELD, truncate(reason));
        IndexRequest reduced = new IndexRequest(index.index())
                .source(source)
                .version(index.version())
                .versionType(index.versionType());
        if (index.id() != null) {
            reduced.id(index.id());
        }
        return reduced;
    }

    private static boolean isReduced(IndexRequest index) {
        return index.source() != null
                && XContentHelper.convertToMap(index.source(), false, index.getContentType())
                        .v2()
                        .containsKey(REDUCED_FIELD);
    }

    private void logRetries(int status, String reason, long backoffMillis) {
        long now = System.nanoTime();
        if (lastRetryLogNanos == 0 || now - lastRetryLogNanos > LOG_INTERVAL_NANOS) {
            lastRetryLogNanos = now;
            LOG.warn(
                    "Elasticsearch refused documents for the moment (HTTP {}: {}); the sink holds them and tries "
                            + "again in {} ms, waiting up to {} ms between tries, for up to {} s. Nothing is lost; the job is "
                            + "back-pressured and its checkpoints wait. (Logged at most every 30 s.)",
                    status,
                    reason,
                    backoffMillis,
                    maxBackoffMillis,
                    retryTimeoutMillis / 1000);
        }
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
