package dev.vigil.crypto;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A node id is the first 8 bytes of SHA-256(public key), held as a long whose big-endian bytes
 * are those 8 bytes, so {@link #toHex} prints them in digest order.
 */
public final class NodeIds {
    private static final HexFormat HEX = HexFormat.of();

    private NodeIds() {
    }

    public static long fromPublicKey(final byte[] publicKey) {
        final byte[] digest = sha256(publicKey);
        long id = 0;
        for (int i = 0; i < 8; i++) {
            id = (id << 8) | (digest[i] & 0xFF);
        }
        return id;
    }

    public static String toHex(final long nodeId) {
        return HEX.toHexDigits(nodeId);
    }

    /** @throws IllegalArgumentException if {@code hex} is not 16 hex digits. */
    public static long parseHex(final String hex) {
        if (hex.length() != 16) {
            throw new IllegalArgumentException("node id must be 16 hex digits, got '" + hex + "'");
        }
        return HexFormat.fromHexDigitsToLong(hex);
    }

    static byte[] sha256(final byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (final NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform must provide SHA-256", e);
        }
    }
}
