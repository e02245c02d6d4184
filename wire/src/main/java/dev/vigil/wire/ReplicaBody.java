package dev.vigil.wire;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import static java.nio.ByteOrder.LITTLE_ENDIAN;

/**
 * Body of a {@link MessageType#BASELINE_REPLICA}: one agent's baseline, replicated by the node
 * that watches it to members of its cluster. The payload is opaque here (the daemon's stored
 * agent state and baseline statistics).
 *
 * <pre>
 *  0  agent key       i64 (64 bits of SHA-256 of the agent id)
 *  8  version         i64 µs (the agent's newest observation when sent; newer replaces older)
 * 16  payload length  u16 (1..{@value #PAYLOAD_MAX})
 * 18  reserved        u16 (0)
 * 20  payload
 * </pre>
 */
public final class ReplicaBody {
    public static final int AGENT_KEY_OFFSET = 0;
    public static final int VERSION_OFFSET = 8;
    public static final int PAYLOAD_LENGTH_OFFSET = 16;
    public static final int PAYLOAD_OFFSET = 20;
    /** Enough for the state and baseline of an agent at 16 features. */
    public static final int PAYLOAD_MAX = 2_048;

    private ReplicaBody() {
    }

    public static int bodyLength(final int payloadLength) {
        return PAYLOAD_OFFSET + payloadLength;
    }

    public static long agentKey(final DirectBuffer b, final int bodyOffset) {
        return b.getLong(bodyOffset + AGENT_KEY_OFFSET, LITTLE_ENDIAN);
    }

    public static long version(final DirectBuffer b, final int bodyOffset) {
        return b.getLong(bodyOffset + VERSION_OFFSET, LITTLE_ENDIAN);
    }

    public static int payloadLength(final DirectBuffer b, final int bodyOffset) {
        return b.getShort(bodyOffset + PAYLOAD_LENGTH_OFFSET, LITTLE_ENDIAN) & 0xFFFF;
    }

    public static boolean isWellFormed(final DirectBuffer b, final int bodyOffset, final int bodyLength) {
        if (bodyLength < PAYLOAD_OFFSET + 1) {
            return false;
        }
        final int n = payloadLength(b, bodyOffset);
        return n >= 1 && n <= PAYLOAD_MAX && bodyLength == PAYLOAD_OFFSET + n
            && b.getShort(bodyOffset + PAYLOAD_LENGTH_OFFSET + 2, LITTLE_ENDIAN) == 0;
    }

    /** @return the body length */
    public static int encode(final MutableDirectBuffer b, final int bodyOffset, final long agentKey, final long version,
                             final byte[] payload) {
        if (payload.length < 1 || payload.length > PAYLOAD_MAX) {
            throw new IllegalArgumentException("replica payload of " + payload.length + " bytes outside [1, " + PAYLOAD_MAX + "]");
        }
        b.putLong(bodyOffset + AGENT_KEY_OFFSET, agentKey, LITTLE_ENDIAN);
        b.putLong(bodyOffset + VERSION_OFFSET, version, LITTLE_ENDIAN);
        b.putShort(bodyOffset + PAYLOAD_LENGTH_OFFSET, (short)payload.length, LITTLE_ENDIAN);
        b.putShort(bodyOffset + PAYLOAD_LENGTH_OFFSET + 2, (short)0, LITTLE_ENDIAN);
        b.putBytes(bodyOffset + PAYLOAD_OFFSET, payload);
        return bodyLength(payload.length);
    }
}
