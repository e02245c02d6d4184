package dev.vigil.wire;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import static java.nio.ByteOrder.LITTLE_ENDIAN;

/**
 * Body of a {@link MessageType#JOIN_ACCEPT}: whether the joiner was admitted as a peer of the
 * sender (a node with a full peer table still accepts a valid joiner into the fleet, but not as
 * its own peer), the sender's certificate and advertised address, and a bounded sample of other
 * nodes to try.
 *
 * <pre>
 * 0  flags               u8  (bit 0: admitted as a peer)
 * 1  sample count        u8  (at most {@link #SAMPLE_MAX})
 * 2  certificate length  u16
 * 4  address length      u8
 * 5  reserved            u8[3] (0)
 * 8  certificate bytes
 * .  sender's address bytes
 * .  sample entries: node id u64, address length u8, address bytes
 * </pre>
 */
public final class JoinAcceptBody {
    public static final int FLAGS_OFFSET = 0;
    public static final int SAMPLE_COUNT_OFFSET = 1;
    public static final int CERTIFICATE_LENGTH_OFFSET = 2;
    public static final int ADDRESS_LENGTH_OFFSET = 4;
    public static final int CERTIFICATE_OFFSET = 8;
    public static final int FLAG_ADMITTED = 1;
    /** Bound on the peer sample carried in one accept. */
    public static final int SAMPLE_MAX = 16;
    public static final int SAMPLE_ENTRY_FIXED_LENGTH = 9;

    private JoinAcceptBody() {
    }

    /** Receives the sample entries of a join-accept, in wire order. */
    @FunctionalInterface
    public interface SampleVisitor {
        void onSample(long nodeId, String address);
    }

    public static boolean admitted(final DirectBuffer buffer, final int bodyOffset) {
        return (buffer.getByte(bodyOffset + FLAGS_OFFSET) & FLAG_ADMITTED) != 0;
    }

    public static int sampleCount(final DirectBuffer buffer, final int bodyOffset) {
        return buffer.getByte(bodyOffset + SAMPLE_COUNT_OFFSET) & 0xFF;
    }

    public static int certificateLength(final DirectBuffer buffer, final int bodyOffset) {
        return buffer.getShort(bodyOffset + CERTIFICATE_LENGTH_OFFSET, LITTLE_ENDIAN) & 0xFFFF;
    }

    public static int certificateOffset(final int bodyOffset) {
        return bodyOffset + CERTIFICATE_OFFSET;
    }

    public static int addressLength(final DirectBuffer buffer, final int bodyOffset) {
        return buffer.getByte(bodyOffset + ADDRESS_LENGTH_OFFSET) & 0xFF;
    }

    /** The sender's own advertised address. */
    public static String address(final DirectBuffer buffer, final int bodyOffset) {
        return Ascii.read(buffer, certificateOffset(bodyOffset) + certificateLength(buffer, bodyOffset),
            addressLength(buffer, bodyOffset));
    }

    private static int samplesOffset(final DirectBuffer buffer, final int bodyOffset) {
        return certificateOffset(bodyOffset) + certificateLength(buffer, bodyOffset) + addressLength(buffer, bodyOffset);
    }

    /** Visits each sample entry. Only call on a body that passed {@link #isWellFormed}. */
    public static void forEachSample(final DirectBuffer buffer, final int bodyOffset, final SampleVisitor visitor) {
        int at = samplesOffset(buffer, bodyOffset);
        final int count = sampleCount(buffer, bodyOffset);
        for (int i = 0; i < count; i++) {
            final long nodeId = buffer.getLong(at, LITTLE_ENDIAN);
            final int addressLength = buffer.getByte(at + 8) & 0xFF;
            visitor.onSample(nodeId, Ascii.read(buffer, at + SAMPLE_ENTRY_FIXED_LENGTH, addressLength));
            at += SAMPLE_ENTRY_FIXED_LENGTH + addressLength;
        }
    }

