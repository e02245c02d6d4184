package dev.vigil.storage;

import java.util.zip.CRC32C;

/** Values are stored as payload followed by CRC32C(key, payload), little-endian. */
final class Checksums {
    static final int LENGTH = 4;

    private Checksums() {
    }

    static int crc(final byte[] key, final byte[] payload, final int payloadLength) {
        final CRC32C c = new CRC32C();
        c.update(key, 0, key.length);
        c.update(payload, 0, payloadLength);
        return (int)c.getValue();
    }

    static byte[] seal(final byte[] key, final byte[] payload) {
        final byte[] out = java.util.Arrays.copyOf(payload, payload.length + LENGTH);
        final int crc = crc(key, payload, payload.length);
        out[payload.length] = (byte)crc;
        out[payload.length + 1] = (byte)(crc >>> 8);
        out[payload.length + 2] = (byte)(crc >>> 16);
        out[payload.length + 3] = (byte)(crc >>> 24);
        return out;
    }

    /** @return the payload, or null when the checksum does not match */
    static byte[] open(final byte[] key, final byte[] sealed) {
        if (sealed.length < LENGTH) {
            return null;
        }
        final int n = sealed.length - LENGTH;
        final int stored = (sealed[n] & 0xFF) | (sealed[n + 1] & 0xFF) << 8 | (sealed[n + 2] & 0xFF) << 16 | (sealed[n + 3] & 0xFF) << 24;
        if (stored != crc(key, sealed, n)) {
            return null;
        }
        return java.util.Arrays.copyOf(sealed, n);
    }
}
