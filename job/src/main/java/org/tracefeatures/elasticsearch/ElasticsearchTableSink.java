package org.tracefeatures.elasticsearch;

import java.io.Serializable;
import java.time.Duration;
import java.util.List;
import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.streaming.connectors.elasticsearch7.ElasticsearchSink;
import org.apache.flink.table.catalog.ResolvedSchema;
import org.apache.flink.table.connector.ChangelogMode;
import org.apache.flink.table.connector.format.EncodingFormat;
import org.apache.flink.table.connector.sink.DynamicTableSink;
import org.apache.flink.table.connector.sink.SinkFunctionProvider;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.types.RowKind;

/** The sink of {@link ElasticsearchSinkFactory}: upserts by primary key (deletes delete), appends without one. */
final class ElasticsearchTableSink implements DynamicTableSink {

    /** How the bulk processor batches, and the longest wait between two tries of refused-for-now documents. */
    record Bulk(
            boolean flushOnCheckpoint,
            int maxActions,
            MemorySize maxSize,
            Duration interval,
            Duration maxRetryBackoff,
            Duration retryTimeout)
            implements Serializable {}

    private final ResolvedSchema schema;
    private final EncodingFormat<SerializationSchema<RowData>> format;
    private final IndexName index;
    private final int[] keyPositions;
    private final ElasticsearchConnection connection;
    private final Bulk bulk;
    private final String table;

    ElasticsearchTableSink(
            ResolvedSchema schema,
            EncodingFormat<SerializationSchema<RowData>> format,
            IndexName index,
            int[] keyPositions,
            ElasticsearchConnection connection,
            Bulk bulk,
            String table) {
        this.schema = schema;
        this.format = format;
        this.index = index;
        this.keyPositions = keyPositions;
        this.connection = connection;
        this.bulk = bulk;
        this.table = table;
    }

    @Override
    public ChangelogMode getChangelogMode(ChangelogMode requestedMode) {
        if (keyPositions.length == 0) {
            return ChangelogMode.insertOnly();
        }
        return ChangelogMode.newBuilder()
                .addContainedKind(RowKind.INSERT)
                .addContainedKind(RowKind.UPDATE_AFTER)
                .addContainedKind(RowKind.DELETE)
                .build();
    }

    @Override
    public SinkRuntimeProvider getSinkRuntimeProvider(Context context) {
        SerializationSchema<RowData> serializer = format.createRuntimeEncoder(context, schema.toPhysicalRowDataType());
        List<LogicalType> types = schema.getColumnDataTypes().stream()
                .map(type -> type.getLogicalType())
                .toList();
        RefusedDocumentHandler handler =
                new RefusedDocumentHandler(connection, bulk.maxRetryBackoff(), bulk.retryTimeout());
        DocumentWriter writer = new DocumentWriter(serializer, index, new DocumentIds(keyPositions, types), handler);
        ElasticsearchSink.Builder<RowData> builder = new ElasticsearchSink.Builder<>(connection.httpHosts(), writer);
        builder.setFailureHandler(handler);
        builder.setBulkFlushMaxActions(bulk.maxActions());
        builder.setBulkFlushMaxSizeMb((int) Math.max(1, bulk.maxSize().getMebiBytes()));
        builder.setBulkFlushInterval(bulk.interval().toMillis());
        builder.setRestClientFactory(connection.restClientFactory());
        ElasticsearchSink<RowData> sink = builder.build();
        if (!bulk.flushOnCheckpoint()) {
            sink.disableFlushOnCheckpoint();
        }
        return SinkFunctionProvider.of(sink);
    }

    @Override
    public DynamicTableSink copy() {
        return new ElasticsearchTableSink(schema, format, index, keyPositions, connection, bulk, table);
    }

    @Override
    public String asSummaryString() {
        return "Elasticsearch (tracefeatures) " + table;
    }
}
