-- RED metrics of spans, as the OpenTelemetry Collector's spanmetrics connector computes them: per minute,
-- service, operation, span kind and status (error or not), the number of calls, of errors, latency
-- percentiles and a latency histogram, into span-metrics-YYYY-MM-DD (sink table span_metrics in
-- init/sinks.sql). Reads the spans view directly: no trace assembly.
--
-- Minutes: tumbling windows of INTERVAL '1' MINUTE on the spans' event time (the Kafka record timestamp),
-- in UTC. A minute's documents are written once, when the watermark passes its end (spans written 1 s
-- after it have been read; idle partitions are skipped after 10 s), and never change after. The document
-- ids depend only on the minute and the group, so a re-run replaces them; a run without state that starts
-- inside a minute rewrites that minute with the spans it has read.
--
-- Dimensions: span and process tags that split the metrics further, as the spanmetrics connector's dimensions do;
-- the list is in the view dimensioned_spans below, the one place to edit. A document's dimensions hold the tags its
-- spans have (a span without one of them is grouped without it), and its id depends on them.
--
-- Cardinality guard: per service and minute only the top 100 operations with their dimensions by calls (summed
-- over kinds and statuses) keep their name and dimensions; the others are added up under operation 'other'
-- without dimensions, and foldedGroups counts the groups (operation, kind, status, dimensions) added up there, so
-- a dimension of 10,000 values makes at most 100 groups a service and minute, plus 'other' (each split by kind and
-- status), and says what it folded. Ties in calls go to the operation name, then the dimensions, that sort
-- first. To change N, edit "calls_rank <= 100" below. The ranking sees the whole minute before anything is
-- written, so a restart or another parallelism gives the same documents (a real operation named 'other' among the
-- top N would share its document with the folded ones).
--
-- Percentiles: nearest-rank (the value of rank ceil(q * calls)), read from LATENCY_SKETCH, whose buckets
-- are exact below 128 us and at most 1/128 (0.79 %) of the value wide above; maxMicros is exact.

-- Minutes and index days in UTC, whatever the environment part set.
SET 'table.local-time-zone' = 'UTC';

