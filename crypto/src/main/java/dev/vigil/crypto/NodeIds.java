package dev.vigil.crypto;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A node id is the first 8 bytes of SHA-256(public key), held as a long whose big-endian bytes
 * are those 8 bytes, so {@link #toHex} prints them in digest order. A simulated (not secure) key
 * hashes with a domain prefix, so its id is unrelated to that of an Ed25519 key with the same bytes.
 */
public final class NodeIds {
    private static final HexFormat HEX = HexFormat.of();
    private static final byte[] SIMULATED_DOMAIN = "vigil-simulated-insecure-id-v1".getBytes(StandardCharsets.US_ASCII);

    private NodeIds() {
    }

    public static long fromPublicKey(final byte[] publicKey) {
        return first8(sha256(publicKey));
    }

    /** The id of a {@link SignatureScheme#SIMULATED_INSECURE} key: SHA-256 over a domain prefix and the key. */
    static long fromSimulatedPublicKey(final byte[] publicKey) {
        final byte[] material = new byte[SIMULATED_DOMAIN.length + publicKey.length];
        System.arraycopy(SIMULATED_DOMAIN, 0, material, 0, SIMULATED_DOMAIN.length);
        System.arraycopy(publicKey, 0, material, SIMULATED_DOMAIN.length, publicKey.length);
        return first8(sha256(material));
    }

    private static long first8(final byte[] digest) {
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
