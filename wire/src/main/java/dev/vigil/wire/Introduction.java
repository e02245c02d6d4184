package dev.vigil.wire;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * The prefix of a body whose frame has {@link FrameHeader#FLAG_INTRODUCTION} set: the sender's
 * certificate and address, laid out exactly as a {@link JoinBody}. A node attaches it to tree
 * messages for nodes that may not know it yet (a head it asks to be admitted by, a new cluster
 * member), so they can check the frame without a join round trip first.
 */
public final class Introduction {
    private Introduction() {
    }

    /**
     * @return the introduction's length when the body starts with a well-formed one, else -1.
     *         Never throws for in-bounds ranges.
     */
    public static int length(final DirectBuffer buffer, final int bodyOffset, final int bodyLength) {
        if (bodyLength < JoinBody.CERTIFICATE_OFFSET) {
            return -1;
        }
        final int length = JoinBody.CERTIFICATE_OFFSET + JoinBody.certificateLength(buffer, bodyOffset)
            + JoinBody.addressLength(buffer, bodyOffset);
        if (length > bodyLength || !JoinBody.isWellFormed(buffer, bodyOffset, length)) {
            return -1;
        }
        return length;
    }

    public static int certificateOffset(final int bodyOffset) {
        return JoinBody.certificateOffset(bodyOffset);
    }

    public static int certificateLength(final DirectBuffer buffer, final int bodyOffset) {
        return JoinBody.certificateLength(buffer, bodyOffset);
    }

    public static String address(final DirectBuffer buffer, final int bodyOffset) {
        return JoinBody.address(buffer, bodyOffset);
    }

    /** @return the length written. */
    public static int encode(final MutableDirectBuffer buffer, final int bodyOffset, final byte[] certificate, final String address) {
        return JoinBody.encode(buffer, bodyOffset, certificate, address);
    }
}
