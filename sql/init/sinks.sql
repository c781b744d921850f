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
