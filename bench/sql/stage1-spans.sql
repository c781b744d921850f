-- Bench stage 1 of span_count.sql (bench --stages): only reading and decoding the spans, with every column
-- span_count.sql takes from the spans view, into a blackhole. What the input costs.
CREATE TEMPORARY TABLE stage_spans (
  trace_id STRING,
  span_id STRING,
  parent_span_id STRING,
  reference_type STRING,
  service STRING,
  operation STRING,
  span_kind STRING,
  is_error BOOLEAN,
  start_micros BIGINT,
  duration_micros BIGINT,
  test_name STRING
) WITH ('connector' = 'blackhole');

INSERT INTO stage_spans
SELECT trace_id, span_id, parent_span_id, reference_type, service, operation, span_kind, is_error, start_micros,
       duration_micros, tags['test_name']
FROM spans;
