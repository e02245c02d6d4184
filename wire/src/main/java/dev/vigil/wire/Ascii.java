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
        require(s, lengthMax, what);
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** Throws unless {@code s} is 1 to {@code lengthMax} printable ASCII characters without spaces. */
    static void require(final String s, final int lengthMax, final String what) {
        // Check the characters, not the encoded bytes: encoding would turn non-ASCII into '?'.
        for (int i = 0; i < s.length(); i++) {
            final char c = s.charAt(i);
            if (c < 0x21 || c > 0x7E) {
                throw new IllegalArgumentException(what + " must be printable ASCII without spaces: '" + s + "'");
            }
        }
        if (s.isEmpty() || s.length() > lengthMax) {
            throw new IllegalArgumentException(what + " length " + s.length() + " outside [1, " + lengthMax + "]");
        }
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
