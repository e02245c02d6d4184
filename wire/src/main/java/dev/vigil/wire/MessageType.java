package dev.vigil.wire;

/**
 * Message type codes of wire v1. Codes are grouped by family in blocks of 16 so later families
 * (tree, aggregation, evidence, consensus, sync, ops) get their own ranges without renumbering.
 */
public enum MessageType {
    // membership: 1..15
    JOIN(1),
    JOIN_ACCEPT(2),
    PING(3),
    ACK(4),
    LEAVE(5),
    // aggregation: 32..47
    STAT_UPDATE(32);

    private static final MessageType[] BY_CODE = new MessageType[256];

    static {
        for (final MessageType t : values()) {
            BY_CODE[t.code] = t;
        }
    }

    public final int code;
    /** Lower-case name used in counters, JSON and logs. */
    public final String label;

    MessageType(final int code) {
        this.code = code;
        this.label = name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }

    /** @return the type with this code, or {@code null} when the code is not a v1 type. */
    public static MessageType of(final int code) {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    }
}
