-- Bench stage 2 of span_count.sql (bench --stages): the session window per trace id of sql/init/traces.sql with
-- plain aggregates instead of COLLECT_TRACE, into a blackhole. What the window itself costs over stage 1.
CREATE TEMPORARY TABLE stage_windows (
  trace_id STRING,
  span_count BIGINT,
  start_micros BIGINT,
  test_name STRING
) WITH ('connector' = 'blackhole');

INSERT INTO stage_windows
SELECT trace_id, COUNT(*), MIN(start_micros), MAX(tags['test_name'])
FROM TABLE(SESSION(TABLE spans PARTITION BY trace_id, DESCRIPTOR(event_time), INTERVAL '5' SECOND))
GROUP BY trace_id, window_start, window_end;
