-- Environment: the embedded stack of `bin/tracefeatures stack up` (Kafka and Elasticsearch on loopback).

-- Connection settings that the input part's and the sinks' tables take over with LIKE.
CREATE TEMPORARY TABLE kafka_connection WITH (
  'connector' = 'kafka',
  'properties.bootstrap.servers' = '127.0.0.1:9092'
);
CREATE TEMPORARY TABLE elasticsearch_connection WITH (
  'connector' = 'elasticsearch-7',
  -- at-least-once: a checkpoint completes only once every buffered write is acknowledged, so a restart
  -- repeats writes (to the same document ids) but never skips one (the default, stated because it matters)
  'sink.flush-on-checkpoint' = 'true',
  'hosts' = 'http://127.0.0.1:9200'
);
