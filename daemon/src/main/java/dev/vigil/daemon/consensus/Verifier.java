package dev.vigil.daemon.consensus;

/**
 * Checks a signature by a node id. The verifier knows the public keys of the committee members
 * and of the clients (observers) whose requests the committee orders, typically from the node
 * certificates the core already verified; an unknown id verifies nothing.
 */
@FunctionalInterface
public interface Verifier {
    boolean verify(long signerId, byte[] message, byte[] signature);

    /**
     * Whether this verifier holds a key for {@code signerId} at all. A replica holds a pre-prepare
     * whose requests name a client it cannot check yet (its key comes with the client's own copy
     * of the request, which may arrive after the primary's proposal) rather than refuse it.
     */
    default boolean knows(final long signerId) {
        return true;
    }
}
