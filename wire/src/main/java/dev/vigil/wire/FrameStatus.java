package dev.vigil.wire;

import java.util.Locale;

/**
 * The outcome of taking in one frame: {@link #OK} or the one reason it was dropped. The first
 * group is decided by {@link FrameDecoder} from the bytes alone; the rest by the receiving node,
 * which knows keys, certificates, clocks and what it has already seen.
 */
public enum FrameStatus {
    OK,
    // structural: decided from the bytes alone
    TRUNCATED,
    OVERSIZED,
    BAD_MAGIC,
    UNKNOWN_VERSION,
    UNKNOWN_TYPE,
    BAD_LENGTH,
    MALFORMED_BODY,
    // decided by the receiving node
    SCHEMA_MISMATCH,
    UNKNOWN_SENDER,
    BAD_CERTIFICATE,
    CERTIFICATE_EXPIRED,
    BAD_SIGNATURE,
    CLOCK_SKEW,
    REPLAYED;

    /** Lower-case name used in counters, JSON and logs. */
    public final String label = name().toLowerCase(Locale.ROOT).replace('_', '-');

    public boolean ok() {
        return this == OK;
    }
}
