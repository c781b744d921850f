-- Elasticsearch sink tables. Connector and hosts come from the environment part (LIKE
-- elasticsearch_connection); mappings from sql/index-templates (the connector creates none). The primary key is
-- the document id, and writing a row replaces the whole document of that id, so a document written again (a
-- replay, a restart) never keeps fields of its older version.
--
-- Per-trace documents go to daily indexes by the UTC day of their own @timestamp (the earliest span start), so a
-- replay writes a document to the index it went to the first time; the index templates give every daily index
-- an alias without the day (trace-summaries, trace-features, trace-critical-path), which Kibana, the report and
-- searches use. `bin/tracefeatures retention --keep 14d` deletes the days past a limit.

CREATE TABLE trace_summaries (
  traceId STRING,
  `@timestamp` TIMESTAMP_LTZ(3),
  spanCount BIGINT,
  droppedSpanCount BIGINT,
  spanCounts MAP<STRING, BIGINT>,
  testName STRING,
  PRIMARY KEY (traceId) NOT ENFORCED
) WITH (
  'index' = 'trace-summaries-{@timestamp|yyyy-MM-dd}',
  -- 2026-11-24T10:00:00.123Z, which Elasticsearch's date type reads as it is
  'json.timestamp-format.standard' = 'ISO-8601'
)
LIKE elasticsearch_connection;

CREATE TABLE trace_features (
  traceId STRING,
  `@timestamp` TIMESTAMP_LTZ(3),
  testName STRING,
  environment STRING,
  serviceVersions MAP<STRING, STRING>,
  tags MAP<STRING, STRING>,
  samplingWeight DOUBLE,
  patternId STRING,
  patternShape STRING,
  rootService STRING,
  rootOperation STRING,
  rootDurationMicros BIGINT,
  rootCount INT,
  durationMicros BIGINT,
  spanCount INT,
  droppedSpanCount BIGINT,
  serviceCount INT,
  operationCount INT,
  errorCount INT,
  errorServices ARRAY<STRING>,
  depth INT,
  serviceDepth INT,
  maxFanOut INT,
  orphanSpanCount INT,
  warnings ARRAY<STRING>,
  networkLatencyMaxMicros BIGINT,
  networkLatencyAvgMicros DOUBLE,
  criticalPath MAP<STRING, BIGINT>,
  criticalPathServices MAP<STRING, BIGINT>,
  spanCounts MAP<STRING, BIGINT>,
  PRIMARY KEY (traceId) NOT ENFORCED
) WITH (
  'index' = 'trace-features-{@timestamp|yyyy-MM-dd}',
  'json.timestamp-format.standard' = 'ISO-8601'
)
LIKE elasticsearch_connection;

-- One document per (trace, service on the critical path): Kibana 7.10 cannot split a chart on the
-- keys of an object, but it can on a keyword field. An id over 512 bytes (a very long service name) is
-- replaced by its SHA-256 by the sink.
CREATE TABLE trace_critical_path (
  docId STRING,
  traceId STRING,
  `@timestamp` TIMESTAMP_LTZ(3),
  service STRING,
  micros BIGINT,
  testName STRING,
  PRIMARY KEY (docId) NOT ENFORCED
) WITH (
  'index' = 'trace-critical-path-{@timestamp|yyyy-MM-dd}',
  'json.timestamp-format.standard' = 'ISO-8601'
)
LIKE elasticsearch_connection;

-- Jaeger's dependency graph, in the documents of Jaeger's Elasticsearch dependency store (what Jaeger
-- Query's /api/dependencies reads): one document per time bucket in jaeger-dependencies-YYYY-MM-DD (the
-- bucket's UTC day), {"timestamp": "2026-11-24T10:00:00Z", "dependencies": [{"parent", "child",
-- "callCount", ...}]}. The bucket start is the document id, so rewriting a bucket replaces its document
-- (Jaeger adds up every document in its look-back). The index's day is the bucket's UTC day. With the ISO-8601 standard the json format writes a
-- TIMESTAMP_LTZ(0) as RFC 3339 in UTC ("2026-11-24T10:00:00Z"), the form Go's time.Time reads.
-- No index template: Jaeger installs its own for *jaeger-dependencies-* (empty mapping, so
-- "timestamp" becomes a date by date detection), and a composable template of ours would replace it.
CREATE TABLE jaeger_dependencies (
  `timestamp` TIMESTAMP_LTZ(0),
  dependencies ARRAY<ROW<parent STRING, child STRING, callCount BIGINT, errorCount BIGINT, source STRING>>,
  PRIMARY KEY (`timestamp`) NOT ENFORCED
) WITH (
  'index' = 'jaeger-dependencies-{timestamp|yyyy-MM-dd}',
  'json.timestamp-format.standard' = 'ISO-8601'
)
LIKE elasticsearch_connection;

