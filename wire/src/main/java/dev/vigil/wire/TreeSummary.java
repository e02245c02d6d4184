package dev.vigil.wire;

import org.agrona.DirectBuffer;

import static java.nio.ByteOrder.LITTLE_ENDIAN;

/**
 * A statistical summary carried inside a tree body (what a head sent up, the fleet baseline sent
 * down): a {@link StatUpdateBody} behind its length, always the last thing in its body.
 *
 * <pre>
 * 0  length  u16
 * 2  a StatUpdateBody of exactly that length
 * </pre>
 */
public final class TreeSummary {
    public static final int LENGTH_OFFSET = 0;
    public static final int STAT_UPDATE_OFFSET = 2;

    private TreeSummary() {
    }

    /** Bytes of a summary around a stat-update body of {@code statUpdateLength} bytes. */
    public static int length(final int statUpdateLength) {
        return STAT_UPDATE_OFFSET + statUpdateLength;
    }

    /**
     * Writes the length and reserves (zeroed) the stat-update body for the caller to write.
     *
     * @return the absolute offset where the stat-update body goes.
     */
    public static int reserve(final WireWriter w, final int statUpdateLength) {
        requireStatUpdateLength(statUpdateLength);
        w.u16(statUpdateLength);
        return TreeWire.reserveZeroed(w, statUpdateLength);
    }

    public static int statUpdateLength(final DirectBuffer buffer, final int summaryOffset) {
        return buffer.getShort(summaryOffset + LENGTH_OFFSET, LITTLE_ENDIAN) & 0xFFFF;
    }

    /**
     * @return where the summary starting at {@code at} ends, or -1 when it does not fit before
     *     {@code limit} or its stat update is not well-formed. Never reads outside {@code [at, limit)}.
     */
    static int end(final DirectBuffer buffer, final int at, final int limit) {
        if (limit - at < STAT_UPDATE_OFFSET) {
            return -1;
        }
        final int length = statUpdateLength(buffer, at);
        final int body = at + STAT_UPDATE_OFFSET;
        if (limit - body < length || !StatUpdateBody.isWellFormed(buffer, body, length)) {
            return -1;
        }
        return body + length;
    }

    /** A summary is a whole stat update, so its length is one a feature count of 1 to 16 gives. */
    static int requireStatUpdateLength(final int length) {
        for (int d = 1; d <= StatUpdateBody.FEATURES_MAX; d++) {
            if (StatUpdateBody.bodyLength(d) == length) {
                return length;
            }
        }
        throw new IllegalArgumentException("summary length " + length
            + " is not a stat-update body length (1 to " + StatUpdateBody.FEATURES_MAX + " features)");
    }
}
