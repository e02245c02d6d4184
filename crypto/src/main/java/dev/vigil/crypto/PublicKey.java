package dev.vigil.crypto;

import org.bouncycastle.math.ec.rfc8032.Ed25519;

import java.util.Arrays;

/**
 * A validated Ed25519 public key with its decompressed point cached, so each verification skips
 * point decoding. Immutable and safe to share between threads.
 */
public final class PublicKey {
    public static final int LENGTH = Ed25519.PUBLIC_KEY_SIZE;

    private final byte[] encoded;
    private final Ed25519.PublicPoint point;
    private final long nodeId;

    private PublicKey(final byte[] encoded, final Ed25519.PublicPoint point) {
        this.encoded = encoded;
        this.point = point;
        this.nodeId = NodeIds.fromPublicKey(encoded);
    }

    /** @return the key, or {@code null} when the bytes are not a valid Ed25519 public key. */
    public static PublicKey tryOf(final byte[] bytes, final int offset) {
        if (offset < 0 || bytes.length - offset < LENGTH) {
            return null;
        }
        final Ed25519.PublicPoint point = Ed25519.validatePublicKeyFullExport(bytes, offset);
        return point == null ? null : new PublicKey(Arrays.copyOfRange(bytes, offset, offset + LENGTH), point);
    }

    /** @throws IllegalArgumentException when the bytes are not a valid Ed25519 public key. */
    public static PublicKey of(final byte[] bytes) {
        final PublicKey key = bytes.length == LENGTH ? tryOf(bytes, 0) : null;
        if (key == null) {
            throw new IllegalArgumentException("not a valid " + LENGTH + "-byte Ed25519 public key");
        }
        return key;
    }

    public boolean verify(
        final byte[] signature, final int signatureOffset, final byte[] message, final int offset, final int length) {
        return Ed25519.verify(signature, signatureOffset, point, message, offset, length);
    }

    public byte[] encoded() {
        return encoded.clone();
    }

    /** The id of the node that owns this key. */
    public long nodeId() {
        return nodeId;
    }

    @Override
    public boolean equals(final Object o) {
        return o instanceof PublicKey other && Arrays.equals(encoded, other.encoded);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(encoded);
    }

    @Override
    public String toString() {
        return "PublicKey[" + NodeIds.toHex(nodeId) + "]";
    }
}
