package dev.vigil.wire;

import org.agrona.DirectBuffer;

/**
 * Body of a {@link MessageType#TREE_DESCEND}: a seeking node asks a head for the members of a
 * cluster it heads, to descend towards the nearest of them; its coordinate lets the head judge
 * where it belongs.
 *
 * <pre>
 * 0  level wanted  u8  the level the asker seeks a place at
 * 1  level asked   u8  the cluster to list ({@value TreeWire#LEVEL_ANY}: the highest the receiver heads)
 * 2  coordinate    32 bytes
 * </pre>
 *
 * <p>Only the wanted level is checked against {@value TreeWire#LEVELS_MAX}; the receiver judges the
 * asked one (a level it does not head is answered "not a head there").
 */
public final class TreeDescendBody {
    public static final int LEVEL_WANTED_OFFSET = 0;
    public static final int LEVEL_ASKED_OFFSET = 1;
    public static final int COORDINATE_OFFSET = 2;
    public static final int LENGTH = COORDINATE_OFFSET + TreeWire.COORDINATE_LENGTH;

    private TreeDescendBody() {
    }

    /** Exactly {@link #LENGTH} bytes with a level wanted. Never throws. */
    public static boolean isWellFormed(final DirectBuffer buffer, final int offset, final int length) {
        return TreeWire.inBuffer(buffer, offset, length) && length == LENGTH && TreeWire.isLevel(levelWanted(buffer, offset));
    }

    public static int levelWanted(final DirectBuffer buffer, final int bodyOffset) {
        return TreeWire.u8(buffer, bodyOffset + LEVEL_WANTED_OFFSET);
    }

    public static int levelAsked(final DirectBuffer buffer, final int bodyOffset) {
        return TreeWire.u8(buffer, bodyOffset + LEVEL_ASKED_OFFSET);
    }

    public static int coordinateOffset(final int bodyOffset) {
        return bodyOffset + COORDINATE_OFFSET;
    }

    /**
     * The asked level is only held to a u8, as the receiver holds it: a seeker asks for the level
     * below whatever a refer named, so refusing it here would turn a peer's odd refer into our error.
     *
     * @return the absolute offset of the (zeroed) coordinate, for the caller to fill.
     */
    public static int write(final WireWriter w, final int levelWanted, final int levelAsked) {
        TreeWire.requireLevel("level wanted", levelWanted);
        TreeWire.requireRange("level asked", levelAsked, 0, 0xFF);
        w.u8(levelWanted).u8(levelAsked);
        return TreeWire.reserveZeroed(w, TreeWire.COORDINATE_LENGTH);
    }
}
