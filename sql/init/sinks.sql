-- Elasticsearch sink tables. Connector and hosts come from the environment part (LIKE
-- elasticsearch_connection); mappings from sql/index-templates (the connector creates none). The primary key is the document id: rewriting a trace replaces the
-- fields it writes.

CREATE TABLE trace_summaries (
  traceId STRING,
  `@timestamp` TIMESTAMP_LTZ(3),
  spanCount BIGINT,
  spanCounts MAP<STRING, BIGINT>,
  testName STRING,
  PRIMARY KEY (traceId) NOT ENFORCED
) WITH (
  'index' = 'trace-summaries',
  -- 2026-11-24T10:00:00.123Z, which Elasticsearch's date type reads as it is
  'json.timestamp-format.standard' = 'ISO-8601'
)
LIKE elasticsearch_connection;

CREATE TABLE trace_features (
  traceId STRING,
  `@timestamp` TIMESTAMP_LTZ(3),
  testName STRING,
  rootService STRING,
  rootOperation STRING,
  rootDurationMicros BIGINT,
  rootCount INT,
  durationMicros BIGINT,
  spanCount INT,
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
  'index' = 'trace-features',
  'json.timestamp-format.standard' = 'ISO-8601'
)
LIKE elasticsearch_connection;

-- One document per (trace, service on the critical path): Kibana 7.10 cannot split a chart on the
-- keys of an object, but it can on a keyword field.
CREATE TABLE trace_critical_path (
  docId STRING,
  traceId STRING,
  `@timestamp` TIMESTAMP_LTZ(3),
  service STRING,
  micros BIGINT,
  testName STRING,
  PRIMARY KEY (docId) NOT ENFORCED
) WITH (
  'index' = 'trace-critical-path',
  'json.timestamp-format.standard' = 'ISO-8601'
)
LIKE elasticsearch_connection;
