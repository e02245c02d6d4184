package dev.vigil.wire;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import static java.nio.ByteOrder.LITTLE_ENDIAN;

/**
 * Body of a {@link MessageType#CONSENSUS} frame: one fragment of a committee message that may be
 * larger than a frame (a view-change, a new-view or a state reply runs to megabytes). The message
 * is opaque here: it carries its own signatures and canonical encoding, checked by the consensus
 * layer once the receiver has put it back together.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +---------------------------------------------------------------+
 * |                 message id (u64, sender-chosen,               |  0
 * |                 increasing per sender)                        |
 * +---------------------------------------------------------------+
 * |             message length (u32, whole message, >= 1)         |  8
 * +---------------------------------------------------------------+
 * |          fragment offset (u32, where these bytes go)          | 12
 * +-------------------------------+-------------------------------+
 * |   fragment length (u16, >= 1) |         reserved (0)          | 16
 * +-------------------------------+-------------------------------+
 * |                      fragment bytes ...                       | 20
 * +---------------------------------------------------------------+
 * </pre>
 *
 * Well-formed means the fragment lies inside its own message: offset + length <= message length
 * (as unsigned 32-bit values). Whether the message is small enough for the receiver, and whether
 * the fragment agrees with the others of its message, is the receiver's business.
 */
public final class ConsensusFragmentBody {
    public static final int MESSAGE_ID_OFFSET = 0;
    public static final int MESSAGE_LENGTH_OFFSET = 8;
    public static final int FRAGMENT_OFFSET_OFFSET = 12;
    public static final int FRAGMENT_LENGTH_OFFSET = 16;
    public static final int RESERVED_OFFSET = 18;
    public static final int FRAGMENT_BYTES_OFFSET = 20;
    /**
     * The most fragment bytes a body can carry: what is left of the largest frame after the header,
     * the signature and this body's fixed fields (an introduction, when there is one, takes more).
     */
    public static final int FRAGMENT_LENGTH_MAX = FrameHeader.BODY_LENGTH_MAX - FRAGMENT_BYTES_OFFSET;

    private static final long U32_MASK = 0xFFFF_FFFFL;

    private ConsensusFragmentBody() {
    }

    public static int bodyLength(final int fragmentLength) {
        return FRAGMENT_BYTES_OFFSET + fragmentLength;
    }

    /**
     * @return the most fragment bytes per frame when an introduction of {@code introductionLength}
     *         bytes precedes the body
     */
    public static int fragmentLengthMax(final int introductionLength) {
        if (introductionLength < 0 || introductionLength >= FRAGMENT_LENGTH_MAX) {
            throw new IllegalArgumentException("introduction of " + introductionLength + " bytes leaves no room for a fragment");
        }
        return FRAGMENT_LENGTH_MAX - introductionLength;
    }

    public static long messageId(final DirectBuffer b, final int bodyOffset) {
        return b.getLong(bodyOffset + MESSAGE_ID_OFFSET, LITTLE_ENDIAN);
    }

    /** Unsigned: 0 .. 2^32 - 1. */
    public static long messageLength(final DirectBuffer b, final int bodyOffset) {
        return b.getInt(bodyOffset + MESSAGE_LENGTH_OFFSET, LITTLE_ENDIAN) & U32_MASK;
    }

    /** Unsigned: 0 .. 2^32 - 1. */
    public static long fragmentOffset(final DirectBuffer b, final int bodyOffset) {
        return b.getInt(bodyOffset + FRAGMENT_OFFSET_OFFSET, LITTLE_ENDIAN) & U32_MASK;
    }

    public static int fragmentLength(final DirectBuffer b, final int bodyOffset) {
        return b.getShort(bodyOffset + FRAGMENT_LENGTH_OFFSET, LITTLE_ENDIAN) & 0xFFFF;
    }

    public static int fragmentBytesOffset(final int bodyOffset) {
        return bodyOffset + FRAGMENT_BYTES_OFFSET;
    }

    /** Never throws for a range inside the buffer. */
    public static boolean isWellFormed(final DirectBuffer b, final int bodyOffset, final int bodyLength) {
        if (bodyLength < FRAGMENT_BYTES_OFFSET + 1) {
            return false;
        }
        final int n = fragmentLength(b, bodyOffset);
        return n >= 1 && bodyLength == FRAGMENT_BYTES_OFFSET + n
            && b.getShort(bodyOffset + RESERVED_OFFSET, LITTLE_ENDIAN) == 0
            && fragmentOffset(b, bodyOffset) + n <= messageLength(b, bodyOffset);
    }

    /**
     * Writes the fragment {@code message[fragmentOffset, fragmentOffset + fragmentLength)}.
     *
     * @return the body length
     */
    public static int encode(final MutableDirectBuffer b, final int bodyOffset, final long messageId, final byte[] message,
                             final int fragmentOffset, final int fragmentLength) {
        if (message.length < 1) {
            throw new IllegalArgumentException("a consensus message has at least one byte");
        }
        if (fragmentLength < 1 || fragmentLength > FRAGMENT_LENGTH_MAX) {
            throw new IllegalArgumentException("fragment of " + fragmentLength + " bytes outside [1, " + FRAGMENT_LENGTH_MAX + "]");
        }
        if (fragmentOffset < 0 || fragmentOffset > message.length - fragmentLength) {
            throw new IllegalArgumentException("fragment [" + fragmentOffset + ", +" + fragmentLength + ") outside a message of "
                + message.length + " bytes");
        }
        b.putLong(bodyOffset + MESSAGE_ID_OFFSET, messageId, LITTLE_ENDIAN);
        b.putInt(bodyOffset + MESSAGE_LENGTH_OFFSET, message.length, LITTLE_ENDIAN);
        b.putInt(bodyOffset + FRAGMENT_OFFSET_OFFSET, fragmentOffset, LITTLE_ENDIAN);
        b.putShort(bodyOffset + FRAGMENT_LENGTH_OFFSET, (short)fragmentLength, LITTLE_ENDIAN);
        b.putShort(bodyOffset + RESERVED_OFFSET, (short)0, LITTLE_ENDIAN);
        b.putBytes(bodyOffset + FRAGMENT_BYTES_OFFSET, message, fragmentOffset, fragmentLength);
        return bodyLength(fragmentLength);
    }
}
