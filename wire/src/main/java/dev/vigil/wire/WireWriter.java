package dev.vigil.wire;

import org.agrona.MutableDirectBuffer;

import static java.nio.ByteOrder.LITTLE_ENDIAN;

/** A little-endian cursor that writes one body; the caller sized the buffer (the tree bodies' {@code length} functions). */
public final class WireWriter {
    private MutableDirectBuffer buffer;
    private int start;
    private int position;

    public WireWriter wrap(final MutableDirectBuffer buffer, final int offset) {
        this.buffer = buffer;
        this.start = offset;
        this.position = offset;
        return this;
    }

    /** Bytes written since {@link #wrap}. */
    public int length() {
        return position - start;
    }

    public int position() {
        return position;
    }

    public MutableDirectBuffer buffer() {
        return buffer;
    }

    public WireWriter u8(final int v) {
        if (v < 0 || v > 0xFF) {
            throw new IllegalArgumentException("u8 out of range: " + v);
        }
        buffer.putByte(position++, (byte)v);
        return this;
    }

    public WireWriter u16(final int v) {
        if (v < 0 || v > 0xFFFF) {
            throw new IllegalArgumentException("u16 out of range: " + v);
        }
        buffer.putShort(position, (short)v, LITTLE_ENDIAN);
        position += 2;
        return this;
    }

    public WireWriter u32(final long v) {
        if (v < 0 || v > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("u32 out of range: " + v);
        }
        buffer.putInt(position, (int)v, LITTLE_ENDIAN);
        position += 4;
        return this;
    }

    public WireWriter u64(final long v) {
        buffer.putLong(position, v, LITTLE_ENDIAN);
        position += 8;
        return this;
    }

    /** Reserves {@code n} bytes for a field written by someone else; returns where they start. */
    public int reserve(final int n) {
        final int at = position;
        position += n;
        return at;
    }

    public WireWriter address(final String address) {
        final byte[] bytes = Ascii.bytes(address, TreeWire.ADDRESS_LENGTH_MAX, "address");
        u8(bytes.length);
        buffer.putBytes(position, bytes);
        position += bytes.length;
        return this;
    }

    /** Bytes {@link #address} writes for {@code address}. */
    public static int addressLength(final String address) {
        return 1 + address.length();
    }
}
