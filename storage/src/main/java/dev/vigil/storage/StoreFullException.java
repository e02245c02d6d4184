package dev.vigil.storage;

/**
 * A put found no room: the store holds as many entries as it was sized for (and the growth it is
 * allowed). Nothing was written; the caller refuses what it was about to acknowledge.
 */
public final class StoreFullException extends StoreException {
    public StoreFullException(final String message, final Throwable cause) {
        super(message, cause);
    }
}
