package dev.vigil.wire;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import static java.nio.ByteOrder.LITTLE_ENDIAN;

/**
 * Body of a {@link MessageType#PING} and of its {@link MessageType#ACK}: the probe id chosen by
 * the pinger and echoed by the acker. The pinger alone knows when it sent the probe, so a peer
 * cannot make itself look closer than it is.
 *
 * <pre>
 * 0  probe id  u64
 * </pre>
 */
public final class ProbeBody {
    public static final int PROBE_ID_OFFSET = 0;
    public static final int LENGTH = 8;

    private ProbeBody() {
    }

    public static long probeId(final DirectBuffer buffer, final int bodyOffset) {
        return buffer.getLong(bodyOffset + PROBE_ID_OFFSET, LITTLE_ENDIAN);
    }

    public static boolean isWellFormed(final int bodyLength) {
        return bodyLength == LENGTH;
    }

    public static int encode(final MutableDirectBuffer buffer, final int bodyOffset, final long probeId) {
        buffer.putLong(bodyOffset + PROBE_ID_OFFSET, probeId, LITTLE_ENDIAN);
        return LENGTH;
    }
}
