package org.tracefeatures.stack;

/** A failure of the local stack whose message tells the user what went wrong and what to do next. */
public class LocalStackException extends RuntimeException {

    public LocalStackException(String message) {
        super(message);
    }

    public LocalStackException(String message, Throwable cause) {
        super(message, cause);
    }
}
