package dev.vigil.daemon.consensus;

import java.util.Arrays;

/**
 * The strict reader of {@link CanonicalWriter}'s encoding: every read is bounds-checked, every
 * count and length is checked against its stated maximum before anything is allocated, and the
 * caller asks {@link #end()} to refuse trailing bytes. Failures are {@link DecodeException}s with
 * a reason, never runtime exceptions.
 */
final class CanonicalReader {
    private final byte[] bytes;
    private int position;
    private final int end;

    CanonicalReader(final byte[] bytes) {
        this.bytes = bytes;
        this.position = 0;
        this.end = bytes.length;
    }

    private void need(final int n) throws DecodeException {
        if (n < 0 || end - position < n) {
            throw new DecodeException(Refusal.MALFORMED, "truncated at byte " + position);
        }
    }

    int u8() throws DecodeException {
        need(1);
        return bytes[position++] & 0xFF;
    }

    int u16() throws DecodeException {
        need(2);
        final int v = (bytes[position] & 0xFF) | (bytes[position + 1] & 0xFF) << 8;
        position += 2;
        return v;
    }

    /** A u32 that must fit a non-negative int. */
    int u32() throws DecodeException {
        need(4);
        long v = 0;
        for (int i = 0; i < 4; i++) {
            v |= (long)(bytes[position + i] & 0xFF) << (8 * i);
        }
        position += 4;
        if (v > Integer.MAX_VALUE) {
            throw new DecodeException(Refusal.OVERSIZED, "u32 above 2^31 - 1");
        }
        return (int)v;
    }

    long u64() throws DecodeException {
        need(8);
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v |= (long)(bytes[position + i] & 0xFF) << (8 * i);
        }
        position += 8;
        return v;
    }

    /** A u64 that must be a non-negative long (views, sequence numbers, epochs). */
    long u63() throws DecodeException {
        final long v = u64();
        if (v < 0) {
            throw new DecodeException(Refusal.MALFORMED, "negative counter");
        }
        return v;
    }

    byte[] fixed(final int n) throws DecodeException {
        need(n);
        final byte[] out = Arrays.copyOfRange(bytes, position, position + n);
        position += n;
        return out;
    }

    /** A u32-prefixed blob of at most {@code max} bytes. */
    byte[] blob(final int max) throws DecodeException {
        final int n = u32();
        if (n > max) {
            throw new DecodeException(Refusal.OVERSIZED, "blob of " + n + " bytes, at most " + max);
        }
        return fixed(n);
    }

    /** A u16 count of at most {@code max} items. */
    int count16(final int max) throws DecodeException {
        final int n = u16();
        if (n > max) {
            throw new DecodeException(Refusal.OVERSIZED, "count " + n + ", at most " + max);
        }
        return n;
    }

    int position() {
        return position;
    }

    void end() throws DecodeException {
        if (position != end) {
            throw new DecodeException(Refusal.MALFORMED, (end - position) + " trailing bytes");
        }
    }
}
