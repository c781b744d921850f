-- An environment part as a user writes it for a secured Kafka (SASL/PLAIN over TLS) and an Elasticsearch with a user
-- name and password: the secrets are ${NAME} placeholders, filled in from environment variables or a --secrets file.
CREATE TEMPORARY TABLE kafka_connection WITH (
  'connector' = 'kafka',
  'properties.bootstrap.servers' = 'kafka.example.com:9093',
  'properties.security.protocol' = 'SASL_SSL',
  'properties.sasl.mechanism' = 'PLAIN',
  'properties.sasl.jaas.config' = 'org.apache.kafka.common.security.plain.PlainLoginModule required username="${KAFKA_USERNAME}" password="${KAFKA_PASSWORD}";',
  'properties.ssl.truststore.location' = '/etc/tracefeatures/kafka-truststore.p12',
  'properties.ssl.truststore.password' = '${KAFKA_TRUSTSTORE_PASSWORD}'
);
CREATE TEMPORARY TABLE elasticsearch_connection WITH (
  'connector' = 'tracefeatures-elasticsearch',
  'sink.flush-on-checkpoint' = 'true',
  'hosts' = 'https://elasticsearch.example.com:9200',
  'username' = '${ES_USERNAME}',
  'password' = '${ES_PASSWORD}'
);
