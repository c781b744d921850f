-- Trace features beyond span counts: shape, errors, latency and the critical path of every trace,
-- into trace-features (one document per trace) and trace-critical-path (one per trace and service).
-- One job: both INSERTs read the same assembled traces, which the planner computes once.
EXECUTE STATEMENT SET
BEGIN

INSERT INTO trace_features
SELECT
  t.trace_id AS traceId,                                     -- the trace id as Jaeger prints it
  TO_TIMESTAMP_LTZ(t.start_micros / 1000, 3) AS `@timestamp`,  -- earliest span start
  t.test_name AS testName,                                   -- the root span's test_name tag, if any
  f.rootService,             -- service of the root (the earliest root; no root: the earliest orphan)
  f.rootOperation,           -- operation of that root
  f.rootDurationMicros,      -- duration of that root
  f.rootCount,               -- spans without a parent reference
  f.durationMicros,          -- latest span end minus earliest span start
  f.spanCount,               -- spans, repeats counted once (the kept ones when the trace was truncated)
  -- spans beyond the cap of spans per trace (see sql/init/traces.sql): every feature here describes
  -- only the trace's earliest-starting spans that were kept
  t.dropped_span_count AS droppedSpanCount,
  f.serviceCount,            -- distinct services
  f.operationCount,          -- distinct service::operation
  f.errorCount,              -- spans with the error flag
  f.errorServices,           -- distinct services with such spans
  f.depth,                   -- longest root-to-leaf chain, in spans
  f.serviceDepth,            -- the same chain in service hops (consecutive spans of a service count once)
  f.maxFanOut,               -- most direct children of one span
  f.orphanSpanCount,         -- spans whose parent is missing, or that a reference cycle cuts off
  -- 'cycle' when parent references form a cycle; 'truncated' when spans were dropped over the cap
  CASE WHEN t.dropped_span_count > 0 THEN ARRAY_APPEND(f.warnings, 'truncated') ELSE f.warnings END AS warnings,
  f.networkLatencyMaxMicros, -- max of server start minus client start over client->server hops across services
  f.networkLatencyAvgMicros, -- average of the same
  -- service::operation -> microseconds on the root's critical path (as the Jaeger UI computes it);
  -- the values add up to rootDurationMicros. '.' in names becomes '@'. The keys are fields of the daily index,
  -- bounded as in span_count.sql (per trace 1000; per index day 2000, 100 per service; the rest under "_other").
  FIELD_SAFE_MAP(f.criticalPath, 1000, t.start_micros, 2000, 100) AS criticalPath,
  FIELD_SAFE_MAP(f.criticalPathServices, 1000, t.start_micros, 2000, 100) AS criticalPathServices,  -- per service
  FIELD_SAFE_MAP(f.spanCounts, 1000, t.start_micros, 2000, 100) AS spanCounts  -- service::operation -> spans
FROM traces AS t
CROSS JOIN LATERAL TABLE(TRACE_FEATURES(t.spans)) AS f;

INSERT INTO trace_critical_path
SELECT
  t.trace_id || '/' || c.service AS docId,                   -- one document per trace and service
  t.trace_id AS traceId,                                     -- the trace id as Jaeger prints it
  TO_TIMESTAMP_LTZ(t.start_micros / 1000, 3) AS `@timestamp`,  -- earliest span start
  c.service,                                                 -- a service on the root's critical path
  c.micros,                                                  -- its microseconds on that path
  t.test_name AS testName                                    -- the root span's test_name tag, if any
FROM traces AS t
CROSS JOIN LATERAL TABLE(TRACE_FEATURES(t.spans)) AS f
CROSS JOIN UNNEST(f.criticalPathServices) AS c (service, micros);

END;
