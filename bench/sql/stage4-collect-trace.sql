-- Bench stage 4 of span_count.sql (bench --stages): the session window with COLLECT_TRACE, as the trace_windows
-- view assembles traces, into a blackhole. What assembling traces costs over stage 3; the rest of span_count.sql
-- (numbering each trace's windows, keeping the first, SPAN_COUNTS, FIELD_SAFE_MAP) is the difference to it.
CREATE TEMPORARY TABLE stage_traces (
  trace_id STRING,
  span_count INT,
  start_micros BIGINT,
  test_name STRING
) WITH ('connector' = 'blackhole');

INSERT INTO stage_traces
SELECT trace_id, CARDINALITY(collected.spans), start_micros, test_name
FROM trace_windows;
