-- Trace assembly: one row per event-time session window of a trace id, with the spans it collected (and
-- below, the view traces with one row per trace). The event time is the Kafka record timestamp (see the
-- input part), so a trace's window closes once the watermark passes its last span's arrival plus the gap.
--
-- Gap: 5 s, as in Mastering Distributed Tracing, ch. 12. To change it, edit both INTERVAL '5' SECOND below:
-- longer if clients flush spans of one trace far apart, shorter for quicker documents. On a quiet
-- topic the last window closes only when later traffic moves the watermark (or, with --bounded, when
-- the run reaches the end of its offsets).

-- A span behind the watermark (its session, from its arrival to the gap after it, already over) would be dropped by
-- the window operator, counted only in Flink's numLateRecordsDropped. IS_LATE_SPAN leaves it out before, counts it
-- (metric tracefeatures.spansBehindWatermark) and logs it with its trace id, partition and offset. The interval is
-- the gap of SESSION below.
CREATE VIEW session_spans AS
SELECT *
FROM spans
WHERE NOT IS_LATE_SPAN(event_time + INTERVAL '5' SECOND, CURRENT_WATERMARK(event_time),
                       trace_id, kafka_partition, kafka_offset);

CREATE VIEW trace_windows AS
SELECT
  trace_id,
  window_start,
  window_end,
  -- the trace's event time (window_end minus 1 ms), on which windows over traces run
  window_time,
  -- the trace's spans, each once, sorted by start, and how many were dropped over the cap (see traces)
  COLLECT_TRACE(span_id, parent_span_id, reference_type, service, operation, span_kind, is_error,
                start_micros, duration_micros, peer, calls_database) AS collected,
  -- earliest span start, microseconds since the epoch
  MIN(start_micros) AS start_micros,
  -- the test_name tag of the simulator's (and microsim's) root span
  MAX(tags['test_name']) AS test_name,
  -- The trace's dimensions. Jaeger inputs: process tags; OTLP: resource attributes (both are process_tags here).
  -- per service, its greatest service.version among the trace's spans
  SERVICE_VERSIONS(service, process_tags['service.version']) AS service_versions,
  -- deployment.environment.name (OpenTelemetry's current name), else deployment.environment
  MAX(COALESCE(process_tags['deployment.environment.name'], process_tags['deployment.environment'])) AS environment,
  -- 1 / the sampling probability: Jaeger's root tags sampler.type and sampler.param, or OpenTelemetry's
  -- ot=th: in the W3C trace state (tag w3c.tracestate); NULL when no span says (the traces view makes it 1)
  MAX(SAMPLING_WEIGHT(tags['sampler.type'], tags['sampler.param'], tags['w3c.tracestate'])) AS sampling_weight,
  -- Span tags (OTLP: attributes) that the trace carries as dimensions, by name: edit this list to add one
  -- (KEY, then the value of any of the trace's spans that has it). A '.' in a key opens an object path in
  -- Elasticsearch: tags.http.route.
  MAP['test_name', MAX(tags['test_name'])] AS trace_tags,
  -- the how-manieth window of this trace id: 1, or more for spans that came after the gap (one count
  -- per trace id, kept for 'table.exec.state.ttl' after the trace's last window)
  COUNT(*) OVER (PARTITION BY trace_id ORDER BY PROCTIME()
                 ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS trace_window_number
FROM TABLE(SESSION(TABLE session_spans PARTITION BY trace_id, DESCRIPTOR(event_time), INTERVAL '5' SECOND))
GROUP BY trace_id, window_start, window_end, window_time;

-- The traces the jobs read: the first window of every trace id. A span that arrives after its trace's
-- window has closed (a straggler, later than the gap) opens a window of its own; written with the same
-- document id, that partial trace would overwrite the whole trace's document (the Elasticsearch sink
-- updates documents in place). So later windows are dropped, and IS_FIRST_TRACE_WINDOW counts them and
-- their spans (metrics tracefeatures.lateTraceWindows and tracefeatures.lateSpansDropped; the traces kept and
-- their spans: tracefeatures.tracesEmitted and spansInTraces; spans over the cap and repeats of either:
-- droppedSpans and repeatedSpans) and logs their trace ids. Stragglers are rare when the gap is longer than
-- the clients' flush interval; if the metric says otherwise, raise the gap. A trace id seen again more than
-- 'table.exec.state.ttl' (init/settings.sql) after its last window counts as a new trace.
CREATE VIEW traces AS
SELECT
  trace_id,
  window_start,
  window_end,
  window_time,
  -- the trace's spans, each once, sorted by start; at most 50,000 (job parameter
  -- tracefeatures.max-spans-per-trace), the earliest-starting ones, so that a runaway trace cannot
  -- exhaust memory
  w.collected.spans AS spans,
  -- spans left out of spans over that cap (0 for nearly every trace; metric tracefeatures.droppedSpans)
  w.collected.droppedSpanCount AS dropped_span_count,
  start_micros,
  test_name,
  service_versions,
  environment,
  -- how many traces this one stands for: 1 when no span gave a sampling probability
  COALESCE(sampling_weight, 1.0) AS sampling_weight,
  trace_tags
FROM trace_windows AS w
WHERE IS_FIRST_TRACE_WINDOW(trace_window_number, trace_id, CARDINALITY(w.collected.spans),
                            w.collected.droppedSpanCount, w.collected.repeatedSpanCount);
