package dev.vigil.daemon.history;

import dev.vigil.daemon.detect.AgentRecord;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * An agent's entry in the agents store: its detection state ({@link AgentRecord}, 256 bytes),
 * then what the history needs to resume after a restart, little-endian:
 * <pre>
 * 256  oldest raw minute    i64 (Long.MAX_VALUE: none)
 * 264  oldest minute        i64
 * 272  oldest hour          i64
 * 280  oldest day           i64
 * 288  newest ts            i64 µs (Long.MIN_VALUE: none)
 * 296  pinned since         i64 µs (-1: not pinned)
 * </pre>
 */
public record StoredAgent(AgentRecord record, long[] oldest, long newestTsMicros, long pinnedSinceMicros) {
    public static final int LENGTH = AgentRecord.LENGTH + 48;

    public byte[] encode() {
        final byte[] out = new byte[LENGTH];
        record.writeTo(new UnsafeBuffer(out), 0);
        final ByteBuffer b = ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN);
        b.position(AgentRecord.LENGTH);
        for (int i = 0; i < 4; i++) {
            b.putLong(oldest[i]);
        }
        b.putLong(newestTsMicros);
        b.putLong(pinnedSinceMicros);
        return out;
    }

    /** @throws IllegalArgumentException when the bytes are not a stored agent of this version */
    public static StoredAgent decode(final byte[] bytes) {
        if (bytes.length != LENGTH) {
            throw new IllegalArgumentException("stored agent of " + bytes.length + " bytes, expected " + LENGTH);
        }
        final AgentRecord r = AgentRecord.readFrom(new UnsafeBuffer(bytes), 0);
        final ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        b.position(AgentRecord.LENGTH);
        final long[] oldest = new long[4];
        for (int i = 0; i < 4; i++) {
            oldest[i] = b.getLong();
        }
        return new StoredAgent(r, oldest, b.getLong(), b.getLong());
    }
}
