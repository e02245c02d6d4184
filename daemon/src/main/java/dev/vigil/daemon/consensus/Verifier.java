package dev.vigil.daemon.consensus;

/**
 * Checks a signature by a node id. The verifier knows the public keys of the committee members
 * and of the clients (observers) whose requests the committee orders, typically from the node
 * certificates the core already verified; an unknown id verifies nothing.
 */
@FunctionalInterface
public interface Verifier {
    boolean verify(long signerId, byte[] message, byte[] signature);
}
