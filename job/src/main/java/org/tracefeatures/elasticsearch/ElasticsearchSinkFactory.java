package org.tracefeatures.elasticsearch;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.table.api.ValidationException;
import org.apache.flink.table.catalog.ResolvedSchema;
import org.apache.flink.table.catalog.UniqueConstraint;
import org.apache.flink.table.connector.format.EncodingFormat;
import org.apache.flink.table.connector.sink.DynamicTableSink;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.factories.DynamicTableSinkFactory;
import org.apache.flink.table.factories.FactoryUtil;
import org.apache.flink.table.factories.SerializationFormatFactory;

/**
 * {@code 'connector' = 'tracefeatures-elasticsearch'}: the Elasticsearch 7 sink of the tracefeatures jobs. It writes
 * with the bulk processor of Flink's Elasticsearch 7 connector and differs from that connector's SQL sink in three
 * ways that running on real traffic needs:
 * <ul>
 *   <li>A keyed row replaces its whole document (an index request, not a partial update that merges object
 *       fields), so a document written again never keeps keys of an older version.</li>
 *   <li>A refused document never stops the job ({@link RefusedDocumentHandler}): one refused for what it contains is
 *       skipped, or folded and written again when it exceeds the index's field limit, and counted and logged;
 *       a transient refusal is retried with backoff until Elasticsearch takes it.</li>
 *   <li>A document id longer than Elasticsearch's 512 bytes becomes the SHA-256 of the id ({@link DocumentIds}).</li>
 * </ul>
 * Options are those of the {@code elasticsearch-7} connector that the jobs use: {@code hosts}, {@code index} (a
 * name, or a daily pattern such as {@code trace-features-{@timestamp|yyyy-MM-dd}} formatted in UTC),
 * {@code username}, {@code password}, {@code sink.flush-on-checkpoint}, {@code sink.bulk-flush.*} and
 * {@code format} (default {@code json}, with its options such as {@code json.timestamp-format.standard}).
 */
public final class ElasticsearchSinkFactory implements DynamicTableSinkFactory {
    public static final String IDENTIFIER = "tracefeatures-elasticsearch";

    static final ConfigOption<List<String>> HOSTS = ConfigOptions.key("hosts")
            .stringType()
            .asList()
            .noDefaultValue()
            .withDescription("Elasticsearch hosts, e.g. 'http://127.0.0.1:9200;http://other:9200'.");
    static final ConfigOption<String> INDEX = ConfigOptions.key("index")
            .stringType()
            .noDefaultValue()
            .withDescription("Index name, or a pattern with one {column|yyyy-MM-dd} of a timestamp column (UTC).");
    static final ConfigOption<String> USERNAME =
            ConfigOptions.key("username").stringType().noDefaultValue();
    static final ConfigOption<String> PASSWORD =
            ConfigOptions.key("password").stringType().noDefaultValue();
    static final ConfigOption<Boolean> FLUSH_ON_CHECKPOINT = ConfigOptions.key("sink.flush-on-checkpoint")
            .booleanType()
            .defaultValue(true)
            .withDescription("A checkpoint waits until every buffered document is acknowledged "
                    + "(at-least-once). Off: a failure may lose what was buffered.");
    static final ConfigOption<Integer> BULK_MAX_ACTIONS =
            ConfigOptions.key("sink.bulk-flush.max-actions").intType().defaultValue(1000);
    static final ConfigOption<MemorySize> BULK_MAX_SIZE =
            ConfigOptions.key("sink.bulk-flush.max-size").memoryType().defaultValue(MemorySize.parse("2mb"));
    static final ConfigOption<Duration> BULK_INTERVAL =
            ConfigOptions.key("sink.bulk-flush.interval").durationType().defaultValue(Duration.ofSeconds(1));
    static final ConfigOption<Duration> RETRY_MAX_BACKOFF = ConfigOptions.key("sink.retry.max-backoff")
            .durationType()
            .defaultValue(Duration.ofSeconds(5))
            .withDescription("Longest wait between two tries of documents that Elasticsearch refused for "
                    + "the moment (429, 5xx, a write block, no answer); the wait starts at 100 ms and doubles.");
    static final ConfigOption<Duration> RETRY_TIMEOUT = ConfigOptions.key("sink.retry.timeout")
            .durationType()
            .defaultValue(Duration.ofMinutes(1))
            .withDescription("How long a document refused for the moment is tried again before the job fails "
                    + "and restarts from its last checkpoint (nothing is lost); shorter than Flink's task "
                    + "cancellation timeout, so that a cancelled job does not wait on it.");

