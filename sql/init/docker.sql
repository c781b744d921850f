-- Environment: the compose stack in docker/ (service names as hosts).

-- Checkpoints (sql/init/settings.sql) go to the volume flink-checkpoints that the compose stack's JobManager
-- and TaskManagers share (execution.checkpointing.dir in docker/docker-compose.yml), so a cancelled job's
-- last checkpoint is there to resume from.

-- Connection settings that the input part's and the sinks' tables take over with LIKE.
CREATE TEMPORARY TABLE kafka_connection WITH (
  'connector' = 'kafka',
  'properties.bootstrap.servers' = 'kafka:9092'
);
CREATE TEMPORARY TABLE elasticsearch_connection WITH (
  -- tracefeatures' own Elasticsearch 7 sink: why, in sql/init/local.sql
  'connector' = 'tracefeatures-elasticsearch',
  -- at-least-once: a checkpoint completes only once every buffered write is acknowledged, so a restart
  -- repeats writes (to the same document ids) but never skips one (the default, stated because it matters)
  'sink.flush-on-checkpoint' = 'true',
  -- a document waits at most 200 ms in the sink's buffer (the connector's default is 1 s); under load the buffer
  -- fills to 'sink.bulk-flush.max-actions' (1000) sooner
  'sink.bulk-flush.interval' = '200 ms',
  'hosts' = 'http://elasticsearch:9200'
);
