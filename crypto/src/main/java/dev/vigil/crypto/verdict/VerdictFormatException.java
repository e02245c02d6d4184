package dev.vigil.crypto.verdict;

/**
 * Bytes that are not a canonical v1 verdict or verdict certificate. The decoders throw nothing
 * else for any input; {@link #reason()} says which rule was broken, the message says where.
 */
public final class VerdictFormatException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    /** Which rule of the format the bytes broke. */
    public enum Reason {
        /** The bytes end before a field does. */
        TRUNCATED("truncated"),
        /** Bytes follow the last field. */
        TRAILING_BYTES("trailing bytes"),
        /** Not a verdict certificate at all (its first four bytes are not the magic). */
        BAD_MAGIC("bad magic"),
        UNKNOWN_VERSION("unknown version"),
        UNKNOWN_KIND("unknown kind"),
        UNKNOWN_ATTESTATION("unknown attestation"),
        /** A length or count over its stated bound. */
        OVERSIZE("oversize field"),
        /** A number outside the range the format allows (negative sequence, posterior above 1, ...). */
        OUT_OF_RANGE("field out of range"),
        /** An agent id that is not well-formed UTF-8 or holds a control or format character (bidi override, zero-width). */
        BAD_AGENT_ID("bad agent id"),
        /** Well-formed but not the one encoding equal values have (reserved bits set, wrong order, zero where a value is due). */
        NOT_CANONICAL("not canonical"),
        DUPLICATE_OBSERVER("duplicate observer"),
        DUPLICATE_SIGNER("duplicate signer"),
        /** A signer's node certificate that does not parse (it is checked against the CA later). */
        BAD_NODE_CERTIFICATE("bad node certificate"),
        /** Text that should be base64 and is not. */
        BAD_BASE64("not base64");

        /** Lower-case words for one-line reports. */
        public final String label;

        Reason(final String label) {
            this.label = label;
        }
    }

    private final Reason reason;

    VerdictFormatException(final Reason reason, final String detail) {
        super(reason.label + ": " + detail);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
