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

/**
 * Turns each row into one request: an insert or update into an index request that replaces the whole document
 * under the row's id, a delete into a delete request. Before-images of updates are not needed, as the after-image
 * replaces the document.
 */
final class DocumentWriter implements ElasticsearchSinkFunction<RowData> {
    private static final long serialVersionUID = 1L;

    private final SerializationSchema<RowData> serializer;
    private final IndexName index;
    private final DocumentIds ids;
    private final RefusedDocumentHandler handler;

    DocumentWriter(SerializationSchema<RowData> serializer, IndexName index, DocumentIds ids,
                   RefusedDocumentHandler handler) {
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

    @Override
    public void process(RowData row, RuntimeContext context, RequestIndexer indexer) {
        switch (row.getRowKind()) {
            case INSERT, UPDATE_AFTER -> {
                IndexRequest request = new IndexRequest(index.of(row)).source(serializer.serialize(row), XContentType.JSON);
                String id = ids.of(row);
                if (id != null) {
                    request.id(id);
                }
                indexer.add(request);
            }
            case DELETE -> indexer.add(new DeleteRequest(index.of(row), ids.of(row)));
            case UPDATE_BEFORE -> { }
        }
    }
}
