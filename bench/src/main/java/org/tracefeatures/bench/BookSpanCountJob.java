package org.tracefeatures.bench;

import io.jaegertracing.api_v2.KeyValue;
import io.jaegertracing.api_v2.Span;
import io.jaegertracing.api_v2.ValueType;
import java.io.IOException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.serialization.AbstractDeserializationSchema;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.windowing.WindowFunction;
import org.apache.flink.streaming.api.windowing.assigners.EventTimeSessionWindows;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.util.Collector;
import org.tracefeatures.bench.BaselineSpanCountJob.TraceSummary;
import org.tracefeatures.jaeger.JaegerIds;

/**
 * The hand-written job of the baseline as the book writes it: SpanCountJob of Mastering Distributed Tracing,
 * ch. 12 (github.com/PacktPublishing/Mastering-Distributed-Tracing, Chapter12), on today's Flink.
 *
 * <p>Kept as the book has it: its span model (ids in hex, service, operation, start, and every string tag in a map),
 * a window function that collects a trace's spans into a {@code Trace}, a map from each trace to its summary, Flink's
 * own type extraction for these classes and Flink's default of copying a record between chained operators.
 *
 * <p>Changed so that it runs here and does what span_count.sql does: a bounded {@code KafkaSource} (the book's
 * FlinkKafkaConsumer is gone from the Kafka connector); the SQL job's event-time session window and watermark (the
 * book's processing-time window never fires on a bounded source); ids as Jaeger prints them, '.' in keys as '@', and
 * the span count, so that the document is span_count.sql's; the sink of {@link BaselineSpanCountJob} (the book's flushes
 * after every document). Unlike span_count.sql and the baseline it counts a span delivered twice twice, as the book
 * does; the benchmark's topic has no such span.
 */
final class BookSpanCountJob {
    private BookSpanCountJob() {}

    /** Runs the job to its end; returns its net runtime in ms. */
    static long run(String kafka, String topic, String elasticsearch, String index, int parallelism) throws Exception {
        StreamExecutionEnvironment env = BaselineSpanCountJob.environment(parallelism);
        DataStream<BookSpan> spans = env.fromSource(
                BaselineSpanCountJob.source(
                        kafka, topic, KafkaRecordDeserializationSchema.valueOnly(new ProtoUnmarshaler())),
                BaselineSpanCountJob.watermarks(),
                "spans");
        DataStream<Trace> traces = spans.keyBy(span -> span.traceId)
                .window(EventTimeSessionWindows.withGap(BaselineSpanCountJob.SESSION_GAP))
                .apply(new CollectTrace());
        DataStream<TraceSummary> summaries =
                traces.map(BookSpanCountJob::traceToSummary).returns(TraceSummary.TYPE);
        return BaselineSpanCountJob.execute(env, summaries, elasticsearch, index, "book span count");
    }

    /** The book's model.Span. */
    public static class BookSpan implements Serializable {
        private static final long serialVersionUID = 1L;
        public String traceId;
        public String spanId;
        public String serviceName;
        public String operationName;
        public long startTimeMicros;
        public Map<String, String> tags;
    }

    /** The book's model.Trace. */
    public static class Trace {
        public String traceId;
        public Collection<BookSpan> spans;
    }

    /** The book's ProtoUnmarshaler: the whole Span parsed, then the model built from it. */
    static final class ProtoUnmarshaler extends AbstractDeserializationSchema<BookSpan> {
        private static final long serialVersionUID = 1L;

        @Override
        public BookSpan deserialize(byte[] message) throws IOException {
            Span protoSpan = Span.parseFrom(message);
            BookSpan span = new BookSpan();
            span.traceId = JaegerIds.traceId(protoSpan.getTraceId().toByteArray());
            span.spanId = JaegerIds.spanId(protoSpan.getSpanId().toByteArray());
            span.operationName = protoSpan.getOperationName();
            span.serviceName = protoSpan.getProcess().getServiceName();
            span.startTimeMicros = protoSpan.getStartTime().getSeconds() * 1_000_000
                    + protoSpan.getStartTime().getNanos() / 1000;
            span.tags = new HashMap<>();
            for (KeyValue kv : protoSpan.getTagsList()) {
                if (kv.getVType() == ValueType.STRING) {
                    span.tags.put(kv.getKey(), kv.getVStr());
                }
            }
            return span;
        }
    }

    /** The book's window function of aggregateSpansToTraces. */
    static final class CollectTrace implements WindowFunction<BookSpan, Trace, String, TimeWindow> {
        @Override
        public void apply(String traceId, TimeWindow window, Iterable<BookSpan> spans, Collector<Trace> out) {
            List<BookSpan> spanList = new ArrayList<>();
            spans.forEach(spanList::add);
            Trace trace = new Trace();
            trace.traceId = traceId;
            trace.spans = spanList;
            out.collect(trace);
        }
    }

    /** The book's traceToSummary. */
    static TraceSummary traceToSummary(Trace trace) {
        Map<String, Long> counts = new HashMap<>();
        long startTime = 0;
        String testName = null;
        for (BookSpan span : trace.spans) {
            counts.merge((span.serviceName + "::" + span.operationName).replace('.', '@'), 1L, Long::sum);
            if (startTime == 0 || startTime > span.startTimeMicros) {
                startTime = span.startTimeMicros;
            }
            String v = span.tags.get("test_name");
            if (v != null) {
                testName = v;
            }
        }
        TraceSummary summary = new TraceSummary();
        summary.traceId = trace.traceId;
        summary.timestampMillis = startTime / 1000;
        summary.spanCount = trace.spans.size();
        summary.spanCounts = counts;
        summary.testName = testName;
        return summary;
    }
}
