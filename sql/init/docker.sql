-- Environment: the compose stack in docker/ (service names as hosts).

-- Checkpoints (sql/init/settings.sql) are kept on cancel only where the JobManager and the TaskManagers
-- share an execution.checkpointing.dir; the compose stack keeps no state outside its containers, so its
-- checkpoints stay in the JobManager's memory: they bring a job through a lost TaskManager, not through a
-- cancel or a lost JobManager.

-- Connection settings that the input part's and the sinks' tables take over with LIKE.
CREATE TEMPORARY TABLE kafka_connection WITH (
  'connector' = 'kafka',
  'properties.bootstrap.servers' = 'kafka:9092'
);
CREATE TEMPORARY TABLE elasticsearch_connection WITH (
  'connector' = 'elasticsearch-7',
  -- at-least-once: a checkpoint completes only once every buffered write is acknowledged, so a restart
  -- repeats writes (to the same document ids) but never skips one (the default, stated because it matters)
  'sink.flush-on-checkpoint' = 'true',
  'hosts' = 'http://elasticsearch:9200'
);
