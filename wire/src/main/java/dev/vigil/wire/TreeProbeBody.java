package dev.vigil.wire;

import org.agrona.DirectBuffer;

/**
 * Body of a {@link MessageType#TREE_PING} and of its {@link MessageType#TREE_ACK}: the failure
 * detector's probe within a cluster. The ack echoes the probe id and carries the acker's
 * incarnation (so a suspicion of an older incarnation is refuted) and coordinate. A probe made on
 * another member's behalf names that member, so the ack can be passed back to it.
 *
 * <pre>
 *  0  level        u8   the cluster probed in ({@value TreeWire#LEVEL_ANY}: none, a distance measurement)
 *  1  probe id     u64
 *  9  asked by     u64  the member the probe is made for (0: the sender's own)
 * 17  incarnation  u32  the sender's
 * 21  coordinate   32 bytes
 * </pre>
 */
public final class TreeProbeBody {
    public static final int LEVEL_OFFSET = 0;
    public static final int PROBE_ID_OFFSET = 1;
    public static final int ASKED_BY_OFFSET = 9;
    public static final int INCARNATION_OFFSET = 17;
    public static final int COORDINATE_OFFSET = 21;
    public static final int LENGTH = COORDINATE_OFFSET + TreeWire.COORDINATE_LENGTH;

    private TreeProbeBody() {
    }

    /** Exactly {@link #LENGTH} bytes with a level. Never throws. */
    public static boolean isWellFormed(final DirectBuffer buffer, final int offset, final int length) {
        return TreeWire.inBuffer(buffer, offset, length) && length == LENGTH && TreeWire.isLevel(level(buffer, offset));
    }

    public static int level(final DirectBuffer buffer, final int bodyOffset) {
        return TreeWire.u8(buffer, bodyOffset + LEVEL_OFFSET);
    }

    public static long probeId(final DirectBuffer buffer, final int bodyOffset) {
        return TreeWire.u64(buffer, bodyOffset + PROBE_ID_OFFSET);
    }

    public static long askedBy(final DirectBuffer buffer, final int bodyOffset) {
        return TreeWire.u64(buffer, bodyOffset + ASKED_BY_OFFSET);
    }

    /** Unsigned u32, so never negative. */
    public static long incarnation(final DirectBuffer buffer, final int bodyOffset) {
        return TreeWire.u32(buffer, bodyOffset + INCARNATION_OFFSET);
    }

    public static int coordinateOffset(final int bodyOffset) {
        return bodyOffset + COORDINATE_OFFSET;
    }

    /** @return the absolute offset of the (zeroed) coordinate, for the caller to fill. */
    public static int write(final WireWriter w, final int level, final long probeId, final long askedBy, final long incarnation) {
        TreeWire.requireLevel("level", level);
        TreeWire.requireU32("incarnation", incarnation);
        w.u8(level).u64(probeId).u64(askedBy).u32(incarnation);
        return TreeWire.reserveZeroed(w, TreeWire.COORDINATE_LENGTH);
    }
}
