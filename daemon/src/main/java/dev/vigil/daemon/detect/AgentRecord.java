package dev.vigil.daemon.detect;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import java.nio.charset.StandardCharsets;

import static java.nio.ByteOrder.LITTLE_ENDIAN;

/**
 * An agent's detection state as a fixed-size {@value #LENGTH}-byte record, for a key-value store
 * (Chronicle Map) to hold one per agent. The baseline's bucket statistics are not in it: they
 * are rollups of their own, keyed (agent, tier, bucket), from which the baseline is merged again.
 *
 * <pre>
 *   0  version           u8 (1)
 *   1  status            u8 (AgentStatus ordinal)
 *   2  id length         u8
 *   3  role length       u8 (0 = no role)
 *   4  reserved          u32 (0)
 *   8  cusum             f64
 *  16  observations      i64
 *  24  excluded          i64
 *  32  last ts           i64 µs
 *  40  status since      i64 µs (-1 never changed)
 *  48  alarmed at        i64 µs (-1 never alarmed)
 *  56  id                128 bytes, printable ASCII, zero padded
 * 184  role              64 bytes, printable ASCII, zero padded
 * 248  reserved          8 bytes (0)
 * </pre>
 */
public record AgentRecord(String id, String role, AgentStatus status, double cusum, long observations, long excluded,
                          long lastTsMicros, long statusSinceMicros, long alarmedMicros) {
    public static final int VERSION = 1;
    public static final int LENGTH = 256;
    private static final int ID_OFFSET = 56;
    private static final int ROLE_OFFSET = 184;
    private static final int ID_MAX = AgentIds.ID_LENGTH_MAX;
    private static final int ROLE_MAX = AgentIds.ROLE_LENGTH_MAX;

    public AgentRecord {
        if (!AgentIds.isValidId(id) || (role != null && !AgentIds.isValidRole(role))) {
            throw new IllegalArgumentException("agent id must be 1 to " + ID_MAX + " and role 1 to " + ROLE_MAX
                + " printable ASCII characters");
        }
    }

    public void writeTo(final MutableDirectBuffer buffer, final int offset) {
        buffer.setMemory(offset, LENGTH, (byte)0);
        final byte[] idBytes = id.getBytes(StandardCharsets.US_ASCII);
        final byte[] roleBytes = role == null ? new byte[0] : role.getBytes(StandardCharsets.US_ASCII);
        buffer.putByte(offset, (byte)VERSION);
        buffer.putByte(offset + 1, (byte)status.ordinal());
        buffer.putByte(offset + 2, (byte)idBytes.length);
        buffer.putByte(offset + 3, (byte)roleBytes.length);
        buffer.putDouble(offset + 8, cusum, LITTLE_ENDIAN);
        buffer.putLong(offset + 16, observations, LITTLE_ENDIAN);
        buffer.putLong(offset + 24, excluded, LITTLE_ENDIAN);
        buffer.putLong(offset + 32, lastTsMicros, LITTLE_ENDIAN);
        buffer.putLong(offset + 40, statusSinceMicros, LITTLE_ENDIAN);
        buffer.putLong(offset + 48, alarmedMicros, LITTLE_ENDIAN);
        buffer.putBytes(offset + ID_OFFSET, idBytes);
        buffer.putBytes(offset + ROLE_OFFSET, roleBytes);
    }

    /** @throws IllegalArgumentException when the bytes are not a version-1 record (torn or foreign). */
    public static AgentRecord readFrom(final DirectBuffer buffer, final int offset) {
        final int version = buffer.getByte(offset) & 0xFF;
        final int status = buffer.getByte(offset + 1) & 0xFF;
        final int idLength = buffer.getByte(offset + 2) & 0xFF;
        final int roleLength = buffer.getByte(offset + 3) & 0xFF;
        if (version != VERSION || status >= AgentStatus.values().length || idLength == 0 || idLength > ID_MAX
            || roleLength > ROLE_MAX) {
            throw new IllegalArgumentException("not a version-" + VERSION + " agent record (version " + version
                + ", status " + status + ", id length " + idLength + ", role length " + roleLength + ")");
        }
        return new AgentRecord(
            buffer.getStringWithoutLengthAscii(offset + ID_OFFSET, idLength),
            roleLength == 0 ? null : buffer.getStringWithoutLengthAscii(offset + ROLE_OFFSET, roleLength),
            AgentStatus.values()[status],
            buffer.getDouble(offset + 8, LITTLE_ENDIAN),
            buffer.getLong(offset + 16, LITTLE_ENDIAN),
            buffer.getLong(offset + 24, LITTLE_ENDIAN),
            buffer.getLong(offset + 32, LITTLE_ENDIAN),
            buffer.getLong(offset + 40, LITTLE_ENDIAN),
            buffer.getLong(offset + 48, LITTLE_ENDIAN));
    }
}
