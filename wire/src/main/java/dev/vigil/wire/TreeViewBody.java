package dev.vigil.wire;

import org.agrona.DirectBuffer;

import java.util.Objects;

/**
 * Body of a {@link MessageType#TREE_VIEW}: a head tells its cluster who is in it and who heads the
 * clusters above, so every member can take over as head, or go up the chain, without asking. The
 * epoch orders views of one cluster; a dissolved cluster's last view names where to go instead.
 *
 * <pre>
 *  0  level           u8
 *  1  flags           u8        (bit 0: dissolved; no other bit may be set)
 *  2  epoch           u32
 *  6  head            u64
 * 14  top level       u8
 * 15  dissolved into  node ref, only when dissolved: the cluster to join instead
 *  .  chain           u8 count (at most {@value TreeWire#LEVELS_MAX}, one head per level above),
 *                     then node refs: the parent's head first, the root last
 *  .  members         u8 count (at most {@value TreeWire#LIST_MAX}), then {@link TreeMember} entries
 * </pre>
 *
 * <p>Written in order: {@link #writeHeader}, the {@link TreeNodeRef} to join when dissolved,
 * {@link #writeChainLength}, the chain's {@link TreeNodeRef}s, {@link TreeMember#writeCount}, the
 * {@link TreeMember}s. Read with an instance: {@link #wrap} once per body, then the accessors;
 * nothing is allocated but the addresses.
 *
 * <p>The list bounds do not all hold at once with the longest addresses: a full chain and 64
 * members with 255-byte addresses would not fit a frame, so there the frame's bound
 * ({@link FrameHeader#BODY_LENGTH_MAX}) is the one that holds. With host:port addresses of a few
 * dozen bytes a full view is a few KiB.
 */
public final class TreeViewBody {
    public static final int LEVEL_OFFSET = 0;
    public static final int FLAGS_OFFSET = 1;
    public static final int EPOCH_OFFSET = 2;
    public static final int HEAD_OFFSET = 6;
    public static final int TOP_LEVEL_OFFSET = 14;
    public static final int DISSOLVED_INTO_OFFSET = 15;
    /**
     * The fixed fields and both counts: add the {@link TreeNodeRef#length} of the cluster to join
     * (when dissolved) and of each chain entry, and each {@link TreeMember#length}.
     */
    public static final int FIXED_LENGTH = DISSOLVED_INTO_OFFSET + 1 + TreeMember.COUNT_LENGTH;

    private final int[] chainOffsets = new int[TreeWire.LEVELS_MAX];
    private final TreeMemberList members = new TreeMemberList();
    private DirectBuffer buffer;
    private int offset;
    private int chainLength;

    /**
     * Bytes of a view with these addresses.
     *
     * @param dissolvedIntoAddress the address of the cluster to join instead, or null when not dissolved
     */
    public static int length(final String dissolvedIntoAddress, final Iterable<String> chainAddresses,
                             final Iterable<String> memberAddresses) {
        int length = FIXED_LENGTH + (dissolvedIntoAddress == null ? 0 : TreeNodeRef.length(dissolvedIntoAddress));
        for (final String address : chainAddresses) {
            length += TreeNodeRef.length(address);
        }
        for (final String address : memberAddresses) {
            length += TreeMember.length(address);
        }
        return length;
    }

    /** Two levels, known flags, the node refs the flags and chain count promise, and a member list that ends the body. Never throws. */
    public static boolean isWellFormed(final DirectBuffer buffer, final int offset, final int length) {
        return walk(buffer, offset, length, null);
    }

