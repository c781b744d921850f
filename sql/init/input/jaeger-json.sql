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
  process ROW<serviceName STRING, tags ARRAY<ROW<key STRING, vType STRING, vStr STRING, vBool BOOLEAN, vInt64 BIGINT, vFloat64 DOUBLE, vBinary BYTES>>>,
  -- why the record is not a span (NULL when it is); the span fields of such a row are NULL
  parse_error STRING METADATA FROM 'value.parse-error' VIRTUAL,
  kafka_partition INT METADATA FROM 'partition' VIRTUAL,
  kafka_offset BIGINT METADATA FROM 'offset' VIRTUAL,
  -- when the collector wrote the span to Kafka: the event time of trace assembly. Not the span's own
  -- start: Jaeger sends a trace's root span last, so span starts arrive far out of order.
  -- Set message.timestamp.type=LogAppendTime on the topic (the local stack and docker/ do; how:
  -- docs/bad-input-and-late-spans.md, Producer clocks): then this is the broker's clock, and one producer
  -- whose clock runs ahead cannot move the watermark and make every correctly timed span after it late.
  kafka_time TIMESTAMP_LTZ(3) METADATA FROM 'timestamp',
  -- The watermark trails the latest timestamp by 0.2 s: with LogAppendTime a partition's timestamps only grow,
  -- and a span is late only when more than the session gap (5 s) behind; a longer delay makes every document
  -- later by as much (see bench/README.md, Latency).
  WATERMARK FOR kafka_time AS kafka_time - INTERVAL '0.2' SECOND
) WITH (
  'topic' = 'jaeger-spans',
  'scan.startup.mode' = 'earliest-offset',
  -- partitions added to the topic while a job runs are read within 2 s, from their first offset: before the
  -- watermark, which the other partitions move on, passes their spans' sessions (5 s gap)
  'scan.topic-partition-discovery.interval' = '2 s',
  -- Flink's json format, except that a record that does not decode is counted and skipped, not fatal
  'value.format' = 'tolerant-json'
)
-- connector and hosts come from the environment part
LIKE kafka_connection;

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
