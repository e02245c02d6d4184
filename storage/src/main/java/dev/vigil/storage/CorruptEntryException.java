package dev.vigil.storage;

/**
 * A stored value failed its checksum (a torn write or a damaged file). The entry is not returned;
 * the caller counts it and carries on without it.
 */
public final class CorruptEntryException extends StoreException {
    public CorruptEntryException(final String message) {
        super(message);
    }
}
