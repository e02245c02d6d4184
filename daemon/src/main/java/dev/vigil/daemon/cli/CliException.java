package dev.vigil.daemon.cli;

/** A failure the operator can fix, reported as one line without a stack trace. */
public final class CliException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public CliException(final String message) {
        super(message);
    }
}
