-- Environment: the embedded stack of `bin/tracefeatures stack up` (Kafka and Elasticsearch on loopback).
SET 'table.local-time-zone' = 'UTC';
-- a partition without traffic must not hold back the watermark of the others
SET 'table.exec.source.idle-timeout' = '10 s';

-- Connection settings that the input part's and the sinks' tables take over with LIKE.
CREATE TEMPORARY TABLE kafka_connection WITH (
  'connector' = 'kafka',
  'properties.bootstrap.servers' = '127.0.0.1:9092'
);
CREATE TEMPORARY TABLE elasticsearch_connection WITH (
  'connector' = 'elasticsearch-7',
  'hosts' = 'http://127.0.0.1:9200'
);
