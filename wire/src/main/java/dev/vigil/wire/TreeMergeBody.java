package dev.vigil.wire;

import org.agrona.DirectBuffer;

/**
 * Body of a {@link MessageType#TREE_MERGE}. An underfull cluster's head asks its parent to merge
 * it (naming itself); the parent answers the head that must move with the cluster to merge into.
 *
 * <pre>
 * 0  level   u8        of the underfull cluster
 * 1  target  node ref  the asking head itself, or the head of the cluster to merge into
 * </pre>
 *
 * <p>Read with an instance: {@link #wrap} once per body, then the accessors; nothing is allocated
 * but the address.
 */
public final class TreeMergeBody {
    public static final int LEVEL_OFFSET = 0;
    public static final int TARGET_OFFSET = 1;
    public static final int LENGTH_MIN = TARGET_OFFSET + TreeNodeRef.LENGTH_MIN;
    public static final int LENGTH_MAX = TARGET_OFFSET + TreeNodeRef.LENGTH_MAX;

    private DirectBuffer buffer;
    private int offset;

    /** Bytes of a merge naming {@code targetAddress}. */
    public static int length(final String targetAddress) {
        return TARGET_OFFSET + TreeNodeRef.length(targetAddress);
    }

    /** A level and a node ref, nothing after. Never throws. */
    public static boolean isWellFormed(final DirectBuffer buffer, final int offset, final int length) {
        return TreeWire.inBuffer(buffer, offset, length) && length > LEVEL_OFFSET
            && TreeWire.isLevel(TreeWire.u8(buffer, offset + LEVEL_OFFSET))
            && TreeNodeRef.end(buffer, offset + TARGET_OFFSET, offset + length) == offset + length;
    }

    public static void write(final WireWriter w, final int level, final long targetId, final String targetAddress) {
        TreeWire.requireLevel("level", level);
        Ascii.require(targetAddress, TreeWire.ADDRESS_LENGTH_MAX, "target address");
        w.u8(level);
        TreeNodeRef.write(w, targetId, targetAddress);
    }

    /** Points this decoder at a body; throws unless it {@link #isWellFormed}. */
    public TreeMergeBody wrap(final DirectBuffer buffer, final int offset, final int length) {
        if (!isWellFormed(buffer, offset, length)) {
            throw new IllegalArgumentException("not a well-formed tree-merge body");
        }
        this.buffer = buffer;
        this.offset = offset;
        return this;
    }

    public int level() {
        return TreeWire.u8(buffer, offset + LEVEL_OFFSET);
    }

    public long targetId() {
        return TreeNodeRef.id(buffer, offset + TARGET_OFFSET);
    }

    public String targetAddress() {
        return TreeNodeRef.address(buffer, offset + TARGET_OFFSET);
    }
}
