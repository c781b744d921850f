package org.tracefeatures.simulator;

/** A simulator config that cannot be read or does not describe a runnable architecture; the message names the field. */
public final class InvalidConfigException extends RuntimeException {

    public InvalidConfigException(String message) {
        super(message);
    }

    public InvalidConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