-- RED metrics per minute, service, operation, span kind and status, in span-metrics-YYYY-MM-DD (the
-- minute's UTC day, see span_metrics.sql); docId is derived from those five and the dimensions, so a re-run
-- replaces.
CREATE TABLE span_metrics (
  docId STRING,
  `@timestamp` TIMESTAMP_LTZ(3),
  service STRING,
  operation STRING,
  spanKind STRING,
  error BOOLEAN,
  dimensions MAP<STRING, STRING>,
  foldedGroups BIGINT,
  calls BIGINT,
  errors BIGINT,
  p50Micros BIGINT,
  p95Micros BIGINT,
  p99Micros BIGINT,
  maxMicros BIGINT,
  durationHistogram ROW<le2ms BIGINT, le4ms BIGINT, le6ms BIGINT, le8ms BIGINT, le10ms BIGINT, le50ms BIGINT,
    le100ms BIGINT, le200ms BIGINT, le400ms BIGINT, le800ms BIGINT, le1000ms BIGINT, le1400ms BIGINT,
    le2000ms BIGINT, le5000ms BIGINT, le10000ms BIGINT, le15000ms BIGINT, leInf BIGINT>,
  durationExemplars ROW<le2ms ROW<traceId STRING, micros BIGINT>, le4ms ROW<traceId STRING, micros BIGINT>,
    le6ms ROW<traceId STRING, micros BIGINT>, le8ms ROW<traceId STRING, micros BIGINT>,
    le10ms ROW<traceId STRING, micros BIGINT>, le50ms ROW<traceId STRING, micros BIGINT>,
    le100ms ROW<traceId STRING, micros BIGINT>, le200ms ROW<traceId STRING, micros BIGINT>,
    le400ms ROW<traceId STRING, micros BIGINT>, le800ms ROW<traceId STRING, micros BIGINT>,
    le1000ms ROW<traceId STRING, micros BIGINT>, le1400ms ROW<traceId STRING, micros BIGINT>,
    le2000ms ROW<traceId STRING, micros BIGINT>, le5000ms ROW<traceId STRING, micros BIGINT>,
    le10000ms ROW<traceId STRING, micros BIGINT>, le15000ms ROW<traceId STRING, micros BIGINT>,
    leInf ROW<traceId STRING, micros BIGINT>>,
  PRIMARY KEY (docId) NOT ENFORCED
) WITH (
  'index' = 'span-metrics-{@timestamp|yyyy-MM-dd}',
  'json.timestamp-format.standard' = 'ISO-8601'
)
LIKE elasticsearch_connection;

-- The service graph per minute and edge, in service-graph-YYYY-MM-DD (the minute's UTC day, see
-- service_dependencies.sql); docId is derived from the minute and the edge (client, server, connectionType), so a
-- re-run replaces.
CREATE TABLE service_graph (
  docId STRING,
  `@timestamp` TIMESTAMP_LTZ(3),
  client STRING,
  server STRING,
  edge STRING,
  connectionType STRING,
  foldedEdges BIGINT,
  calls BIGINT,
  failedCalls BIGINT,
  unpairedClientSpans BIGINT,
  unpairedServerSpans BIGINT,
  clientP50Micros BIGINT,
  clientP95Micros BIGINT,
  clientP99Micros BIGINT,
  clientMaxMicros BIGINT,
  serverP50Micros BIGINT,
  serverP95Micros BIGINT,
  serverP99Micros BIGINT,
  serverMaxMicros BIGINT,
  clientDurationHistogram ROW<le2ms BIGINT, le4ms BIGINT, le6ms BIGINT, le8ms BIGINT, le10ms BIGINT, le50ms BIGINT,
    le100ms BIGINT, le200ms BIGINT, le400ms BIGINT, le800ms BIGINT, le1000ms BIGINT, le1400ms BIGINT,
    le2000ms BIGINT, le5000ms BIGINT, le10000ms BIGINT, le15000ms BIGINT, leInf BIGINT>,
  serverDurationHistogram ROW<le2ms BIGINT, le4ms BIGINT, le6ms BIGINT, le8ms BIGINT, le10ms BIGINT, le50ms BIGINT,
    le100ms BIGINT, le200ms BIGINT, le400ms BIGINT, le800ms BIGINT, le1000ms BIGINT, le1400ms BIGINT,
    le2000ms BIGINT, le5000ms BIGINT, le10000ms BIGINT, le15000ms BIGINT, leInf BIGINT>,
  PRIMARY KEY (docId) NOT ENFORCED
) WITH (
  'index' = 'service-graph-{@timestamp|yyyy-MM-dd}',
  'json.timestamp-format.standard' = 'ISO-8601'
)
LIKE elasticsearch_connection;
