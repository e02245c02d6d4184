package dev.vigil.daemon.consensus;

import dev.vigil.crypto.PrivateKey;
import dev.vigil.crypto.PublicKey;

import java.util.function.LongFunction;

/** {@link Signer} and {@link Verifier} over the crypto module's keys (Ed25519, or simulated in simnet). */
public final class KeySigner implements Signer {
    private final PrivateKey key;

    public KeySigner(final PrivateKey key) {
        this.key = key;
    }

    @Override
    public long id() {
        return key.nodeId();
    }

    @Override
    public byte[] sign(final byte[] message) {
        return key.sign(message);
    }

    /** A verifier that looks keys up by node id ({@code null}: unknown, nothing verifies). */
    public static Verifier verifier(final LongFunction<PublicKey> keys) {
        return new Verifier() {
            @Override
            public boolean verify(final long signerId, final byte[] message, final byte[] signature) {
                final PublicKey k = keys.apply(signerId);
                return k != null && signature.length == SIGNATURE_LENGTH && k.nodeId() == signerId
                    && k.verify(signature, 0, message, 0, message.length);
            }

            @Override
            public boolean knows(final long signerId) {
                return keys.apply(signerId) != null;
            }
        };
    }
}
