-- Bench stage 3 of span_count.sql (bench --stages): the session window of stage 2 that also takes, as plain
-- aggregates, every span column COLLECT_TRACE takes, into a blackhole. What deriving those columns and moving them
-- through the shuffle into the window costs over stage 2; stage 4 minus this is what COLLECT_TRACE itself costs.
CREATE TEMPORARY TABLE stage_span_columns (
  trace_id STRING,
  span_count BIGINT,
  start_micros BIGINT,
  test_name STRING,
  last_span_id STRING,
  last_parent_span_id STRING,
  last_reference_type STRING,
  last_service STRING,
  last_operation STRING,
  last_span_kind STRING,
  last_peer STRING,
  any_error BOOLEAN,
  any_calls_database BOOLEAN,
  longest_duration_micros BIGINT
) WITH ('connector' = 'blackhole');

INSERT INTO stage_span_columns
SELECT trace_id, COUNT(*), MIN(start_micros), MAX(tags['test_name']),
       MAX(span_id), MAX(parent_span_id), MAX(reference_type), MAX(service), MAX(operation), MAX(span_kind),
       MAX(peer), MAX(is_error), MAX(calls_database), MAX(duration_micros)
FROM TABLE(SESSION(TABLE spans PARTITION BY trace_id, DESCRIPTOR(event_time), INTERVAL '5' SECOND))
GROUP BY trace_id, window_start, window_end;
