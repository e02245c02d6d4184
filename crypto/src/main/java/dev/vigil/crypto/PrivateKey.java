package dev.vigil.crypto;

import org.bouncycastle.math.ec.rfc8032.Ed25519;

import java.security.SecureRandom;

/**
 * An Ed25519 private key with its public key precomputed (signing with a known public key is
 * about twice as fast as deriving it each time). Signing is thread-safe: the key bytes are
 * never written after construction.
 */
public final class PrivateKey {
    public static final int LENGTH = Ed25519.SECRET_KEY_SIZE;
    public static final int SIGNATURE_LENGTH = Ed25519.SIGNATURE_SIZE;

    private final byte[] secret;
    private final byte[] publicBytes;
    private final PublicKey publicKey;

    private PrivateKey(final byte[] secret) {
        this.secret = secret;
        this.publicBytes = new byte[PublicKey.LENGTH];
        Ed25519.generatePublicKey(secret, 0, publicBytes, 0);
        this.publicKey = PublicKey.of(publicBytes);
    }

    public static PrivateKey generate(final SecureRandom random) {
        final byte[] secret = new byte[LENGTH];
        Ed25519.generatePrivateKey(random, secret);
        return new PrivateKey(secret);
    }

    public static PrivateKey of(final byte[] secret) {
        if (secret.length != LENGTH) {
            throw new IllegalArgumentException("an Ed25519 private key is " + LENGTH + " bytes, got " + secret.length);
        }
        return new PrivateKey(secret.clone());
    }

    /** Writes the 64-byte signature of {@code message[offset, offset + length)} at {@code signature[signatureOffset]}. */
    public void sign(
        final byte[] message, final int offset, final int length, final byte[] signature, final int signatureOffset) {
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

    /** The id of the node that owns this key. */
    public long nodeId() {
        return publicKey.nodeId();
    }

    byte[] secret() {
        return secret.clone();
    }

    @Override
    public String toString() {
        return "PrivateKey[" + NodeIds.toHex(nodeId()) + "]";
    }
}
