-- The service graph, as one job with two outputs over the same assembled traces (the planner assembles them once):
--  1. the service dependency graph of the Jaeger UI (System Architecture), as a streaming job instead of Jaeger's
--     daily spark-dependencies batch: per time bucket, how often each service called another, written as the
--     documents of Jaeger's Elasticsearch dependency store (sink table jaeger_dependencies in init/sinks.sql:
--     index jaeger-dependencies-YYYY-MM-DD, one document per bucket), so Jaeger Query shows them unchanged;
--  2. the edges of OpenTelemetry's service graph (the Collector's servicegraph connector, Tempo's metrics-generator)
--     per minute, with the latency each side saw (sink table service_graph: index service-graph-YYYY-MM-DD), below.
--
-- 1. Jaeger's dependency graph.
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

-- 2. The service graph per minute and edge (client, server, connection type), as OpenTelemetry's service graph pairs
-- requests (SERVICE_GRAPH_REQUESTS, in udf's ServiceGraph):
--  - a call between services that report spans (the calls of 1., so the same edges and calls): the server latency is
--    the callee's span's duration; the client latency the caller's client (or producer) span's, counted once when it
--    has several children in other services (with the first; NULL when the caller's span is no client span);
--    connectionType messaging_system for a producer or consumer, database for a client span with db.system or
--    db.name, else direct;
--  - a call to a peer that reports no spans (the virtual peers of 1.): server is the peer, connectionType database
--    (a client span with db.system or db.name), messaging_system (a producer span) or virtual_node; no server latency;
--  - a root server or consumer span: a request from client 'user' (a caller that reports no spans: a browser, curl),
--    connectionType virtual_node; no client latency. (Jaeger's graph has no such edge.)
-- A request has failed when the client's or the server's span has the error flag. A client span whose callee is
-- unknown (no server span, no peer) counts in unpairedClientSpans of a document with server null; a server span whose
-- caller's span is not in the trace counts in unpairedServerSpans of a document with client null. Calls within one
-- service give no edge (as in 1.; OpenTelemetry's graph draws them as a node's edge to itself).
--
-- Minutes: tumbling windows of the traces' event time (trace_time, as in 1.), in UTC. A minute's documents are
-- written once, when the watermark passes its end, and never change after; their ids depend only on the minute and
-- the edge, so a re-run replaces them, and a run without state that starts inside a minute rewrites that minute with
-- the traces it has read.
--
-- Cardinality guard: peers are named from the client's tags, and a server.address or db.name may hold a host or
-- tenant id. Per client and minute only the top 100 edges (server, connection type) by calls (ties to the server name,
-- then the connection type, that sorts first) keep their server's name; the others are added up under server 'other'
-- (per connection type), and foldedEdges counts the edges added up there. Documents with a null side are not folded:
-- their named side is a service that reports spans. To change N, edit "calls_rank > 100" below.
--
-- Percentiles: nearest-rank, read from LATENCY_SKETCH (exact below 128 us, else within 1/128 of the value); the
-- maxima are exact; the histograms have span_metrics.sql's buckets.

CREATE TEMPORARY VIEW trace_requests AS
SELECT
  t.window_time AS trace_time,         -- the trace's event time: which minute it falls in
  r.client,                            -- calling node (a service, or 'user'); NULL: an unpaired server span
  r.server,                            -- called node (a service or a peer); NULL: an unpaired client span
  r.connectionType AS connection_type, -- direct, messaging_system, database or virtual_node
  r.failed,                            -- the client's or the server's span has the error flag
  r.clientMicros AS client_micros,     -- the client span's duration; NULL when the caller reports no client span
  r.serverMicros AS server_micros      -- the server span's duration; NULL when the callee reports no span
FROM traces AS t
CROSS JOIN LATERAL TABLE(SERVICE_GRAPH_REQUESTS(t.spans)) AS r;

-- Stage 1: per minute and edge, results that the last stage can add up.
CREATE TEMPORARY VIEW service_graph_by_edge AS
SELECT
  window_start,
  window_end,
  client,
  server,
  connection_type,
  COUNT(*) FILTER (WHERE client IS NOT NULL AND server IS NOT NULL) AS calls,
  COUNT(*) FILTER (WHERE client IS NOT NULL AND server IS NOT NULL AND failed) AS failed_calls,
  COUNT(*) FILTER (WHERE server IS NULL) AS unpaired_client_spans,
  COUNT(*) FILTER (WHERE client IS NULL) AS unpaired_server_spans,
  MAX(client_micros) AS client_max_micros,
  LATENCY_SKETCH(client_micros) AS client_sketch,
  LATENCY_HISTOGRAM(client_micros) AS client_histogram,
  MAX(server_micros) AS server_max_micros,
  LATENCY_SKETCH(server_micros) AS server_sketch,
  LATENCY_HISTOGRAM(server_micros) AS server_histogram
FROM TABLE(TUMBLE(TABLE trace_requests, DESCRIPTOR(trace_time), INTERVAL '1' MINUTE))
GROUP BY window_start, window_end, client, server, connection_type;

-- Stage 2: per client and minute, each edge's rank by calls (an edge with a side unknown has no calls: it ranks after
-- the others), and whether the guard folds it.
CREATE TEMPORARY VIEW ranked_edges AS
SELECT *, client IS NOT NULL AND server IS NOT NULL AND calls_rank > 100 AS folded
FROM (
  SELECT *, ROW_NUMBER() OVER (PARTITION BY window_start, window_end, client
                               ORDER BY calls DESC, server, connection_type) AS calls_rank
  FROM service_graph_by_edge
)
WHERE calls_rank <= 2147483647;  -- every edge (a Top-N needs an upper bound)

EXECUTE STATEMENT SET
BEGIN

INSERT INTO jaeger_dependencies
SELECT
  -- the bucket start, which Jaeger's reader filters on; also the document id and the index's day
  CAST(window_start AS TIMESTAMP_LTZ(0)) AS `timestamp`,
  -- one link per (parent, child) with its summed callCount and errorCount, sorted; source names us
  DEPENDENCY_LINKS(parent, child, callCount, errorCount, 'tracefeatures') AS dependencies
FROM TABLE(CUMULATE(TABLE trace_service_calls, DESCRIPTOR(trace_time), INTERVAL '1' MINUTE, INTERVAL '1' HOUR))
GROUP BY window_start, window_end;

-- Stage 3: fold the other servers into 'other' and add up their partial results.
INSERT INTO service_graph
SELECT
  -- one document per minute and edge (hashed: ids are limited to 512 bytes)
  SHA256(JSON_ARRAY(DATE_FORMAT(window_start, 'yyyy-MM-dd''T''HH:mm'), client, server, connection_type NULL ON NULL))
    AS docId,
  CAST(window_start AS TIMESTAMP_LTZ(3)) AS `@timestamp`,  -- the minute's start
  client,                          -- calling service, or 'user'; NULL for unpaired server spans
  server,                          -- called service or peer, or 'other' beyond the top 100; NULL for unpaired client spans
  client || ' -> ' || server AS edge,  -- 'client -> server', to split charts by; NULL when a side is unknown
  connection_type AS connectionType,   -- direct, messaging_system, database or virtual_node
  SUM(folded) AS foldedEdges,      -- edges of stage 1 added up here by the cardinality guard (0 unless 'other')
  SUM(calls) AS calls,             -- requests between client and server
  SUM(failed_calls) AS failedCalls,  -- of those, requests whose client or server span has the error flag
  SUM(unpaired_client_spans) AS unpairedClientSpans,  -- client spans whose callee is unknown (server NULL)
  SUM(unpaired_server_spans) AS unpairedServerSpans,  -- server spans whose caller's span is missing (client NULL)
  LATENCY_PERCENTILE(LATENCY_SKETCH(client_sketch), 0.5) AS clientP50Micros,   -- median client span duration, us
  LATENCY_PERCENTILE(LATENCY_SKETCH(client_sketch), 0.95) AS clientP95Micros,  -- 95th percentile of it
  LATENCY_PERCENTILE(LATENCY_SKETCH(client_sketch), 0.99) AS clientP99Micros,  -- 99th percentile of it
  MAX(client_max_micros) AS clientMaxMicros,  -- longest client span, exact
  LATENCY_PERCENTILE(LATENCY_SKETCH(server_sketch), 0.5) AS serverP50Micros,   -- median server span duration, us
  LATENCY_PERCENTILE(LATENCY_SKETCH(server_sketch), 0.95) AS serverP95Micros,  -- 95th percentile of it
  LATENCY_PERCENTILE(LATENCY_SKETCH(server_sketch), 0.99) AS serverP99Micros,  -- 99th percentile of it
  MAX(server_max_micros) AS serverMaxMicros,  -- longest server span, exact
  -- client and server spans with duration <= 2, 4, ... 15000 ms and in all (leInf), cumulative, as in span_metrics
  LATENCY_HISTOGRAM(client_histogram) AS clientDurationHistogram,
  LATENCY_HISTOGRAM(server_histogram) AS serverDurationHistogram
FROM (
  SELECT window_start, window_end, client, CASE WHEN folded THEN 'other' ELSE server END AS server, connection_type,
         CASE WHEN folded THEN 1 ELSE 0 END AS folded, calls, failed_calls, unpaired_client_spans, unpaired_server_spans,
         client_max_micros, client_sketch, client_histogram, server_max_micros, server_sketch, server_histogram
  FROM ranked_edges
)
GROUP BY window_start, window_end, client, server, connection_type;

END;