-- A span whose minute the watermark has passed (its producer's clock is behind, or its partition was read late)
-- would be dropped by the window operator unseen: IS_LATE_SPAN leaves it out, counts it (metric
-- tracefeatures.spansBehindWatermark) and logs it with its trace id, partition and offset. The first argument is the
-- end of the span's minute (FLOOR works on TIMESTAMP, not on TIMESTAMP_LTZ; the casts are exact in UTC).
CREATE TEMPORARY VIEW minute_spans AS
SELECT *
FROM spans
WHERE NOT IS_LATE_SPAN(CAST(FLOOR(CAST(event_time AS TIMESTAMP(3)) TO MINUTE) + INTERVAL '1' MINUTE AS TIMESTAMP_LTZ(3)),
                       CURRENT_WATERMARK(event_time), trace_id, kafka_partition, kafka_offset);

-- The dimensions, as a JSON object of the tags a span has: edit this list to change them (KEY is the name in the
-- documents' dimensions; tags are span tags, OTLP attributes; process_tags are process tags, OTLP resource
-- attributes). A JSON text and not a map, because a group key must compare as equal.
CREATE TEMPORARY VIEW dimensioned_spans AS
SELECT
  *,
  JSON_OBJECT(
    KEY 'http.route' VALUE tags['http.route'],
    KEY 'http.status_code' VALUE tags['http.status_code'],
    KEY 'service.version' VALUE process_tags['service.version'],
    KEY 'deployment.environment' VALUE process_tags['deployment.environment']
    ABSENT ON NULL) AS dimensions
FROM minute_spans;

-- Stage 1: per minute and (service, operation, kind, status, dimensions), results that later stages can add up.
CREATE TEMPORARY VIEW span_metrics_by_operation AS
SELECT
  window_start,
  window_end,
  service,
  operation,
  span_kind,
  is_error,
  dimensions,
  COUNT(*) AS calls,
  COUNT(*) FILTER (WHERE is_error) AS errors,
  MAX(duration_micros) AS max_micros,
  LATENCY_SKETCH(duration_micros) AS latency_sketch,
  LATENCY_HISTOGRAM(duration_micros) AS latency_histogram,
  LATENCY_EXEMPLARS(trace_id, duration_micros) AS latency_exemplars
FROM TABLE(TUMBLE(TABLE dimensioned_spans, DESCRIPTOR(event_time), INTERVAL '1' MINUTE))
GROUP BY window_start, window_end, service, operation, span_kind, is_error, dimensions;

-- Stage 2: per service and minute, the operations with their dimensions that keep their name and dimensions.
CREATE TEMPORARY VIEW named_operations AS
SELECT window_start, window_end, service, operation, dimensions
FROM (
  SELECT *, ROW_NUMBER() OVER (PARTITION BY window_start, window_end, service
                               ORDER BY calls DESC, operation, dimensions) AS calls_rank
  FROM (
    SELECT window_start, window_end, service, operation, dimensions, SUM(calls) AS calls
    FROM span_metrics_by_operation
    GROUP BY window_start, window_end, service, operation, dimensions
  )
)
WHERE calls_rank <= 100;

-- Stage 3: fold the other operations into 'other' and add up their partial results.
INSERT INTO span_metrics
SELECT
  -- one document per minute, service, operation, kind, status and dimensions (hashed: ids are limited to 512
  -- bytes); without dimensions ('{}') the id is that of the five alone
  SHA256(CASE WHEN dimensions = '{}'
    THEN JSON_ARRAY(DATE_FORMAT(window_start, 'yyyy-MM-dd''T''HH:mm'), service, operation, span_kind, is_error
                    NULL ON NULL)
    ELSE JSON_ARRAY(DATE_FORMAT(window_start, 'yyyy-MM-dd''T''HH:mm'), service, operation, span_kind, is_error,
                    dimensions NULL ON NULL) END) AS docId,
  CAST(window_start AS TIMESTAMP_LTZ(3)) AS `@timestamp`,  -- the minute's start
  service,                   -- process.service_name
  operation,                 -- operation name, or 'other' for the operations beyond the top 100
  span_kind AS spanKind,     -- the span.kind tag: client, server, producer, consumer, internal or null
  is_error AS error,         -- true for spans with the error flag (see the spans view)
  JSON_STRING_MAP(dimensions) AS dimensions,  -- the dimensions' tags the spans have (none for 'other')
  SUM(folded) AS foldedGroups,  -- groups of stage 1 added up here by the cardinality guard (0 unless 'other')
  SUM(calls) AS calls,       -- spans
  SUM(errors) AS errors,     -- spans with the error flag (all of them or none, as error is a dimension)
  LATENCY_PERCENTILE(LATENCY_SKETCH(latency_sketch), 0.5) AS p50Micros,   -- median duration, microseconds
  LATENCY_PERCENTILE(LATENCY_SKETCH(latency_sketch), 0.95) AS p95Micros,  -- 95th percentile duration
  LATENCY_PERCENTILE(LATENCY_SKETCH(latency_sketch), 0.99) AS p99Micros,  -- 99th percentile duration
  MAX(max_micros) AS maxMicros,  -- longest duration, exact
  -- spans with duration <= 2, 4, 6, 8, 10, 50, 100, 200, 400, 800, 1000, 1400, 2000, 5000, 10000, 15000 ms
  -- (spanmetrics' default buckets) and in all (leInf); cumulative, as Prometheus's le buckets
  LATENCY_HISTOGRAM(latency_histogram) AS durationHistogram,
  -- per bucket of durationHistogram (not cumulative: above the bound before, at or below its own), the slowest
  -- span's trace id and duration in microseconds: a trace to open in Jaeger for each bar; the highest bucket's
  -- is the slowest span's of the document. Equal durations go to the trace id that sorts first.
  LATENCY_EXEMPLARS(latency_exemplars) AS durationExemplars
FROM (
  SELECT m.window_start, m.window_end, m.service, COALESCE(n.operation, 'other') AS operation, m.span_kind,
         m.is_error, COALESCE(n.dimensions, '{}') AS dimensions, CASE WHEN n.operation IS NULL THEN 1 ELSE 0 END
         AS folded, m.calls, m.errors, m.max_micros, m.latency_sketch, m.latency_histogram, m.latency_exemplars
  FROM span_metrics_by_operation AS m
  LEFT JOIN named_operations AS n
    ON m.window_start = n.window_start AND m.window_end = n.window_end
   AND m.service = n.service AND m.operation = n.operation AND m.dimensions = n.dimensions
)
GROUP BY window_start, window_end, service, operation, span_kind, is_error, dimensions;
