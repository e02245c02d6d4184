package dev.vigil.daemon.detect;

/** An observation the node's stores could not take; it is refused, not acknowledged. */
public final class StoreRefusal extends RuntimeException {
    public StoreRefusal(final String message) {
        super(message);
    }
}
