package dev.vigil.wire;

import org.agrona.DirectBuffer;

/**
 * Body of a {@link MessageType#TREE_PING_REQ}: a member whose direct probe went unanswered asks
 * another to probe the target on its behalf, so one lossy path does not make a live member
 * suspect. The helper probes with its own id and passes the ack back under the asker's probe id.
 *
 * <pre>
 * 0  level     u8
 * 1  probe id  u64      the asker's
 * 9  target    node ref
 * </pre>
 *
 * <p>Read with an instance: {@link #wrap} once per body, then the accessors; nothing is allocated
 * but the address.
 */
public final class TreePingReqBody {
    public static final int LEVEL_OFFSET = 0;
    public static final int PROBE_ID_OFFSET = 1;
    public static final int TARGET_OFFSET = 9;
    public static final int LENGTH_MIN = TARGET_OFFSET + TreeNodeRef.LENGTH_MIN;
    public static final int LENGTH_MAX = TARGET_OFFSET + TreeNodeRef.LENGTH_MAX;

    private DirectBuffer buffer;
    private int offset;

    /** Bytes of a ping-req naming {@code targetAddress}. */
    public static int length(final String targetAddress) {
        return TARGET_OFFSET + TreeNodeRef.length(targetAddress);
    }

    /** A level, a probe id and a node ref, nothing after. Never throws. */
    public static boolean isWellFormed(final DirectBuffer buffer, final int offset, final int length) {
        return TreeWire.inBuffer(buffer, offset, length) && length > LEVEL_OFFSET
            && TreeWire.isLevel(TreeWire.u8(buffer, offset + LEVEL_OFFSET))
            && TreeNodeRef.end(buffer, offset + TARGET_OFFSET, offset + length) == offset + length;
    }

    public static void write(final WireWriter w, final int level, final long probeId, final long targetId,
                             final String targetAddress) {
        TreeWire.requireLevel("level", level);
        Ascii.require(targetAddress, TreeWire.ADDRESS_LENGTH_MAX, "target address");
        w.u8(level).u64(probeId);
        TreeNodeRef.write(w, targetId, targetAddress);
    }

    /** Points this decoder at a body; throws unless it {@link #isWellFormed}. */
    public TreePingReqBody wrap(final DirectBuffer buffer, final int offset, final int length) {
        if (!isWellFormed(buffer, offset, length)) {
            throw new IllegalArgumentException("not a well-formed tree-ping-req body");
        }
        this.buffer = buffer;
        this.offset = offset;
        return this;
    }

    public int level() {
        return TreeWire.u8(buffer, offset + LEVEL_OFFSET);
    }

    public long probeId() {
        return TreeWire.u64(buffer, offset + PROBE_ID_OFFSET);
    }

    public long targetId() {
        return TreeNodeRef.id(buffer, offset + TARGET_OFFSET);
    }

    public String targetAddress() {
        return TreeNodeRef.address(buffer, offset + TARGET_OFFSET);
    }
}
