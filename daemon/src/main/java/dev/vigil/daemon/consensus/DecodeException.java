package dev.vigil.daemon.consensus;

/**
 * A refusal found while decoding. Expected for hostile input, so it carries no stack trace;
 * it never leaves {@link Messages#decode}.
 */
final class DecodeException extends Exception {
    private static final long serialVersionUID = 1L;
    final Refusal reason;

    DecodeException(final Refusal reason, final String detail) {
        super(detail, null, false, false);
        this.reason = reason;
    }
}
