package dev.vigil.daemon.consensus;

import java.util.Arrays;

/**
 * Writes the canonical encoding of consensus messages: little-endian fixed-width integers,
 * 32-byte digests, 64-byte signatures and u32-length-prefixed blobs, nothing optional. The same
 * value always encodes to the same bytes, which is what signatures, digests and size accounting rely on.
 */
final class CanonicalWriter {
    private byte[] bytes;
    private int length;

    CanonicalWriter(final int capacity) {
        this.bytes = new byte[Math.max(16, capacity)];
    }

    private void room(final int more) {
        if (length + more > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(length + more, 2 * bytes.length));
        }
    }

    CanonicalWriter u8(final int v) {
        if (v < 0 || v > 0xFF) {
            throw new IllegalArgumentException("u8 out of range: " + v);
        }
        room(1);
        bytes[length++] = (byte)v;
        return this;
    }

    CanonicalWriter u16(final int v) {
        if (v < 0 || v > 0xFFFF) {
            throw new IllegalArgumentException("u16 out of range: " + v);
        }
        room(2);
        bytes[length++] = (byte)v;
        bytes[length++] = (byte)(v >>> 8);
        return this;
    }

    CanonicalWriter u32(final int v) {
        if (v < 0) {
            throw new IllegalArgumentException("u32 is written from a non-negative int: " + v);
        }
        room(4);
        for (int i = 0; i < 4; i++) {
            bytes[length++] = (byte)(v >>> (8 * i));
        }
        return this;
    }

    CanonicalWriter u64(final long v) {
        room(8);
        for (int i = 0; i < 8; i++) {
            bytes[length++] = (byte)(v >>> (8 * i));
        }
        return this;
    }

    /** Exactly {@code expected} bytes, no length prefix (digests, signatures). */
    CanonicalWriter fixed(final byte[] raw, final int expected) {
        if (raw.length != expected) {
            throw new IllegalArgumentException("expected " + expected + " bytes, got " + raw.length);
        }
        return raw(raw);
    }

    CanonicalWriter raw(final byte[] raw) {
        room(raw.length);
        System.arraycopy(raw, 0, bytes, length, raw.length);
        length += raw.length;
        return this;
    }

    /** A u32 length, then the bytes. */
    CanonicalWriter blob(final byte[] raw) {
        return u32(raw.length).raw(raw);
    }

    int length() {
        return length;
    }

    byte[] toBytes() {
        return Arrays.copyOf(bytes, length);
    }
}
