package dev.vigil.crypto;

import org.bouncycastle.math.ec.rfc8032.Ed25519;

import java.util.Arrays;

/**
 * A validated Ed25519 public key with its decompressed point cached, so each verification skips
 * point decoding. Immutable and safe to share between threads.
 *
 * <p>In the simulator only, a key may instead be {@link SignatureScheme#SIMULATED_INSECURE}
 * (see {@link #scheme()}); the public factories here make Ed25519 keys only, so nothing read
 * from outside the process becomes a simulated key except a certificate that says so, and
 * {@link Certificate#verify} never lets an Ed25519 CA vouch for one.
 */
public final class PublicKey {
    public static final int LENGTH = Ed25519.PUBLIC_KEY_SIZE;

    private final byte[] encoded;
    /** The decoded point of an Ed25519 key; {@code null} for a simulated one. */
    private final Ed25519.PublicPoint point;
    /** The digest of a simulated key; {@code null} for Ed25519, which is all production ever has. */
    private final SimulatedSignature simulated;
    private final long nodeId;

    private PublicKey(final byte[] encoded, final Ed25519.PublicPoint point, final SimulatedSignature simulated) {
        assert (point == null) != (simulated == null) : "a key has exactly one scheme";
        this.encoded = encoded;
        this.point = point;
        this.simulated = simulated;
        this.nodeId = simulated == null ? NodeIds.fromPublicKey(encoded) : NodeIds.fromSimulatedPublicKey(encoded);
    }

    /** @return the key, or {@code null} when the bytes are not a valid Ed25519 public key. */
    public static PublicKey tryOf(final byte[] bytes, final int offset) {
        if (offset < 0 || bytes.length - offset < LENGTH) {
            return null;
        }
        final Ed25519.PublicPoint point = Ed25519.validatePublicKeyFullExport(bytes, offset);
        return point == null ? null : new PublicKey(Arrays.copyOfRange(bytes, offset, offset + LENGTH), point, null);
    }

    /** @throws IllegalArgumentException when the bytes are not a valid Ed25519 public key. */
    public static PublicKey of(final byte[] bytes) {
        final PublicKey key = bytes.length == LENGTH ? tryOf(bytes, 0) : null;
        if (key == null) {
            throw new IllegalArgumentException("not a valid " + LENGTH + "-byte Ed25519 public key");
        }
        return key;
    }

    /**
     * A {@link SignatureScheme#SIMULATED_INSECURE} key: any 32 bytes are one. Package-private on
     * purpose: only {@link PrivateKey#simulatedInsecure} and a certificate marked simulated make one.
     *
     * @return the key, or {@code null} when fewer than 32 bytes are there.
     */
    static PublicKey trySimulatedInsecure(final byte[] bytes, final int offset) {
        if (offset < 0 || bytes.length - offset < LENGTH) {
            return null;
        }
        final byte[] encoded = Arrays.copyOfRange(bytes, offset, offset + LENGTH);
        return new PublicKey(encoded, null, new SimulatedSignature(encoded));
    }

    /**
     * A key of the same scheme as {@code trusted} (in practice the cluster CA's key) from 32 bytes
     * that travelled without a scheme, such as a committee directory's candidates: Ed25519 in a real
     * fleet; simulated only where the CA itself is a simulated key, i.e. inside simnet.
     *
     * @return the key, or {@code null} when the bytes are not one
     */
    public static PublicKey tryOfSchemeOf(final PublicKey trusted, final byte[] bytes, final int offset) {
        return trusted.simulated == null ? tryOf(bytes, offset) : trySimulatedInsecure(bytes, offset);
    }

    public boolean verify(
        final byte[] signature, final int signatureOffset, final byte[] message, final int offset, final int length) {
        if (simulated != null) {
            return simulated.verify(signature, signatureOffset, message, offset, length);
        }
        return Ed25519.verify(signature, signatureOffset, point, message, offset, length);
    }

    public SignatureScheme scheme() {
        return simulated == null ? SignatureScheme.ED25519 : SignatureScheme.SIMULATED_INSECURE;
    }

    /** The simulated digest for the matching {@link PrivateKey}; {@code null} for Ed25519. */
    SimulatedSignature simulated() {
        return simulated;
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
        return o instanceof PublicKey other && scheme() == other.scheme() && Arrays.equals(encoded, other.encoded);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(encoded);
    }

    @Override
    public String toString() {
        return simulated == null
            ? "PublicKey[" + NodeIds.toHex(nodeId) + "]"
            : "PublicKey[" + NodeIds.toHex(nodeId) + ", simulated, NOT SECURE]";
    }
}
