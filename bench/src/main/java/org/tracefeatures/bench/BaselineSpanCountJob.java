package org.tracefeatures.bench;

import com.google.protobuf.InvalidProtocolBufferException;
import io.jaegertracing.api_v2.KeyValue;
import io.jaegertracing.api_v2.Span;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.elasticsearch.sink.Elasticsearch7SinkBuilder;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.streaming.api.functions.windowing.ProcessWindowFunction;
import org.apache.flink.streaming.api.windowing.assigners.EventTimeSessionWindows;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.util.Collector;
import org.apache.http.HttpHost;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.elasticsearch.action.update.UpdateRequest;
import org.tracefeatures.jaeger.JaegerIds;

/**
 * The baseline: span_count.sql's algorithm written by hand as a DataStream job, as the book's
 * SpanCountJob does it, but with an event-time session window (a processing-time window never fires on
 * a bounded source). Same source, same watermark (Kafka record timestamp minus 1 s, partitions idle
 * after 10 s), same 5 s gap, same document (trace id as document id, upserted), same bulk flush settings
 * as the SQL sink's defaults (1000 actions, 2 MB, 1 s).
 */
final class BaselineSpanCountJob {
    private BaselineSpanCountJob() {}

    /** Runs the job to its end; returns its net runtime in ms. */
    static long run(String kafka, String topic, String elasticsearch, String index, int parallelism) throws Exception {
        StreamExecutionEnvironment env = environment(parallelism);
        DataStream<TraceSummary> summaries = env.fromSource(
                        source(kafka, topic, new SpanRecordDeserializer()), watermarks(), "spans")
                .keyBy(span -> span.traceId)
                .window(EventTimeSessionWindows.withGap(SESSION_GAP))
                .process(new CountSpans(), TraceSummary.TYPE);
        return execute(env, summaries, elasticsearch, index, "baseline span count");
    }

    /** The session gap of sql/init/traces.sql. */
    static final Duration SESSION_GAP = Duration.ofSeconds(5);

    /** An environment that checkpoints as the SQL contenders do (ContenderMain.checkpointSettings). */
    static StreamExecutionEnvironment environment(int parallelism) {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(
                Configuration.fromMap(ContenderMain.checkpointSettings()));
        env.setParallelism(parallelism);
        return env;
    }

    /** The topic from its start to the end it has when the job starts, as the SQL contenders read it (--bounded). */
    static <T> KafkaSource<T> source(String kafka, String topic, KafkaRecordDeserializationSchema<T> deserializer) {
        return KafkaSource.<T>builder()
                .setBootstrapServers(kafka)
                .setTopics(topic)
                .setStartingOffsets(OffsetsInitializer.earliest())
                .setBounded(OffsetsInitializer.latest())
                .setDeserializer(deserializer)
                .build();
    }

    /** The SQL job's watermark: the Kafka record timestamp minus 1 s, a partition idle after 10 s. */
    static <T> WatermarkStrategy<T> watermarks() {
        return WatermarkStrategy.<T>forBoundedOutOfOrderness(Duration.ofSeconds(1))
                .withIdleness(Duration.ofSeconds(10));
    }

    /**
     * Writes the summaries as span_count.sql writes its documents (upserted by trace id, the SQL sink's default bulk
     * settings), or discards them for "blackhole"; runs the job to its end and returns its net runtime in ms.
     */
    static long execute(
            StreamExecutionEnvironment env,
            DataStream<TraceSummary> summaries,
            String elasticsearch,
            String index,
            String jobName)
            throws Exception {
        if ("blackhole".equals(elasticsearch)) {
            summaries.sinkTo(new DiscardingSink<>());
        } else {
            summaries.sinkTo(new Elasticsearch7SinkBuilder<TraceSummary>()
                    .setHosts(HttpHost.create(elasticsearch))
                    .setBulkFlushMaxActions(1000)
                    .setBulkFlushMaxSizeMb(2)
                    .setBulkFlushInterval(1000)
                    .setEmitter((summary, context, indexer) -> {
                        Map<String, Object> document = summary.document();
                        indexer.add(new UpdateRequest(index, summary.traceId)
                                .doc(document)
                                .upsert(document));
                    })
                    .build());
        }
        return env.execute(jobName).getNetRuntime();
    }

