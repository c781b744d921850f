-- Input: spans as jaeger-collector writes them to Kafka with --kafka.producer.encoding=json (and the
-- OpenTelemetry Collector's Kafka exporter with encoding jaeger_json): one jaeger.api_v2.Span per
-- message in protobuf's JSON mapping (gogo jsonpb), keyed by trace id. In that mapping ids are base64
-- of their bytes, enums are names, int64 values are strings, times are RFC 3339 and durations text
-- like "0.022938s", and every zero value is left out (a CHILD_OF reference has no refType, a STRING
-- tag no vType, a false bool no vBool).
-- Every input part declares the raw table span_source and maps it onto the view input_spans, from
-- which sql/init/spans.sql makes the canonical view spans, all that the jobs read.

CREATE TABLE span_source (
  traceId BYTES,   -- the json format decodes base64 text into bytes
  spanId BYTES,
  operationName STRING,
  `references` ARRAY<ROW<traceId BYTES, spanId BYTES, refType STRING>>,
  startTime STRING,
  duration STRING,
  tags ARRAY<ROW<key STRING, vType STRING, vStr STRING, vBool BOOLEAN, vInt64 BIGINT, vFloat64 DOUBLE, vBinary BYTES>>,
  process ROW<serviceName STRING, tags ARRAY<ROW<key STRING, vType STRING, vStr STRING, vBool BOOLEAN, vInt64 BIGINT, vFloat64 DOUBLE, vBinary BYTES>>>
) WITH (
  'topic' = 'jaeger-spans',
  -- Flink's json format, except that a record that does not decode is counted and skipped, not fatal
  'value.format' = 'tolerant-json'
)
-- the Kafka metadata, watermark and reading options every input shares, and the connection
LIKE span_topic;

-- The input's spans with the canonical columns (sql/init/spans.sql derives the rest). Records that
-- cannot join a trace (not JSON of a span, a start time or duration in another form, no process, an
-- empty or malformed id) are left out here; SPAN_DEFECT counts them (metric
-- tracefeatures.skippedSpanRecords) and logs each with its Kafka partition and offset.
CREATE VIEW input_spans AS
SELECT
  JAEGER_TRACE_ID(traceId) AS trace_id,
  JAEGER_SPAN_ID(spanId) AS span_id,
  PARENT_SPAN_ID(`references`, traceId) AS parent_span_id,
  PARENT_REFERENCE_TYPE(`references`, traceId) AS reference_type,
  process.serviceName AS service,
  operationName AS operation,
  TAGS_MAP(tags) AS tags,
  TAGS_MAP(process.tags) AS process_tags,
  start_micros,
  duration_micros,
  kafka_partition,
  kafka_offset,
  kafka_time AS event_time
FROM (
  SELECT
    *,
    JSON_TIMESTAMP_MICROS(startTime) AS start_micros,  -- NULL when not RFC 3339
    JSON_DURATION_MICROS(duration) AS duration_micros  -- NULL when not like "0.022938s"
  FROM span_source
)
WHERE SPAN_DEFECT(
        COALESCE(parse_error,
                 CASE
                   WHEN start_micros IS NULL THEN 'startTime is not an RFC 3339 time: ' || startTime
                   WHEN duration_micros IS NULL THEN 'duration is not protobuf''s JSON form of one: ' || duration
                 END),
        traceId, spanId, process.serviceName, kafka_partition, kafka_offset) IS NULL;
