package dev.vigil.wire;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import static java.nio.ByteOrder.LITTLE_ENDIAN;

/**
 * Body of a {@link MessageType#JOIN}: the sender's node certificate (opaque here; the crypto
 * module owns its layout) and the address on which the sender accepts peer connections.
 *
 * <pre>
 * 0  certificate length  u16
 * 2  address length      u8
 * 3  reserved            u8 (0)
 * 4  certificate bytes
 * .  address bytes (printable ASCII, "host:port")
 * </pre>
 */
public final class JoinBody {
    public static final int CERTIFICATE_LENGTH_OFFSET = 0;
    public static final int ADDRESS_LENGTH_OFFSET = 2;
    public static final int CERTIFICATE_OFFSET = 4;
    public static final int CERTIFICATE_LENGTH_MAX = 512;
    public static final int ADDRESS_LENGTH_MAX = 255;

    private JoinBody() {
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

    public static String address(final DirectBuffer buffer, final int bodyOffset) {
        final int at = certificateOffset(bodyOffset) + certificateLength(buffer, bodyOffset);
        return Ascii.read(buffer, at, addressLength(buffer, bodyOffset));
    }

    /** @return whether the body is exactly one well-formed join body. Never throws for in-bounds ranges. */
    public static boolean isWellFormed(final DirectBuffer buffer, final int bodyOffset, final int bodyLength) {
        if (bodyLength < CERTIFICATE_OFFSET) {
            return false;
        }
        final int certLength = certificateLength(buffer, bodyOffset);
        final int addressLength = addressLength(buffer, bodyOffset);
        if (certLength == 0 || certLength > CERTIFICATE_LENGTH_MAX || addressLength == 0
            || buffer.getByte(bodyOffset + 3) != 0) {
            return false;
        }
        if (CERTIFICATE_OFFSET + certLength + addressLength != bodyLength) {
            return false;
        }
        return Ascii.isPrintable(buffer, certificateOffset(bodyOffset) + certLength, addressLength);
    }

    public static int bodyLength(final byte[] certificate, final byte[] address) {
        return CERTIFICATE_OFFSET + certificate.length + address.length;
    }

    /** @return the body length written. */
    public static int encode(
        final MutableDirectBuffer buffer, final int bodyOffset, final byte[] certificate, final String address) {
        if (certificate.length == 0 || certificate.length > CERTIFICATE_LENGTH_MAX) {
            throw new IllegalArgumentException("certificate length " + certificate.length + " outside [1, " + CERTIFICATE_LENGTH_MAX + "]");
        }
        final byte[] addressBytes = Ascii.bytes(address, ADDRESS_LENGTH_MAX, "address");
        buffer.putShort(bodyOffset + CERTIFICATE_LENGTH_OFFSET, (short)certificate.length, LITTLE_ENDIAN);
        buffer.putByte(bodyOffset + ADDRESS_LENGTH_OFFSET, (byte)addressBytes.length);
        buffer.putByte(bodyOffset + 3, (byte)0);
        buffer.putBytes(certificateOffset(bodyOffset), certificate);
        Ascii.write(buffer, certificateOffset(bodyOffset) + certificate.length, addressBytes);
        return bodyLength(certificate, addressBytes);
    }
}
