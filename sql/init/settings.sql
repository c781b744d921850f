-- Settings every job runs with, whatever the environment. An environment part (sql/init/local.sql,
-- docker.sql or your own) runs after this one and may override any of them with its own SET; a run's
-- --set wins over both.
SET 'table.local-time-zone' = 'UTC';
-- a partition without traffic must not hold back the watermark of the others
SET 'table.exec.source.idle-timeout' = '10 s';
-- how often the sources move the watermark on (Flink's default is 200 ms): every 100 ms a trace's window closes
-- sooner after its gap, for a watermark message per source task
SET 'pipeline.auto-watermark-interval' = '100 ms';
-- how long the state of a key lives after its last update, in operators without windows: the traces view's
-- count of windows per trace id (init/traces.sql). A trace's straggler that comes later than this is taken
-- for a new trace. The state is small (a trace id and a count), so longer costs little memory.
SET 'table.exec.state.ttl' = '10 min';
-- operators chained in one task hand a row on without copying it first, instead of a defensive copy of
-- every span row, tags included: Flink's SQL operators copy what they keep, and the tracefeatures
-- functions keep nothing of their arguments
SET 'pipeline.object-reuse' = 'true';

-- Nothing lost, nothing counted twice. Every 10 s a checkpoint records the Kafka offsets together with the
-- open trace windows (Flink's Kafka source keeps its offsets in the checkpoint; the group offsets it
-- commits are only for monitoring). After a failure the job resumes from the last checkpoint: it re-reads
-- Kafka from those offsets, so no span is lost, and rewrites only traces whose documents have the same id
-- (the trace id), so none is counted twice. Shorter: quicker recovery, more checkpoint work; bounded runs
-- wait up to one interval for their final checkpoint.
SET 'execution.checkpointing.interval' = '10 s';
-- keep the last checkpoint of a cancelled job, to resubmit it with SET 'execution.state-recovery.path'
SET 'execution.checkpointing.externalized-checkpoint-retention' = 'RETAIN_ON_CANCELLATION';
-- restart after a failure (a lost TaskManager, Kafka or Elasticsearch away) 1 s later, then 2 s, 4 s, ...
-- at most 1 min apart, without giving up; back to 1 s after 10 min without a failure
SET 'restart-strategy.type' = 'exponential-delay';
SET 'restart-strategy.exponential-delay.initial-backoff' = '1 s';
SET 'restart-strategy.exponential-delay.max-backoff' = '1 min';
SET 'restart-strategy.exponential-delay.backoff-multiplier' = '2.0';
SET 'restart-strategy.exponential-delay.reset-backoff-threshold' = '10 min';
