package dev.vigil.wire;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import java.nio.charset.StandardCharsets;

/** Short printable-ASCII strings (addresses) as they appear on the wire: no control bytes, no spaces. */
final class Ascii {
    private Ascii() {
    }

    static boolean isPrintable(final DirectBuffer buffer, final int offset, final int length) {
        for (int i = 0; i < length; i++) {
            final byte b = buffer.getByte(offset + i);
            if (b < 0x21 || b > 0x7E) {
                return false;
            }
        }
        return true;
    }

    static byte[] bytes(final String s, final int lengthMax, final String what) {
        final byte[] bytes = s.getBytes(StandardCharsets.US_ASCII);
        if (bytes.length == 0 || bytes.length > lengthMax) {
            throw new IllegalArgumentException(what + " length " + bytes.length + " outside [1, " + lengthMax + "]");
        }
        for (final byte b : bytes) {
            if (b < 0x21 || b > 0x7E) {
                throw new IllegalArgumentException(what + " must be printable ASCII without spaces: '" + s + "'");
            }
        }
        return bytes;
    }

    static String read(final DirectBuffer buffer, final int offset, final int length) {
        return buffer.getStringWithoutLengthAscii(offset, length);
    }

    static void write(final MutableDirectBuffer buffer, final int offset, final byte[] bytes) {
        buffer.putBytes(offset, bytes);
    }

    static String of(final byte[] bytes) {
        return new String(bytes, StandardCharsets.US_ASCII);
    }
}
