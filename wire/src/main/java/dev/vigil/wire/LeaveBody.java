package dev.vigil.wire;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * Body of a {@link MessageType#LEAVE}: why the sender is dropping the receiver as a peer.
 *
 * <pre>
 * 0  reason    u8 ({@link #REASON_SHUTDOWN} or {@link #REASON_NO_ROOM})
 * 1  reserved  u8[3] (0)
 * </pre>
 */
public final class LeaveBody {
    public static final int REASON_OFFSET = 0;
    public static final int LENGTH = 4;
    /** The sender is shutting down cleanly. */
    public static final int REASON_SHUTDOWN = 1;
    /** The sender has no room for the receiver in its peer table. */
    public static final int REASON_NO_ROOM = 2;

    private LeaveBody() {
    }

    public static int reason(final DirectBuffer buffer, final int bodyOffset) {
        return buffer.getByte(bodyOffset + REASON_OFFSET) & 0xFF;
    }

    public static boolean isWellFormed(final DirectBuffer buffer, final int bodyOffset, final int bodyLength) {
        if (bodyLength != LENGTH) {
            return false;
        }
        final int reason = reason(buffer, bodyOffset);
        return (reason == REASON_SHUTDOWN || reason == REASON_NO_ROOM)
            && buffer.getByte(bodyOffset + 1) == 0 && buffer.getByte(bodyOffset + 2) == 0 && buffer.getByte(bodyOffset + 3) == 0;
    }

    public static int encode(final MutableDirectBuffer buffer, final int bodyOffset, final int reason) {
        buffer.putByte(bodyOffset + REASON_OFFSET, (byte)reason);
        buffer.putByte(bodyOffset + 1, (byte)0);
        buffer.putByte(bodyOffset + 2, (byte)0);
        buffer.putByte(bodyOffset + 3, (byte)0);
        return LENGTH;
    }
}