    public static boolean isWellFormed(final DirectBuffer buffer, final int bodyOffset, final int bodyLength) {
        if (bodyLength < CERTIFICATE_OFFSET) {
            return false;
        }
        final int flags = buffer.getByte(bodyOffset + FLAGS_OFFSET) & 0xFF;
        final int count = sampleCount(buffer, bodyOffset);
        final int certLength = certificateLength(buffer, bodyOffset);
        final int addressLength = addressLength(buffer, bodyOffset);
        if ((flags & ~FLAG_ADMITTED) != 0 || count > SAMPLE_MAX
            || certLength == 0 || certLength > JoinBody.CERTIFICATE_LENGTH_MAX || addressLength == 0
            || buffer.getByte(bodyOffset + 5) != 0 || buffer.getByte(bodyOffset + 6) != 0 || buffer.getByte(bodyOffset + 7) != 0
            || CERTIFICATE_OFFSET + certLength + addressLength > bodyLength
            || !Ascii.isPrintable(buffer, certificateOffset(bodyOffset) + certLength, addressLength)) {
            return false;
        }
        final int end = bodyOffset + bodyLength;
        int at = certificateOffset(bodyOffset) + certLength + addressLength;
        for (int i = 0; i < count; i++) {
            if (at + SAMPLE_ENTRY_FIXED_LENGTH > end) {
                return false;
            }
            final int entryAddressLength = buffer.getByte(at + 8) & 0xFF;
            final int next = at + SAMPLE_ENTRY_FIXED_LENGTH + entryAddressLength;
            if (entryAddressLength == 0 || next > end
                || !Ascii.isPrintable(buffer, at + SAMPLE_ENTRY_FIXED_LENGTH, entryAddressLength)) {
                return false;
            }
            at = next;
        }
        return at == end;
    }

    /**
     * Writes the fixed part, the certificate and the sender's address; entries follow through
     * {@link #appendSample}.
     *
     * @return the body length so far.
     */
    public static int encodeStart(
        final MutableDirectBuffer buffer, final int bodyOffset, final boolean admitted,
        final byte[] certificate, final String address) {
        if (certificate.length == 0 || certificate.length > JoinBody.CERTIFICATE_LENGTH_MAX) {
            throw new IllegalArgumentException("certificate length " + certificate.length + " outside [1, " + JoinBody.CERTIFICATE_LENGTH_MAX + "]");
        }
        final byte[] addressBytes = Ascii.bytes(address, JoinBody.ADDRESS_LENGTH_MAX, "address");
        buffer.putByte(bodyOffset + FLAGS_OFFSET, (byte)(admitted ? FLAG_ADMITTED : 0));
        buffer.putByte(bodyOffset + SAMPLE_COUNT_OFFSET, (byte)0);
        buffer.putShort(bodyOffset + CERTIFICATE_LENGTH_OFFSET, (short)certificate.length, LITTLE_ENDIAN);
        buffer.putByte(bodyOffset + ADDRESS_LENGTH_OFFSET, (byte)addressBytes.length);
        buffer.putByte(bodyOffset + 5, (byte)0);
        buffer.putByte(bodyOffset + 6, (byte)0);
        buffer.putByte(bodyOffset + 7, (byte)0);
        buffer.putBytes(certificateOffset(bodyOffset), certificate);
        Ascii.write(buffer, certificateOffset(bodyOffset) + certificate.length, addressBytes);
        return CERTIFICATE_OFFSET + certificate.length + addressBytes.length;
    }

    /**
     * Appends one sample entry at {@code bodyOffset + bodyLength}.
     *
     * @return the new body length.
     */
    public static int appendSample(
        final MutableDirectBuffer buffer, final int bodyOffset, final int bodyLength, final long nodeId, final String address) {
        final int count = sampleCount(buffer, bodyOffset);
        if (count >= SAMPLE_MAX) {
            throw new IllegalStateException("join-accept sample already holds " + SAMPLE_MAX + " entries");
        }
        final byte[] addressBytes = Ascii.bytes(address, JoinBody.ADDRESS_LENGTH_MAX, "address");
        final int at = bodyOffset + bodyLength;
        buffer.putLong(at, nodeId, LITTLE_ENDIAN);
        buffer.putByte(at + 8, (byte)addressBytes.length);
        Ascii.write(buffer, at + SAMPLE_ENTRY_FIXED_LENGTH, addressBytes);
        buffer.putByte(bodyOffset + SAMPLE_COUNT_OFFSET, (byte)(count + 1));
        return bodyLength + SAMPLE_ENTRY_FIXED_LENGTH + addressBytes.length;
    }
}
