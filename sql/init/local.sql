-- Environment: the embedded stack of `bin/tracefeatures stack up` (Kafka and Elasticsearch on loopback).

-- Connection settings that the input part's and the sinks' tables take over with LIKE.
CREATE TEMPORARY TABLE kafka_connection WITH (
  'connector' = 'kafka',
  'properties.bootstrap.servers' = '127.0.0.1:9092'
);
CREATE TEMPORARY TABLE elasticsearch_connection WITH (
  -- tracefeatures' own Elasticsearch 7 sink (org.tracefeatures.elasticsearch.ElasticsearchSinkFactory), with the
  -- options of the elasticsearch-7 connector. It writes with that connector's bulk processor but: a keyed row
  -- replaces its whole document (elasticsearch-7 sends partial updates, which keep map keys of an older version);
  -- a document Elasticsearch refuses for what it contains is skipped or folded, counted and logged instead of
  -- failing the job (elasticsearch-7's default failure handler fails it, and the restart replays the same
  -- refusal for ever); a refusal for the moment (429, 503, a write block) is retried with backoff up to
  -- 'sink.retry.max-backoff' (5 s) until Elasticsearch takes the document; ids over 512 bytes are hashed.
  'connector' = 'tracefeatures-elasticsearch',
  -- at-least-once: a checkpoint completes only once every buffered write is acknowledged, so a restart
  -- repeats writes (to the same document ids) but never skips one (the default, stated because it matters)
  'sink.flush-on-checkpoint' = 'true',
  -- a document waits at most 200 ms in the sink's buffer (the connector's default is 1 s); under load the buffer
  -- fills to 'sink.bulk-flush.max-actions' (1000) sooner
  'sink.bulk-flush.interval' = '200 ms',
  'hosts' = 'http://127.0.0.1:9200'
);
