-- Input: spans as jaeger-collector writes them to Kafka with its default encoding
-- (--kafka.producer.encoding=protobuf): one protobuf jaeger.api_v2.Span per message, keyed by trace id.
-- Every input part declares the raw table span_source and maps it onto the view input_spans, from
-- which sql/init/spans.sql makes the canonical view spans, all that the jobs read.

CREATE TABLE span_source (
  trace_id BYTES,
  span_id BYTES,
  operation_name STRING,
  `references` ARRAY<ROW<trace_id BYTES, span_id BYTES, ref_type STRING>>,
  start_time ROW<seconds BIGINT, nanos INT>,
  duration ROW<seconds BIGINT, nanos INT>,
  tags ARRAY<ROW<key STRING, v_type STRING, v_str STRING, v_bool BOOLEAN, v_int64 BIGINT, v_float64 DOUBLE, v_binary BYTES>>,
  process ROW<service_name STRING, tags ARRAY<ROW<key STRING, v_type STRING, v_str STRING, v_bool BOOLEAN, v_int64 BIGINT, v_float64 DOUBLE, v_binary BYTES>>>
) WITH (
  'topic' = 'jaeger-spans',
  -- flink-protobuf, except that a record that does not decode is counted and skipped, not fatal
  'value.format' = 'tolerant-protobuf',
  'value.tolerant-protobuf.message-class-name' = 'io.jaegertracing.api_v2.Span'
)
-- the Kafka metadata, watermark and reading options every input shares, and the connection
LIKE span_topic;

-- The input's spans with the canonical columns (sql/init/spans.sql derives the rest). Records that
-- cannot join a trace (undecodable, no process, an empty or malformed id) are left out here;
-- SPAN_DEFECT counts them (metric tracefeatures.skippedSpanRecords) and logs each with its Kafka
-- partition and offset.
CREATE VIEW input_spans AS
SELECT
  JAEGER_TRACE_ID(trace_id) AS trace_id,
  JAEGER_SPAN_ID(span_id) AS span_id,
  PARENT_SPAN_ID(`references`, trace_id) AS parent_span_id,
  PARENT_REFERENCE_TYPE(`references`, trace_id) AS reference_type,
  process.service_name AS service,
  operation_name AS operation,
  TAGS_MAP(tags) AS tags,
  TAGS_MAP(process.tags) AS process_tags,
  start_time.seconds * 1000000 + start_time.nanos / 1000 AS start_micros,
  duration.seconds * 1000000 + duration.nanos / 1000 AS duration_micros,
  kafka_partition,
  kafka_offset,
  kafka_time AS event_time
FROM span_source
WHERE SPAN_DEFECT(parse_error, trace_id, span_id, process.service_name, kafka_partition, kafka_offset) IS NULL;
