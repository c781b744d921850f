package org.tracefeatures.simulator;

/**
 * One Kafka record as a producer of spans writes it.
 *
 * @param key the record key; null for none
 * @param spans how many spans the value carries (1 for Jaeger's encodings, a batch for OTLP)
 */
public record EncodedRecord(byte[] key, byte[] value, int spans) {}
