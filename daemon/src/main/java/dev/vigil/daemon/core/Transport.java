package dev.vigil.daemon.core;

/**
 * Sends one complete signed frame to the node listening at {@code address}. Best effort: the
 * transport may drop (and count) frames it cannot deliver; the core's timeouts cover that.
 * The bytes are only valid during the call, so an implementation copies what it keeps.
 */
@FunctionalInterface
public interface Transport {
    void send(String address, byte[] frame, int offset, int length);
}
