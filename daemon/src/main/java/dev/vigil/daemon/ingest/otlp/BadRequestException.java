package dev.vigil.daemon.ingest.otlp;

/**
 * The body cannot be decoded; answered with HTTP 400 and a {@code google.rpc.Status} whose
 * message is this exception's. Bad input from a client is expected, so no stack trace is taken.
 */
final class BadRequestException extends Exception {
    private static final long serialVersionUID = 1L;
    /** Messages quote client data; keep what goes back (and into logs) short. */
    static final int MESSAGE_CHARS_MAX = 300;

    BadRequestException(final String message) {
        super(truncate(message), null, false, false);
    }

    static String truncate(final String s) {
        final String t = String.valueOf(s);
        return t.length() <= MESSAGE_CHARS_MAX ? t : t.substring(0, MESSAGE_CHARS_MAX - 1) + "…";
    }
}
