package dev.vigil.daemon.eval;

/**
 * Input that cannot be evaluated: a missing or malformed file, or data the detector cannot be
 * fitted to. The message is one line for the operator and names the file and, where there is
 * one, the line.
 */
public final class EvalInputException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public EvalInputException(final String message) {
        super(message);
    }
}
