-- The span source decoded by flink-protobuf's own decoder instead of the direct one (ProtobufRowDecoder): the
-- contenders "(flink-protobuf decoder)" of `BenchMain --decoders`, to measure what the direct decoder saves.
ALTER TABLE span_source SET ('value.tolerant-protobuf.decoder' = 'flink-protobuf');
