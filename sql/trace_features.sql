-- Trace features beyond span counts: shape, errors, latency, the critical path, the dimensions and the pattern of
-- every trace, into trace-features (one document per trace) and trace-critical-path (one per trace and service).
-- One job: both INSERTs read the same assembled traces, which the planner computes once. Pattern counts per minute
-- and dimension are an aggregation of trace-features away (Kibana's "Traces by call-tree pattern").

-- Each trace with its features (TRACE_FEATURES' columns: see TraceFeatures).
CREATE TEMPORARY VIEW trace_rows AS
SELECT t.trace_id, t.start_micros, t.dropped_span_count, t.test_name, t.service_versions,
       t.environment, t.sampling_weight, t.trace_tags, f.*
FROM traces AS t
CROSS JOIN LATERAL TABLE(TRACE_FEATURES(t.spans)) AS f;

EXECUTE STATEMENT SET
BEGIN

INSERT INTO trace_features
SELECT
  t.trace_id AS traceId,                                     -- the trace id as Jaeger prints it
  TO_TIMESTAMP_LTZ(t.start_micros / 1000, 3) AS `@timestamp`,  -- earliest span start
  t.test_name AS testName,                                   -- the root span's test_name tag, if any
  t.environment,             -- deployment.environment(.name) of the trace's processes, if any
  t.service_versions AS serviceVersions,  -- service -> its service.version ('.' in names becomes '@')
  t.trace_tags AS tags,      -- the span tags sql/init/traces.sql names as the trace's dimensions
  t.sampling_weight AS samplingWeight,  -- traces this one stands for: 1 / its sampling probability
  t.patternId,               -- 16 hex digits that only the call tree's shape by service::operation decides
  t.patternShape,            -- that shape as text, equal siblings folded as xN (see TracePattern)
  t.rootService,             -- service of the root (the earliest root; no root: the earliest orphan)
  t.rootOperation,           -- operation of that root
  t.rootDurationMicros,      -- duration of that root
  t.rootCount,               -- spans without a parent reference
  t.durationMicros,          -- latest span end minus earliest span start
  t.spanCount,               -- spans, repeats counted once (the kept ones when the trace was truncated)
  -- spans beyond the cap of spans per trace (see sql/init/traces.sql): every feature here describes
  -- only the trace's earliest-starting spans that were kept
  t.dropped_span_count AS droppedSpanCount,
  t.serviceCount,            -- distinct services
  t.operationCount,          -- distinct service::operation
  t.errorCount,              -- spans with the error flag
  t.errorServices,           -- distinct services with such spans
  t.depth,                   -- longest root-to-leaf chain, in spans
  t.serviceDepth,            -- the same chain in service hops (consecutive spans of a service count once)
  t.maxFanOut,               -- most direct children of one span
  t.orphanSpanCount,         -- spans whose parent is missing, or that a reference cycle cuts off
  -- 'cycle' when parent references form a cycle; 'truncated' when spans were dropped over the cap
  CASE WHEN t.dropped_span_count > 0 THEN ARRAY_APPEND(t.warnings, 'truncated') ELSE t.warnings END AS warnings,
  t.networkLatencyMaxMicros, -- max of server start minus client start over client->server hops across services
  t.networkLatencyAvgMicros, -- average of the same
  -- service::operation -> microseconds on the root's critical path (as the Jaeger UI computes it);
  -- the values add up to rootDurationMicros. '.' in names becomes '@'. The keys are fields of the daily index,
  -- bounded as in span_count.sql (per trace 1000; per index day 2000, 100 per service; the rest under "_other").
  FIELD_SAFE_MAP(t.criticalPath, 1000, t.start_micros, 2000, 100) AS criticalPath,
  FIELD_SAFE_MAP(t.criticalPathServices, 1000, t.start_micros, 2000, 100) AS criticalPathServices,  -- per service
  FIELD_SAFE_MAP(t.spanCounts, 1000, t.start_micros, 2000, 100) AS spanCounts  -- service::operation -> spans
FROM trace_rows AS t;

INSERT INTO trace_critical_path
SELECT
  t.trace_id || '/' || c.service AS docId,                   -- one document per trace and service
  t.trace_id AS traceId,                                     -- the trace id as Jaeger prints it
  TO_TIMESTAMP_LTZ(t.start_micros / 1000, 3) AS `@timestamp`,  -- earliest span start
  c.service,                                                 -- a service on the root's critical path
  c.micros,                                                  -- its microseconds on that path
  t.test_name AS testName                                    -- the root span's test_name tag, if any
FROM trace_rows AS t
CROSS JOIN UNNEST(t.criticalPathServices) AS c (service, micros);

END;
