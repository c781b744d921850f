-- Input: spans as the OpenTelemetry Collector's Kafka exporter (and Jaeger v2) writes them with its
-- default encoding otlp_proto: one protobuf TracesData per message, a whole batch (resource spans ->
-- scope spans -> spans, possibly of many traces); no key by default, the trace id as 32 hex digits
-- with partition_traces_by_id.
-- Every input part declares the raw table span_source and maps it onto the view input_spans, from
-- which sql/init/spans.sql makes the canonical view spans, all that the jobs read.

CREATE TABLE span_source (
  -- one row per span of the batch, mapped as Jaeger's OTLP translator maps spans: the process is the
  -- resource (service from service.name, else unknown_service); parent_span_id (empty for a root)
  -- becomes a CHILD_OF reference and each link a FOLLOWS_FROM one; the tags are the attributes with
  -- their types, then span.kind (from the SpanKind), otel.status_code and error=true (status ERROR)
  trace_id BYTES,
  span_id BYTES,
  operation_name STRING,
  `references` ARRAY<ROW<trace_id BYTES, span_id BYTES, ref_type STRING>>,
  start_micros BIGINT,
  duration_micros BIGINT,
  tags ARRAY<ROW<key STRING, v_type STRING, v_str STRING, v_bool BOOLEAN, v_int64 BIGINT, v_float64 DOUBLE, v_binary BYTES>>,
  process ROW<service_name STRING, tags ARRAY<ROW<key STRING, v_type STRING, v_str STRING, v_bool BOOLEAN, v_int64 BIGINT, v_float64 DOUBLE, v_binary BYTES>>>
) WITH (
  -- the OpenTelemetry Collector's default topic
  'topic' = 'otlp_spans',
  -- one row per span; a record that does not decode is counted and skipped, not fatal
  'value.format' = 'tolerant-otlp'
)
-- the Kafka metadata, watermark and reading options every input shares, and the connection
LIKE span_topic;

-- The input's spans with the canonical columns (sql/init/spans.sql derives the rest). Records that
-- cannot join a trace (not a TracesData with spans, an empty or malformed id) are left out here;
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
  start_micros,
  duration_micros,
  kafka_partition,
  kafka_offset,
  kafka_time AS event_time
FROM span_source
WHERE SPAN_DEFECT(parse_error, trace_id, span_id, process.service_name, kafka_partition, kafka_offset) IS NULL;
