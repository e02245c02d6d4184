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
        return (signerId, message, signature) -> {
            final PublicKey k = keys.apply(signerId);
            return k != null && signature.length == SIGNATURE_LENGTH && k.nodeId() == signerId
                && k.verify(signature, 0, message, 0, message.length);
        };
    }
}
