package dev.vigil.wire;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import static java.nio.ByteOrder.LITTLE_ENDIAN;

/**
 * The fixed 40-byte frame header, little-endian.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +---------------------------------------------------------------+
 * |                         magic "VIGL"                          |  0
 * +---------------+---------------+-------------------------------+
 * |    version    |     type      |             flags             |  4
 * +---------------+---------------+-------------------------------+
 * |          frame length (header + body + signature)             |  8
 * +---------------------------------------------------------------+
 * |                      feature schema hash                      | 12
 * +---------------------------------------------------------------+
 * |                        sender node id                         | 16
 * +---------------------------------------------------------------+
 * |                        sender sequence                        | 24
 * +---------------------------------------------------------------+
 * |                   hybrid logical clock stamp                  | 32
 * +---------------------------------------------------------------+
 * |                      body ...                                 | 40
 * +---------------------------------------------------------------+
 * |            Ed25519 signature over [0, length - 64)            |
 * +---------------------------------------------------------------+
 * </pre>
 */
public final class FrameHeader {
    /** "VIGL" read as a little-endian int. */
    public static final int MAGIC = 0x4C474956;
    public static final int VERSION = 1;

    public static final int MAGIC_OFFSET = 0;
    public static final int VERSION_OFFSET = 4;
    public static final int TYPE_OFFSET = 5;
    public static final int FLAGS_OFFSET = 6;
    public static final int LENGTH_OFFSET = 8;
    public static final int SCHEMA_HASH_OFFSET = 12;
    public static final int SENDER_OFFSET = 16;
    public static final int SEQUENCE_OFFSET = 24;
    public static final int HLC_OFFSET = 32;
    public static final int HEADER_LENGTH = 40;

    public static final int SIGNATURE_LENGTH = 64;
    /** The smallest well-formed frame: a header, an empty body and a signature. */
    public static final int FRAME_LENGTH_MIN = HEADER_LENGTH + SIGNATURE_LENGTH;
    /**
     * The hard upper bound on any frame. The largest v1 frame (a join-accept with a full peer
     * sample) is under 5 KiB; statistical updates stay under 1 KiB. Anything longer is hostile
     * or broken and is dropped before it is buffered further.
     */
    public static final int FRAME_LENGTH_MAX = 16 * 1024;
    public static final int BODY_LENGTH_MAX = FRAME_LENGTH_MAX - FRAME_LENGTH_MIN;
    /**
     * Header flag: the body starts with an {@link Introduction} (the sender's certificate and
     * address) and the message body follows it. Only types that may reach a node which has never
     * seen the sender ({@link MessageType#introducible()}) may set it; v1 defines no other flag.
     */
    public static final int FLAG_INTRODUCTION = 1;

    private FrameHeader() {
    }

    public static int magic(final DirectBuffer buffer, final int frameOffset) {
        return buffer.getInt(frameOffset + MAGIC_OFFSET, LITTLE_ENDIAN);
    }

    public static int version(final DirectBuffer buffer, final int frameOffset) {
        return buffer.getByte(frameOffset + VERSION_OFFSET) & 0xFF;
    }

    public static int type(final DirectBuffer buffer, final int frameOffset) {
        return buffer.getByte(frameOffset + TYPE_OFFSET) & 0xFF;
    }

    public static int flags(final DirectBuffer buffer, final int frameOffset) {
        return buffer.getShort(frameOffset + FLAGS_OFFSET, LITTLE_ENDIAN) & 0xFFFF;
    }

    public static int frameLength(final DirectBuffer buffer, final int frameOffset) {
        return buffer.getInt(frameOffset + LENGTH_OFFSET, LITTLE_ENDIAN);
    }

    public static int schemaHash(final DirectBuffer buffer, final int frameOffset) {
        return buffer.getInt(frameOffset + SCHEMA_HASH_OFFSET, LITTLE_ENDIAN);
    }

    public static long sender(final DirectBuffer buffer, final int frameOffset) {
        return buffer.getLong(frameOffset + SENDER_OFFSET, LITTLE_ENDIAN);
    }

    public static long sequence(final DirectBuffer buffer, final int frameOffset) {
        return buffer.getLong(frameOffset + SEQUENCE_OFFSET, LITTLE_ENDIAN);
    }

    public static long hlc(final DirectBuffer buffer, final int frameOffset) {
        return buffer.getLong(frameOffset + HLC_OFFSET, LITTLE_ENDIAN);
    }

    public static int bodyOffset(final int frameOffset) {
        return frameOffset + HEADER_LENGTH;
    }

    /** Body length of a frame whose total length is {@code frameLength}. */
    public static int bodyLength(final int frameLength) {
        return frameLength - FRAME_LENGTH_MIN;
    }

    public static int signatureOffset(final int frameOffset, final int frameLength) {
        return frameOffset + frameLength - SIGNATURE_LENGTH;
    }

    /** Number of leading bytes the signature covers. */
    public static int signedLength(final int frameLength) {
        return frameLength - SIGNATURE_LENGTH;
    }

    /**
     * Writes a complete header for a body of {@code bodyLength} bytes. The body is written by the
     * message encoder at {@link #bodyOffset(int)}; the signature slot is left for the signer.
     *
     * @return the total frame length, signature included.
     */
    public static int write(
        final MutableDirectBuffer buffer,
        final int frameOffset,
        final int type,
        final int flags,
        final int bodyLength,
        final int schemaHash,
        final long sender,
        final long sequence,
        final long hlc) {
        if (bodyLength < 0 || bodyLength > BODY_LENGTH_MAX) {
            throw new IllegalArgumentException("body length " + bodyLength + " outside [0, " + BODY_LENGTH_MAX + "]");
        }
        final int frameLength = FRAME_LENGTH_MIN + bodyLength;
        buffer.putInt(frameOffset + MAGIC_OFFSET, MAGIC, LITTLE_ENDIAN);
        buffer.putByte(frameOffset + VERSION_OFFSET, (byte)VERSION);
        buffer.putByte(frameOffset + TYPE_OFFSET, (byte)type);
        buffer.putShort(frameOffset + FLAGS_OFFSET, (short)flags, LITTLE_ENDIAN);
        buffer.putInt(frameOffset + LENGTH_OFFSET, frameLength, LITTLE_ENDIAN);
        buffer.putInt(frameOffset + SCHEMA_HASH_OFFSET, schemaHash, LITTLE_ENDIAN);
        buffer.putLong(frameOffset + SENDER_OFFSET, sender, LITTLE_ENDIAN);
        buffer.putLong(frameOffset + SEQUENCE_OFFSET, sequence, LITTLE_ENDIAN);
        buffer.putLong(frameOffset + HLC_OFFSET, hlc, LITTLE_ENDIAN);
        return frameLength;
    }
}
