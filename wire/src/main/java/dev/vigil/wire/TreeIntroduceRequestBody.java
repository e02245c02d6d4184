package dev.vigil.wire;

import org.agrona.DirectBuffer;

/**
 * Body of a {@link MessageType#TREE_INTRODUCE_REQUEST}: "your frames reach me without a
 * certificate I hold; introduce yourself again". It is sent, with the sender's own introduction,
 * to a listed cluster member whose certificate the sender no longer holds, and names the receiver
 * so a request meant for a node that has since changed its id is ignored.
 *
 * <pre>
 * 0  receiver  u64  the id of the node asked
 * </pre>
 */
public final class TreeIntroduceRequestBody {
    public static final int RECEIVER_OFFSET = 0;
    public static final int LENGTH = RECEIVER_OFFSET + 8;

    private TreeIntroduceRequestBody() {
    }

    /** Exactly {@link #LENGTH} bytes. Never throws. */
    public static boolean isWellFormed(final DirectBuffer buffer, final int offset, final int length) {
        return TreeWire.inBuffer(buffer, offset, length) && length == LENGTH;
    }

    public static long receiver(final DirectBuffer buffer, final int bodyOffset) {
        return TreeWire.u64(buffer, bodyOffset + RECEIVER_OFFSET);
    }

    public static void write(final WireWriter w, final long receiver) {
        w.u64(receiver);
    }
}
