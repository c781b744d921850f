package org.tracefeatures.simulator;

/** Kafka did not take some spans; the first cause is attached. */
public final class KafkaSendException extends RuntimeException {

    public KafkaSendException(String message, Throwable cause) {
        super(message, cause);
    }
}
