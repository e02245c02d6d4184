package dev.vigil.wire;

import org.agrona.DirectBuffer;

/**
 * Body of a {@link MessageType#TREE_CHALLENGE}: a member recomputed what its head announced it
 * sent up and got other bits. It tells the head's parent, which replaces a head challenged by a
 * majority of its cluster; the cluster size lets the parent count that majority.
 *
 * <pre>
 *  0  level         u8
 *  1  head          u64
 *  9  version       u64  the announced version challenged
 * 17  epoch         u32  of the cluster
 * 21  cluster size  u32  members, the head included (the receiver bounds it)
 * </pre>
 */
public final class TreeChallengeBody {
    public static final int LEVEL_OFFSET = 0;
    public static final int HEAD_OFFSET = 1;
    public static final int VERSION_OFFSET = 9;
    public static final int EPOCH_OFFSET = 17;
    public static final int CLUSTER_SIZE_OFFSET = 21;
    public static final int LENGTH = CLUSTER_SIZE_OFFSET + 4;

    private TreeChallengeBody() {
    }

    /** Exactly {@link #LENGTH} bytes with a level. Never throws. */
    public static boolean isWellFormed(final DirectBuffer buffer, final int offset, final int length) {
        return TreeWire.inBuffer(buffer, offset, length) && length == LENGTH && TreeWire.isLevel(level(buffer, offset));
    }

    public static int level(final DirectBuffer buffer, final int bodyOffset) {
        return TreeWire.u8(buffer, bodyOffset + LEVEL_OFFSET);
    }

    public static long head(final DirectBuffer buffer, final int bodyOffset) {
        return TreeWire.u64(buffer, bodyOffset + HEAD_OFFSET);
    }

    public static long version(final DirectBuffer buffer, final int bodyOffset) {
        return TreeWire.u64(buffer, bodyOffset + VERSION_OFFSET);
    }

    /** Unsigned u32, so never negative. */
    public static long epoch(final DirectBuffer buffer, final int bodyOffset) {
        return TreeWire.u32(buffer, bodyOffset + EPOCH_OFFSET);
    }

    /** Unsigned u32, so never negative. */
    public static long clusterSize(final DirectBuffer buffer, final int bodyOffset) {
        return TreeWire.u32(buffer, bodyOffset + CLUSTER_SIZE_OFFSET);
    }

    public static void write(final WireWriter w, final int level, final long head, final long version, final long epoch,
                             final long clusterSize) {
        TreeWire.requireLevel("level", level);
        TreeWire.requireU32("epoch", epoch);
        TreeWire.requireU32("cluster size", clusterSize);
        w.u8(level).u64(head).u64(version).u32(epoch).u32(clusterSize);
    }
}
