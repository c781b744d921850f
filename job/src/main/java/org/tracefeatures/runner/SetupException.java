package org.tracefeatures.runner;

/**
 * A job cannot start as it is set up (a topic that does not exist, a node that does not answer, refused
 * credentials), found before it was submitted. The message says what is wrong and what to change, in one line;
 * the CLI prints it without a stack trace, which would say nothing more.
 */
public class SetupException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public SetupException(String message) {
        super(message);
    }
}
