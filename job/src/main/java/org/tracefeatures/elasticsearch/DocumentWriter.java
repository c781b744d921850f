package org.tracefeatures.elasticsearch;

import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.streaming.connectors.elasticsearch.ElasticsearchSinkFunction;
import org.apache.flink.streaming.connectors.elasticsearch.RequestIndexer;
import org.apache.flink.table.data.RowData;
import org.apache.flink.util.SimpleUserCodeClassLoader;
import org.apache.flink.util.UserCodeClassLoader;
import org.elasticsearch.action.delete.DeleteRequest;
import org.elasticsearch.action.index.IndexRequest;
import org.elasticsearch.common.xcontent.XContentType;
import org.elasticsearch.index.VersionType;

/**
 * Turns each row into one request: an insert or update into an index request that replaces the whole document
 * under the row's id, a delete into a delete request. Before-images of updates are not needed, as the after-image
 * replaces the document.
 *
 * <p>Every request carries an external version that grows with each request of the task (the wall clock in
 * microseconds, or one more than the last): a document that Elasticsearch refused for the moment and that the sink
 * sends again after a later version of the same id was written is then refused as superseded (409) instead of
 * putting the older version back. A row's id is written by one task only (the planner keys the rows by the
 * primary key), and a restarted task's clock has passed the versions it wrote before, so fresh writes and replays
 * are taken; clocks of TaskManagers that differ by more than a restart takes would make replays count as superseded.
 */
final class DocumentWriter implements ElasticsearchSinkFunction<RowData> {
    private static final long serialVersionUID = 1L;

    private final SerializationSchema<RowData> serializer;
    private final IndexName index;
    private final DocumentIds ids;
    private final RefusedDocumentHandler handler;
    private transient long lastVersion;

    DocumentWriter(
            SerializationSchema<RowData> serializer, IndexName index, DocumentIds ids, RefusedDocumentHandler handler) {
        this.serializer = serializer;
        this.index = index;
        this.ids = ids;
        this.handler = handler;
    }

    @Override
    public void open(RuntimeContext context) throws Exception {
        MetricGroup metrics = context.getMetricGroup();
        serializer.open(new SerializationSchema.InitializationContext() {
            @Override
            public MetricGroup getMetricGroup() {
                return metrics;
            }

            @Override
            public UserCodeClassLoader getUserCodeClassLoader() {
                return SimpleUserCodeClassLoader.create(context.getUserCodeClassLoader());
            }
        });
        // the failure handler is the same object as the sink's (one serialized graph), so it counts into this task
        handler.open(metrics);
    }

    private long nextVersion() {
        lastVersion = Math.max(lastVersion + 1, System.currentTimeMillis() * 1000);
        return lastVersion;
    }

    @Override
    public void close() throws Exception {
        handler.close();
    }

    @Override
    public void process(RowData row, RuntimeContext context, RequestIndexer indexer) {
        switch (row.getRowKind()) {
            case INSERT, UPDATE_AFTER -> {
                IndexRequest request =
                        new IndexRequest(index.of(row)).source(serializer.serialize(row), XContentType.JSON);
                String id = ids.of(row);
                if (id != null) {
                    request.id(id).version(nextVersion()).versionType(VersionType.EXTERNAL);
                }
                indexer.add(request);
            }
            case DELETE ->
                indexer.add(new DeleteRequest(index.of(row), ids.of(row))
                        .version(nextVersion())
                        .versionType(VersionType.EXTERNAL));
            case UPDATE_BEFORE -> {}
        }
    }
}
