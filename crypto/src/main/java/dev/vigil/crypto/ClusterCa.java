package dev.vigil.crypto;

import java.time.Duration;
import java.time.Instant;

/**
 * The cluster certificate authority: an Ed25519 key whose signature makes a node a member. In
 * the simulator the CA may hold a simulated (not secure) key; it then certifies only such keys.
 */
public final class ClusterCa {
    private final PrivateKey key;

    public ClusterCa(final PrivateKey key) {
        this.key = key;
    }

    /**
     * Issues a certificate for {@code node}, valid from {@code notBefore} for {@code validity}.
     * Validity is kept in whole seconds.
     *
     * @throws IllegalArgumentException when {@code node} is of another signature scheme than the
     *     CA's key (an Ed25519 CA never certifies a simulated key, nor the reverse)
     */
    public Certificate issue(final PublicKey node, final Instant notBefore, final Duration validity) {
        if (validity.getSeconds() < 1) {
            throw new IllegalArgumentException("validity must be at least one second, got " + validity);
        }
        final long from = notBefore.getEpochSecond();
        return Certificate.issue(key, node, from, Math.addExact(from, validity.getSeconds()));
    }

    public PublicKey publicKey() {
        return key.publicKey();
    }
}
