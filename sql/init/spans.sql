-- The canonical span view, the same for every input: what every job reads. The input part (sql/init/
-- input/*.sql) decodes its encoding into input_spans; the rules that do not depend on the encoding
-- (span kind, error flag) live here once.
CREATE VIEW spans AS
SELECT
  trace_id,          -- as Jaeger prints it: 16 hex digits when the high 64 bits are zero, else 32
  span_id,           -- 16 hex digits
  parent_span_id,    -- the first reference to a span of the same trace (CHILD_OF first); NULL for a root
  reference_type,    -- CHILD_OF or FOLLOWS_FROM; NULL for a root
  service,           -- the process's (OTLP: the resource's) service name
  operation,         -- the operation (OTLP: span) name
  tags['span.kind'] AS span_kind,  -- client, server, producer, consumer, internal or NULL
  -- tag error true (bool or string), or OpenTelemetry's otel.status_code = ERROR
  COALESCE(LOWER(tags['error']) = 'true' OR tags['otel.status_code'] = 'ERROR', FALSE) AS is_error,
  start_micros,      -- span start, microseconds since the epoch
  duration_micros,   -- span duration in microseconds
  -- what a client or producer span calls, named as OpenTelemetry's service graph names a peer that reports no
  -- spans (virtual_node_peer_attributes): the first of these tags the span has and does not leave empty; NULL for
  -- other kinds of span
  CASE WHEN tags['span.kind'] IN ('client', 'producer')
       THEN COALESCE(NULLIF(tags['peer.service'], ''), NULLIF(tags['db.name'], ''), NULLIF(tags['db.system'], ''),
                     NULLIF(tags['messaging.destination.name'], ''), NULLIF(tags['messaging.system'], ''),
                     NULLIF(tags['server.address'], ''))
  END AS peer,
  -- a client span with db.system or db.name: what it calls is a database (the service graph's connection type)
  COALESCE(tags['span.kind'] = 'client'
           AND (NULLIF(tags['db.system'], '') IS NOT NULL OR NULLIF(tags['db.name'], '') IS NOT NULL), FALSE)
    AS calls_database,
  tags,              -- span tags (OTLP: attributes), values as text
  process_tags,      -- process tags (OTLP: resource attributes), values as text
  kafka_partition,   -- where the span is in Kafka, for the log lines about it
  kafka_offset,
  event_time         -- the Kafka record timestamp, carrying the watermark
FROM input_spans;
