-- The book's SpanCountJob (Mastering Distributed Tracing, ch. 12): per trace, how many spans of each
-- service and operation it has, into the Elasticsearch index trace-summaries (document id = trace id).
INSERT INTO trace_summaries
SELECT
  trace_id AS traceId,                                    -- the trace id as Jaeger prints it
  TO_TIMESTAMP_LTZ(start_micros / 1000, 3) AS `@timestamp`, -- earliest span start
  CAST(CARDINALITY(spans) AS BIGINT) AS spanCount,        -- spans in the trace, repeats counted once (kept ones)
  -- spans beyond the cap of spans per trace (see sql/init/traces.sql), not in spanCount or spanCounts;
  -- more than 0 means the trace was truncated
  dropped_span_count AS droppedSpanCount,
  -- "service::operation" -> number of spans; '.' in names becomes '@', at most 1000 keys per trace
  -- (the smallest counts are summed under "_other")
  FIELD_SAFE_MAP(SPAN_COUNTS(spans), 1000) AS spanCounts,
  test_name AS testName                                   -- the root span's test_name tag, if any
FROM traces;
