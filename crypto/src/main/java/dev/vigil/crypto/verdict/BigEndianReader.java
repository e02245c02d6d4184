package dev.vigil.crypto.verdict;

import dev.vigil.crypto.verdict.VerdictFormatException.Reason;

/**
 * A cursor over {@code bytes[offset, offset + length)} that reads big-endian fields and refuses
 * to read past the end, naming the field it was reading. Allocates nothing but what it is asked
 * to copy.
 */
final class BigEndianReader {
    private final byte[] bytes;
    private final int start;
    private final int end;
    private int position;

    BigEndianReader(final byte[] bytes, final int offset, final int length) {
        if (offset < 0 || length < 0 || offset > bytes.length - length) {
            throw new IndexOutOfBoundsException("range [" + offset + ", " + offset + " + " + length + ") of " + bytes.length + " bytes");
        }
        this.bytes = bytes;
        this.start = offset;
        this.end = offset + length;
        this.position = offset;
    }

    /** Bytes read so far, from the start of the range: the offset reports name. */
    int offset() {
        return position - start;
    }

    int remaining() {
        return end - position;
    }

    private int take(final int count, final String field) {
        if (count > end - position) {
            throw new VerdictFormatException(Reason.TRUNCATED,
                field + " needs " + count + " bytes at byte " + offset() + ", " + remaining() + " left");
        }
        final int at = position;
        position += count;
        return at;
    }

    int u8(final String field) {
        return bytes[take(1, field)] & 0xFF;
    }

    int u16(final String field) {
        final int at = take(2, field);
        return (bytes[at] & 0xFF) << 8 | bytes[at + 1] & 0xFF;
    }

    long u32(final String field) {
        final int at = take(4, field);
        return (long)(bytes[at] & 0xFF) << 24 | (bytes[at + 1] & 0xFF) << 16 | (bytes[at + 2] & 0xFF) << 8 | bytes[at + 3] & 0xFF;
    }

    long i64(final String field) {
        final int at = take(8, field);
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = v << 8 | bytes[at + i] & 0xFF;
        }
        return v;
    }

    /** The position of {@code count} bytes skipped over, for fields read in place. */
    int skip(final int count, final String field) {
        return take(count, field);
    }

    byte[] copy(final int count, final String field) {
        final int at = take(count, field);
        final byte[] out = new byte[count];
        System.arraycopy(bytes, at, out, 0, count);
        return out;
    }

    /** @throws VerdictFormatException {@link Reason#TRAILING_BYTES} unless every byte was read. */
    void requireEnd(final String what) {
        if (position != end) {
            throw new VerdictFormatException(Reason.TRAILING_BYTES,
                remaining() + " bytes after the end of the " + what + " at byte " + offset());
        }
    }
}
