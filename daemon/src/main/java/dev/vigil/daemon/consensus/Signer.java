package dev.vigil.daemon.consensus;

/**
 * Signs this replica's messages. Production wraps the node's Ed25519 key ({@link KeySigner});
 * simnet and tests may use the crypto module's simulated (not secure) scheme through the same
 * adapter. Every consensus message is signed by its sender (see the package notes for the cost).
 */
public interface Signer {
    /** Length of every signature, in bytes (Ed25519's). */
    int SIGNATURE_LENGTH = 64;

    /** The node id of the key that signs. */
    long id();

    /** A {@value #SIGNATURE_LENGTH}-byte signature of {@code message}. */
    byte[] sign(byte[] message);
}
