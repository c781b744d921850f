-- The span topic as every input part reads it, whatever the encoding: an input part declares span_source with its
-- encoding's columns, topic and format LIKE span_topic, which brings the columns, watermark and options below and
-- the environment part's connection (kafka_connection) along.

CREATE TEMPORARY TABLE span_topic (
  -- why the record is not a span (NULL when it is); the span fields of such a row are NULL. Every input's format
  -- is a tolerant one, which counts and skips a record that does not decode instead of failing the job.
  parse_error STRING METADATA FROM 'value.parse-error' VIRTUAL,
  kafka_partition INT METADATA FROM 'partition' VIRTUAL,
  kafka_offset BIGINT METADATA FROM 'offset' VIRTUAL,
  -- when the producer wrote the record to Kafka: the event time of trace assembly. Not the span's own start:
  -- Jaeger sends a trace's root span last, so span starts arrive far out of order.
  -- Set message.timestamp.type=LogAppendTime on the topic (the local stack and docker/ do; how:
  -- docs/bad-input-and-late-spans.md, Producer clocks): then this is the broker's clock, and one producer
  -- whose clock runs ahead cannot move the watermark and make every correctly timed span after it late.
  kafka_time TIMESTAMP_LTZ(3) METADATA FROM 'timestamp',
  -- The watermark trails the latest timestamp by 0.2 s: with LogAppendTime a partition's timestamps only grow,
  -- and a span is late only when more than the session gap (5 s) behind; a longer delay makes every document
  -- later by as much (see bench/README.md, Latency).
  WATERMARK FOR kafka_time AS kafka_time - INTERVAL '0.2' SECOND
) WITH (
  'scan.startup.mode' = 'earliest-offset',
  -- partitions added to the topic while a job runs are read within 2 s, from their first offset: before the
  -- watermark, which the other partitions move on, passes their spans' sessions (5 s gap)
  'scan.topic-partition-discovery.interval' = '2 s'
)
-- connector and hosts come from the environment part
LIKE kafka_connection;
