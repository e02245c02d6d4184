package dev.vigil.wire;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import static java.nio.ByteOrder.LITTLE_ENDIAN;

/**
 * Body of a {@link MessageType#PING} and of its {@link MessageType#ACK}: the probe id chosen by
 * the pinger and echoed by the acker, and the sender's network coordinate (Vivaldi: x, y,
 * height, error as little-endian doubles; opaque here, read and bounded by the daemon). The
 * pinger alone knows when it sent the probe, so a peer cannot make itself look closer than it is.
 *
 * <pre>
 * 0  probe id     u64
 * 8  coordinate   32 bytes
 * </pre>
 */
public final class ProbeBody {
    public static final int PROBE_ID_OFFSET = 0;
    public static final int COORDINATE_OFFSET = 8;
    public static final int COORDINATE_LENGTH = 32;
    public static final int LENGTH = COORDINATE_OFFSET + COORDINATE_LENGTH;

    private ProbeBody() {
    }

    public static long probeId(final DirectBuffer buffer, final int bodyOffset) {
        return buffer.getLong(bodyOffset + PROBE_ID_OFFSET, LITTLE_ENDIAN);
    }

    public static boolean isWellFormed(final int bodyLength) {
        return bodyLength == LENGTH;
    }

    /** Writes the probe id and a zeroed coordinate, for the sender to fill in at {@link #COORDINATE_OFFSET}. */
    public static int encode(final MutableDirectBuffer buffer, final int bodyOffset, final long probeId) {
        buffer.putLong(bodyOffset + PROBE_ID_OFFSET, probeId, LITTLE_ENDIAN);
        buffer.setMemory(bodyOffset + COORDINATE_OFFSET, COORDINATE_LENGTH, (byte)0);
        return LENGTH;
    }
}
