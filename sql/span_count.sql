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
  -- "service::operation" -> number of spans; '.' in names becomes '@'. Each key is a field of the daily
  -- index, so FIELD_SAFE_MAP bounds them: at most 1000 keys per trace (the largest counts), and per index day
  -- at most 2000 distinct keys, 100 of one service, none over 256 characters (first come, first admitted; see
  -- IndexKeyBudget); the rest is summed under "_other", so sum(spanCounts) = spanCount.
  FIELD_SAFE_MAP(SPAN_COUNTS(spans), 1000, start_micros, 2000, 100) AS spanCounts,
  test_name AS testName                                   -- the root span's test_name tag, if any
FROM traces;
