package dev.vigil.storage;

/**
 * A store cannot do what was asked, for a reason an operator can act on; the message says which
 * store, what is wrong and what to do.
 */
public class StoreException extends RuntimeException {
    public StoreException(final String message) {
        super(message);
    }

    public StoreException(final String message, final Throwable cause) {
        super(message, cause);
    }
}