    /** The fields of a span that the count needs; a Flink POJO. */
    public static final class SpanRecord {
        public String traceId;
        public String spanId;
        public String service;
        public String operation;
        public String spanKind;
        public String testName;
        public long startMicros;
    }

    /** The document of trace-summaries; a Flink POJO. */
    public static final class TraceSummary {
        public String traceId;
        public long timestampMillis;
        public long spanCount;
        public Map<String, Long> spanCounts;
        public String testName;

        // a Flink POJO with a typed map field: without it the map would fall back to Kryo
        static final TypeInformation<TraceSummary> TYPE = Types.POJO(
                TraceSummary.class,
                Map.of(
                        "traceId",
                        Types.STRING,
                        "timestampMillis",
                        Types.LONG,
                        "spanCount",
                        Types.LONG,
                        "spanCounts",
                        Types.MAP(Types.STRING, Types.LONG),
                        "testName",
                        Types.STRING));

        Map<String, Object> document() {
            Map<String, Object> document = new HashMap<>();
            document.put("traceId", traceId);
            document.put("@timestamp", Instant.ofEpochMilli(timestampMillis).toString());
            document.put("spanCount", spanCount);
            document.put("spanCounts", spanCounts);
            document.put("testName", testName);
            return document;
        }
    }

    static final class SpanRecordDeserializer implements KafkaRecordDeserializationSchema<SpanRecord> {
        @Override
        public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<SpanRecord> out) {
            Span span;
            try {
                span = Span.parseFrom(record.value());
            } catch (InvalidProtocolBufferException e) {
                return; // the SQL job counts and skips such records too
            }
            SpanRecord result = new SpanRecord();
            result.traceId = JaegerIds.traceId(span.getTraceId().toByteArray());
            result.spanId = JaegerIds.spanId(span.getSpanId().toByteArray());
            if (result.traceId == null || result.spanId == null || !span.hasProcess()) {
                return;
            }
            result.service = span.getProcess().getServiceName();
            result.operation = span.getOperationName();
            for (KeyValue tag : span.getTagsList()) {
                if (result.spanKind == null && tag.getKey().equals("span.kind")) {
                    result.spanKind = tag.getVStr();
                } else if (result.testName == null && tag.getKey().equals("test_name")) {
                    result.testName = tag.getVStr();
                }
            }
            result.startMicros = span.getStartTime().getSeconds() * 1_000_000
                    + span.getStartTime().getNanos() / 1000;
            out.collect(result);
        }

        @Override
        public TypeInformation<SpanRecord> getProducedType() {
            return TypeInformation.of(SpanRecord.class);
        }
    }

    static final class CountSpans extends ProcessWindowFunction<SpanRecord, TraceSummary, String, TimeWindow> {
        @Override
        public void process(String traceId, Context context, Iterable<SpanRecord> spans, Collector<TraceSummary> out) {
            Set<String> seen = new HashSet<>();
            Map<String, Long> counts = new TreeMap<>();
            long start = Long.MAX_VALUE;
            String testName = null;
            for (SpanRecord span : spans) {
                // a span delivered twice counts once, as in COLLECT_TRACE
                if (!seen.add(span.spanId + '|' + span.spanKind + '|' + span.service)) {
                    continue;
                }
                counts.merge((span.service + "::" + span.operation).replace('.', '@'), 1L, Long::sum);
                start = Math.min(start, span.startMicros);
                if (span.testName != null && (testName == null || span.testName.compareTo(testName) > 0)) {
                    testName = span.testName;
                }
            }
            TraceSummary summary = new TraceSummary();
            summary.traceId = traceId;
            summary.timestampMillis = start / 1000;
            summary.spanCount = seen.size();
            summary.spanCounts = counts;
            summary.testName = testName;
            out.collect(summary);
        }
    }
}
