package dev.vigil.storage;

/**
 * A put found no room: the store holds as many entries as its ceiling allows (the message names the
 * config key that raises it), or its file can grow no further. Nothing was written; the caller
 * refuses what it was about to acknowledge.
 */
public final class StoreFullException extends StoreException {
    public StoreFullException(final String message, final Throwable cause) {
        super(message, cause);
    }
}