    static final ConfigOption<String> FORMAT = ConfigOptions.key("format")
            .stringType()
            .defaultValue("json")
            .withDescription(
                    "The documents' format, with its options under its name, e.g. json.timestamp-format.standard.");

    @Override
    public String factoryIdentifier() {
        return IDENTIFIER;
    }

    @Override
    public Set<ConfigOption<?>> requiredOptions() {
        return Set.of(HOSTS, INDEX);
    }

    @Override
    public Set<ConfigOption<?>> optionalOptions() {
        return Set.of(
                USERNAME,
                PASSWORD,
                FLUSH_ON_CHECKPOINT,
                BULK_MAX_ACTIONS,
                BULK_MAX_SIZE,
                BULK_INTERVAL,
                RETRY_MAX_BACKOFF,
                RETRY_TIMEOUT,
                FORMAT);
    }

    @Override
    public DynamicTableSink createDynamicTableSink(Context context) {
        FactoryUtil.TableFactoryHelper helper = FactoryUtil.createTableFactoryHelper(this, context);
        EncodingFormat<SerializationSchema<RowData>> format =
                helper.discoverEncodingFormat(SerializationFormatFactory.class, FORMAT);
        helper.validate();
        ReadableConfig options = helper.getOptions();
        ResolvedSchema schema = context.getCatalogTable().getResolvedSchema();
        List<String> columns = schema.getColumnNames();
        int[] keyPositions = schema.getPrimaryKey().map(UniqueConstraint::getColumns).orElse(List.of()).stream()
                .mapToInt(columns::indexOf)
                .toArray();
        String table = context.getObjectIdentifier().asSummaryString();
        IndexName index = IndexName.parse(
                options.get(INDEX),
                schema.getColumnNames(),
                schema.getColumnDataTypes().stream()
                        .map(type -> type.getLogicalType())
                        .toList(),
                table);
        if (options.get(BULK_MAX_ACTIONS) < 1
                || options.get(BULK_INTERVAL).isZero()
                || options.get(BULK_INTERVAL).isNegative()
                || options.get(BULK_MAX_SIZE).getBytes() < 1) {
            throw new ValidationException("Table " + table + ": 'sink.bulk-flush.max-actions', 'max-size' and "
                    + "'interval' must be positive (this sink always flushes by count, size and time).");
        }
        List<String> hosts = options.get(HOSTS);
        if (hosts.isEmpty()) {
            throw new ValidationException("Table " + table + ": 'hosts' names no Elasticsearch host.");
        }
        ElasticsearchConnection connection = ElasticsearchConnection.of(
                hosts,
                options.getOptional(USERNAME).orElse(null),
                options.getOptional(PASSWORD).orElse(null),
                table);
        return new ElasticsearchTableSink(
                schema,
                format,
                index,
                keyPositions,
                connection,
                new ElasticsearchTableSink.Bulk(
                        options.get(FLUSH_ON_CHECKPOINT),
                        options.get(BULK_MAX_ACTIONS),
                        options.get(BULK_MAX_SIZE),
                        options.get(BULK_INTERVAL),
                        options.get(RETRY_MAX_BACKOFF),
                        options.get(RETRY_TIMEOUT)),
                table);
    }
}
