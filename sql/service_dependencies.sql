-- The service dependency graph of the Jaeger UI (System Architecture), as a streaming job instead of Jaeger's
-- daily spark-dependencies batch: per time bucket, how often each service called another, written as the
-- documents of Jaeger's Elasticsearch dependency store (sink table jaeger_dependencies in init/sinks.sql:
-- index jaeger-dependencies-YYYY-MM-DD, one document per bucket), so Jaeger Query shows them unchanged.
--
-- Calls: per assembled trace, SERVICE_CALLS counts one call for every span whose parent span is in another
-- service; a parent of the same service gives none. In the simulator's HotROD traces every request is a
-- client span in the caller with a server span below it in the callee, so each request is exactly one call
-- (the client->server hop); the caller's server span -> its own client span is the same service, and so is
-- test-executor's runTest -> its client span. Per trace of hotrod-original: test-executor->ui 1, ui->frontend
-- 1, frontend->customer 1, customer->mysql 1, frontend->driver 1, driver->redis 11 (FindDriverIDs and 10 x
-- GetDriver), frontend->route 10. A Zipkin-style server span sharing its client's id counts once, below that
-- client; roots and orphans (caller unknown) count nothing. errorCount: calls whose callee span has the
-- error flag.
--
-- Peers that report no spans (a database, a cache, a queue): a client or producer span that names its peer
-- (the spans view's peer: peer.service, db.name, db.system, messaging.* or server.address) and has no child in
-- another service is one call from its service to that peer, a node of its own in Jaeger's graph as in
-- OpenTelemetry's service graph; its own error flag (the caller's span: the peer has none) makes it an error call. SERVICE_CALLS' second argument turns
-- this off (FALSE: only calls between services that report spans, as Jaeger's spark-dependencies counts).
--
-- Buckets: a trace belongs to the bucket that holds its window_time (its session window's end: last span's
-- Kafka timestamp + the 5 s gap of init/traces.sql). Bucket size: the last INTERVAL of CUMULATE below (1 hour);
-- buckets start at whole multiples of it in UTC.
--
-- When the document appears: CUMULATE emits the bucket's totals so far at the end of every step (the first
-- INTERVAL, 1 minute) in event time, and the sink replaces the bucket's document with them each time. So a
-- trace whose last span reached Kafka at t is in the document from the first step end M >= t + 5 s on,
-- written as soon as the watermark passes M, that is once spans written at M + 1 s or later are read (idle
-- partitions are skipped after 10 s): with steady traffic within about 1 min 6 s of the trace. The
-- document is final once the watermark passes the bucket's end; a step without new calls writes nothing.
-- A shorter step gives fresher documents and more writes; the bucket must be a whole number of steps.
--
-- Re-runs: the document id is the bucket start, and an update replaces the dependencies array whole, so a
-- re-run over the same spans, or a restart from an earlier offset, replaces the bucket's document instead
-- of adding a second one (Jaeger sums every document in its look-back). The flip side: a run without
-- state that starts inside a bucket (--from latest, or a timestamp within the hour) rewrites that bucket's
-- document with only the calls it has read; start re-runs at a whole hour or earlier.

-- Buckets and index days in UTC, as Jaeger names its indexes, whatever the environment part set.
SET 'table.local-time-zone' = 'UTC';

CREATE TEMPORARY VIEW trace_service_calls AS
SELECT
  t.window_time AS trace_time,  -- the trace's event time: which bucket it falls in
  c.parent,                     -- calling service
  c.child,                      -- called service
  c.callCount,                  -- calls from parent to child in this trace
  c.errorCount                  -- of those, calls whose callee span (to a peer: the caller span) has the error flag
FROM traces AS t
CROSS JOIN LATERAL TABLE(SERVICE_CALLS(t.spans, TRUE)) AS c;  -- TRUE: peers that report no spans are nodes too

INSERT INTO jaeger_dependencies
SELECT
  -- the bucket start, which Jaeger's reader filters on; also the document id and the index's day
  CAST(window_start AS TIMESTAMP_LTZ(0)) AS `timestamp`,
  -- one link per (parent, child) with its summed callCount and errorCount, sorted; source names us
  DEPENDENCY_LINKS(parent, child, callCount, errorCount, 'tracefeatures') AS dependencies
FROM TABLE(CUMULATE(TABLE trace_service_calls, DESCRIPTOR(trace_time), INTERVAL '1' MINUTE, INTERVAL '1' HOUR))
GROUP BY window_start, window_end;
