package org.tracefeatures.cli.compare;

/** Cohorts that cannot be compared as asked, with a message that says what to change. */
public final class CompareException extends RuntimeException {
    public CompareException(String message) {
        super(message);
    }
}
