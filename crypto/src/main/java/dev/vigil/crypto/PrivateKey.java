package dev.vigil.crypto;

import org.bouncycastle.math.ec.rfc8032.Ed25519;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;

/**
 * An Ed25519 private key with its public key precomputed (signing with a known public key is
 * about twice as fast as deriving it each time). Signing is thread-safe: the key bytes are
 * never written after construction.
 *
 * <p>{@link #simulatedInsecure} makes a {@link SignatureScheme#SIMULATED_INSECURE} key instead,
 * for the simulator only; {@link KeyFiles} refuses to write one.
 */
public final class PrivateKey {
    public static final int LENGTH = Ed25519.SECRET_KEY_SIZE;
    public static final int SIGNATURE_LENGTH = Ed25519.SIGNATURE_SIZE;

    /** Domain separation for deriving a simulated public key from its secret. */
    private static final byte[] SIMULATED_KEY_DOMAIN = "vigil-simulated-insecure-key-v1".getBytes(StandardCharsets.US_ASCII);

    private final byte[] secret;
    private final byte[] publicBytes;
    private final PublicKey publicKey;
    /** The digest of a simulated key; {@code null} for Ed25519, which is all production ever has. */
    private final SimulatedSignature simulated;

    private PrivateKey(final byte[] secret, final byte[] publicBytes, final PublicKey publicKey) {
        this.secret = secret;
        this.publicBytes = publicBytes;
        this.publicKey = publicKey;
        this.simulated = publicKey.simulated();
    }

    private static PrivateKey ed25519(final byte[] secret) {
        final byte[] publicBytes = new byte[PublicKey.LENGTH];
        Ed25519.generatePublicKey(secret, 0, publicBytes, 0);
        return new PrivateKey(secret, publicBytes, PublicKey.of(publicBytes));
    }

    public static PrivateKey generate(final SecureRandom random) {
        final byte[] secret = new byte[LENGTH];
        Ed25519.generatePrivateKey(random, secret);
        return ed25519(secret);
    }

    public static PrivateKey of(final byte[] secret) {
        checkLength(secret, "an Ed25519");
        return ed25519(secret.clone());
    }

    /**
     * NOT SECURE: a {@link SignatureScheme#SIMULATED_INSECURE} key for the deterministic
     * simulator, whose signatures cost nanoseconds and which anyone who has its public key can
     * forge. It never verifies an Ed25519 signature nor produces one that Ed25519 accepts, an
     * Ed25519 CA never vouches for it, and key files refuse it. Its node id is hashed in a
     * separate domain, so it is unrelated to the id of an Ed25519 key with the same bytes.
     */
    public static PrivateKey simulatedInsecure(final byte[] secret) {
        checkLength(secret, "a simulated");
        final byte[] material = new byte[SIMULATED_KEY_DOMAIN.length + LENGTH];
        System.arraycopy(SIMULATED_KEY_DOMAIN, 0, material, 0, SIMULATED_KEY_DOMAIN.length);
        System.arraycopy(secret, 0, material, SIMULATED_KEY_DOMAIN.length, LENGTH);
        final byte[] publicBytes = NodeIds.sha256(material);
        return new PrivateKey(secret.clone(), publicBytes, PublicKey.trySimulatedInsecure(publicBytes, 0));
    }

    private static void checkLength(final byte[] secret, final String kind) {
        if (secret.length != LENGTH) {
            throw new IllegalArgumentException(kind + " private key is " + LENGTH + " bytes, got " + secret.length);
        }
    }

    /** Writes the 64-byte signature of {@code message[offset, offset + length)} at {@code signature[signatureOffset]}. */
    public void sign(
        final byte[] message, final int offset, final int length, final byte[] signature, final int signatureOffset) {
        if (simulated != null) {
            simulated.sign(message, offset, length, signature, signatureOffset);
            return;
        }
        Ed25519.sign(secret, 0, publicBytes, 0, message, offset, length, signature, signatureOffset);
    }

    public byte[] sign(final byte[] message) {
        final byte[] signature = new byte[SIGNATURE_LENGTH];
        sign(message, 0, message.length, signature, 0);
        return signature;
    }

    public PublicKey publicKey() {
        return publicKey;
    }

    public SignatureScheme scheme() {
        return publicKey.scheme();
    }

    /** The id of the node that owns this key. */
    public long nodeId() {
        return publicKey.nodeId();
    }

    /** The Ed25519 secret, for {@link KeyFiles}; a simulated key has none worth keeping. */
    byte[] secret() {
        if (simulated != null) {
            throw new IllegalStateException("a simulated (not secure) key has no secret to export");
        }
        return secret.clone();
    }

    @Override
    public String toString() {
        return simulated == null
            ? "PrivateKey[" + NodeIds.toHex(nodeId()) + "]"
            : "PrivateKey[" + NodeIds.toHex(nodeId()) + ", simulated, NOT SECURE]";
    }
}
