package dev.vigil.wire;

import org.agrona.DirectBuffer;

import static java.nio.ByteOrder.LITTLE_ENDIAN;

/**
 * A bounds-checked little-endian cursor over one body. Reading past the end, or a field that
 * breaks its own rule (an empty or non-printable address), does not throw: it clears
 * {@link #ok()} and later reads return zeros, so a decoder reads every field and checks once.
 */
public final class WireReader {
    private DirectBuffer buffer;
    private int position;
    private int limit;
    private boolean ok;

    /** Points the cursor at {@code [offset, offset + length)} of {@code buffer}. */
    public WireReader wrap(final DirectBuffer buffer, final int offset, final int length) {
        this.buffer = buffer;
        this.position = offset;
        this.limit = offset + length;
        this.ok = offset >= 0 && length >= 0 && offset <= buffer.capacity() - length;
        return this;
    }

    public boolean ok() {
        return ok;
    }

    /** Whether every byte was read and nothing was out of place. */
    public boolean done() {
        return ok && position == limit;
    }

    public int position() {
        return position;
    }

    public DirectBuffer buffer() {
        return buffer;
    }

    private boolean take(final int n) {
        if (!ok || n < 0 || limit - position < n) {
            ok = false;
            return false;
        }
        return true;
    }

    public int u8() {
        if (!take(1)) {
            return 0;
        }
        return buffer.getByte(position++) & 0xFF;
    }

    public int u16() {
        if (!take(2)) {
            return 0;
        }
        final int v = buffer.getShort(position, LITTLE_ENDIAN) & 0xFFFF;
        position += 2;
        return v;
    }

    public long u32() {
        if (!take(4)) {
            return 0;
        }
        final long v = buffer.getInt(position, LITTLE_ENDIAN) & 0xFFFF_FFFFL;
        position += 4;
        return v;
    }

    public long u64() {
        if (!take(8)) {
            return 0;
        }
        final long v = buffer.getLong(position, LITTLE_ENDIAN);
        position += 8;
        return v;
    }

    /** Skips {@code n} bytes and returns where they start (for fields decoded elsewhere). */
    public int skip(final int n) {
        if (!take(n)) {
            return -1;
        }
        final int at = position;
        position += n;
        return at;
    }

    /** A u8-length-prefixed printable-ASCII address; {@code null} (and not ok) when malformed. */
    public String address() {
        final int length = u8();
        if (!ok || length == 0 || !take(length) || !Ascii.isPrintable(buffer, position, length)) {
            ok = false;
            return null;
        }
        final String s = Ascii.read(buffer, position, length);
        position += length;
        return s;
    }

    /** Marks the body malformed (a field out of its range). */
    public void fail() {
        ok = false;
    }
}