    private static boolean walk(final DirectBuffer buffer, final int offset, final int length, final TreeViewBody into) {
        if (!TreeWire.inBuffer(buffer, offset, length) || length < DISSOLVED_INTO_OFFSET
            || !TreeWire.isLevel(TreeWire.u8(buffer, offset + LEVEL_OFFSET))
            || (TreeWire.u8(buffer, offset + FLAGS_OFFSET) & ~TreeWire.VIEW_FLAG_DISSOLVED) != 0
            || !TreeWire.isLevel(TreeWire.u8(buffer, offset + TOP_LEVEL_OFFSET))) {
            return false;
        }
        final int limit = offset + length;
        int at = offset + DISSOLVED_INTO_OFFSET;
        if (isDissolved(buffer, offset)) {
            at = TreeNodeRef.end(buffer, at, limit);
        }
        if (at < 0 || limit - at < 1) {
            return false;
        }
        final int chain = TreeWire.u8(buffer, at++);
        if (chain > TreeWire.LEVELS_MAX) {
            return false;
        }
        for (int i = 0; i < chain && at >= 0; i++) {
            if (into != null) {
                into.chainOffsets[i] = at;
            }
            at = TreeNodeRef.end(buffer, at, limit);
        }
        if (at < 0
            || (into == null ? TreeMember.listEnd(buffer, at, limit, null) : into.members.wrap(buffer, at, limit)) != limit) {
            return false;
        }
        if (into != null) {
            into.buffer = buffer;
            into.offset = offset;
            into.chainLength = chain;
        }
        return true;
    }

    /** Writes the fixed fields; when {@code dissolved}, the caller writes the {@link TreeNodeRef} to join next. */
    public static void writeHeader(final WireWriter w, final int level, final boolean dissolved, final long epoch,
                                   final long head, final int topLevel) {
        TreeWire.requireLevel("level", level);
        TreeWire.requireU32("epoch", epoch);
        TreeWire.requireLevel("top level", topLevel);
        w.u8(level).u8(dissolved ? TreeWire.VIEW_FLAG_DISSOLVED : 0).u32(epoch).u64(head).u8(topLevel);
    }

    /** Writes the count in front of the head chain. */
    public static void writeChainLength(final WireWriter w, final int chainLength) {
        w.u8(TreeWire.requireRange("chain length", chainLength, 0, TreeWire.LEVELS_MAX));
    }

    /** Points this decoder at a body; throws unless it {@link #isWellFormed}. */
    public TreeViewBody wrap(final DirectBuffer buffer, final int offset, final int length) {
        if (!walk(buffer, offset, length, this)) {
            // the walk may have overwritten offsets of the body wrapped before: nothing is readable now
            this.buffer = null;
            this.chainLength = 0;
            this.members.clear();
            throw new IllegalArgumentException("not a well-formed tree-view body");
        }
        return this;
    }

    public int level() {
        return TreeWire.u8(buffer, offset + LEVEL_OFFSET);
    }

    public boolean dissolved() {
        return isDissolved(buffer, offset);
    }

    /** Unsigned u32, so never negative. */
    public long epoch() {
        return TreeWire.u32(buffer, offset + EPOCH_OFFSET);
    }

    public long head() {
        return TreeWire.u64(buffer, offset + HEAD_OFFSET);
    }

    public int topLevel() {
        return TreeWire.u8(buffer, offset + TOP_LEVEL_OFFSET);
    }

    public long dissolvedIntoId() {
        return TreeNodeRef.id(buffer, dissolvedInto());
    }

    public String dissolvedIntoAddress() {
        return TreeNodeRef.address(buffer, dissolvedInto());
    }

    public int chainLength() {
        return chainLength;
    }

    public long chainId(final int i) {
        return TreeNodeRef.id(buffer, chainOffsets[Objects.checkIndex(i, chainLength)]);
    }

    public String chainAddress(final int i) {
        return TreeNodeRef.address(buffer, chainOffsets[Objects.checkIndex(i, chainLength)]);
    }

    /** The listed members; read it before the next {@link #wrap}. */
    public TreeMemberList members() {
        return members;
    }

    private static boolean isDissolved(final DirectBuffer buffer, final int offset) {
        return (TreeWire.u8(buffer, offset + FLAGS_OFFSET) & TreeWire.VIEW_FLAG_DISSOLVED) != 0;
    }

    private int dissolvedInto() {
        if (!dissolved()) {
            throw new IllegalStateException("a view that did not dissolve names no cluster to join");
        }
        return offset + DISSOLVED_INTO_OFFSET;
    }
}
