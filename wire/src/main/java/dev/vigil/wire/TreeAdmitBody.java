package dev.vigil.wire;

import org.agrona.DirectBuffer;

/**
 * Body of a {@link MessageType#TREE_ADMIT}: a node asks a head to take it into its cluster at a
 * level, possibly in place of a head it takes over from; its coordinate goes with it so the
 * cluster can tell how near it is.
 *
 * <pre>
 * 0  level       u8
 * 1  replaces    u64  the head it replaces (0: none)
 * 9  coordinate  32 bytes
 * </pre>
 */
public final class TreeAdmitBody {
    public static final int LEVEL_OFFSET = 0;
    public static final int REPLACES_OFFSET = 1;
    public static final int COORDINATE_OFFSET = 9;
    public static final int LENGTH = COORDINATE_OFFSET + TreeWire.COORDINATE_LENGTH;

    private TreeAdmitBody() {
    }

    /** Exactly {@link #LENGTH} bytes with a level. Never throws. */
    public static boolean isWellFormed(final DirectBuffer buffer, final int offset, final int length) {
        return TreeWire.inBuffer(buffer, offset, length) && length == LENGTH && TreeWire.isLevel(level(buffer, offset));
    }

    public static int level(final DirectBuffer buffer, final int bodyOffset) {
        return TreeWire.u8(buffer, bodyOffset + LEVEL_OFFSET);
    }

    public static long replaces(final DirectBuffer buffer, final int bodyOffset) {
        return TreeWire.u64(buffer, bodyOffset + REPLACES_OFFSET);
    }

    public static int coordinateOffset(final int bodyOffset) {
        return bodyOffset + COORDINATE_OFFSET;
    }

    /** @return the absolute offset of the (zeroed) coordinate, for the caller to fill. */
    public static int write(final WireWriter w, final int level, final long replaces) {
        TreeWire.requireLevel("level", level);
        w.u8(level).u64(replaces);
        return TreeWire.reserveZeroed(w, TreeWire.COORDINATE_LENGTH);
    }
}
