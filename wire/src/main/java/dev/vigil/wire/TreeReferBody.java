package dev.vigil.wire;

import org.agrona.DirectBuffer;

/**
 * Body of a {@link MessageType#TREE_REFER}, the answer to a descend: the members of the cluster
 * asked for, so the seeker can probe them and descend towards the nearest; or "not a head there:
 * start again at the root". Either way it names the root the sender knows of and the tree's top
 * level, so a seeker that asked a stale node finds its way back.
 *
 * <pre>
 * 0  status     u8        ({@value TreeWire#REFER_MEMBERS} members follow, {@value TreeWire#REFER_NOT_HEAD} not a head there)
 * 1  level      u8        of the cluster listed
 * 2  top level  u8
 * 3  root       node ref  (id 0: the sender knows of none)
 * .  members    u8 count (at most {@value TreeWire#LIST_MAX}), then {@link TreeMember} entries
 * </pre>
 *
 * <p>Written in order: {@link #writeHeader}, {@link TreeMember#writeCount}, n × {@link TreeMember#write}.
 * Read with an instance: {@link #wrap} once per body, then the accessors; nothing is allocated but
 * the addresses.
 *
 * <p>The list bounds do not all hold at once with the longest addresses: 64 members with
 * 255-byte addresses would not fit a frame, so there the frame's bound
 * ({@link FrameHeader#BODY_LENGTH_MAX}) is the one that holds. With host:port addresses of a few
 * dozen bytes a full refer is a few KiB.
 */
public final class TreeReferBody {
    public static final int STATUS_OFFSET = 0;
    public static final int LEVEL_OFFSET = 1;
    public static final int TOP_LEVEL_OFFSET = 2;
    public static final int ROOT_OFFSET = 3;
    /** The fixed fields and the member count: add the root's {@link TreeNodeRef#length} and each {@link TreeMember#length}. */
    public static final int FIXED_LENGTH = ROOT_OFFSET + TreeMember.COUNT_LENGTH;

    private final TreeMemberList members = new TreeMemberList();
    private DirectBuffer buffer;
    private int offset;

    /** Bytes of a refer naming {@code rootAddress} and listing members with these addresses. */
    public static int length(final String rootAddress, final Iterable<String> memberAddresses) {
        int length = FIXED_LENGTH + TreeNodeRef.length(rootAddress);
        for (final String address : memberAddresses) {
            length += TreeMember.length(address);
        }
        return length;
    }

    /** A status, two levels, a root and a member list that ends the body. Never throws. */
    public static boolean isWellFormed(final DirectBuffer buffer, final int offset, final int length) {
        return walk(buffer, offset, length, null);
    }

    private static boolean walk(final DirectBuffer buffer, final int offset, final int length, final TreeReferBody into) {
        if (!TreeWire.inBuffer(buffer, offset, length) || length < ROOT_OFFSET
            || TreeWire.u8(buffer, offset + STATUS_OFFSET) > TreeWire.REFER_NOT_HEAD
            || !TreeWire.isLevel(TreeWire.u8(buffer, offset + LEVEL_OFFSET))
            || !TreeWire.isLevel(TreeWire.u8(buffer, offset + TOP_LEVEL_OFFSET))) {
            return false;
        }
        final int limit = offset + length;
        final int members = TreeNodeRef.end(buffer, offset + ROOT_OFFSET, limit);
        if (members < 0
            || (into == null ? TreeMember.listEnd(buffer, members, limit, null) : into.members.wrap(buffer, members, limit)) != limit) {
            return false;
        }
        if (into != null) {
            into.buffer = buffer;
            into.offset = offset;
        }
        return true;
    }

    /** Writes everything up to the member list. */
    public static void writeHeader(final WireWriter w, final int status, final int level, final int topLevel,
                                   final long rootId, final String rootAddress) {
        TreeWire.requireRange("status", status, TreeWire.REFER_MEMBERS, TreeWire.REFER_NOT_HEAD);
        TreeWire.requireLevel("level", level);
        TreeWire.requireLevel("top level", topLevel);
        Ascii.require(rootAddress, TreeWire.ADDRESS_LENGTH_MAX, "root address");
        w.u8(status).u8(level).u8(topLevel);
        TreeNodeRef.write(w, rootId, rootAddress);
    }

    /** Points this decoder at a body; throws unless it {@link #isWellFormed}. */
    public TreeReferBody wrap(final DirectBuffer buffer, final int offset, final int length) {
        if (!walk(buffer, offset, length, this)) {
            // the walk may have overwritten offsets of the body wrapped before: nothing is readable now
            this.buffer = null;
            this.members.clear();
            throw new IllegalArgumentException("not a well-formed tree-refer body");
        }
        return this;
    }

    public int status() {
        return TreeWire.u8(buffer, offset + STATUS_OFFSET);
    }

    public int level() {
        return TreeWire.u8(buffer, offset + LEVEL_OFFSET);
    }

    public int topLevel() {
        return TreeWire.u8(buffer, offset + TOP_LEVEL_OFFSET);
    }

    public long rootId() {
        return TreeNodeRef.id(buffer, offset + ROOT_OFFSET);
    }

    public String rootAddress() {
        return TreeNodeRef.address(buffer, offset + ROOT_OFFSET);
    }

    /** The listed members; read it before the next {@link #wrap}. */
    public TreeMemberList members() {
        return members;
    }
}
