package dev.vigil.storage;

import java.util.function.BiConsumer;

/**
 * A map of byte keys to byte values. A put that returns has handed the bytes to the store (for a
 * file store, to the operating system's page cache: they survive the process being killed).
 * Single-writer per store is not required, but every caller in Vigil uses one thread.
 */
public interface KeyValueStore extends AutoCloseable {
    String name();

    /**
     * @return a copy of the value, or null when absent
     * @throws CorruptEntryException when the stored bytes fail their checksum
     */
    byte[] get(byte[] key);

    /** @throws StoreFullException when there is no room; nothing was written */
    void put(byte[] key, byte[] value);

    /** @return whether there was an entry */
    boolean remove(byte[] key);

    long size();

    /**
     * Every entry, in no particular order; entries that fail their checksum are passed to
     * {@code corrupt} instead. For start-up scans and tools, not for hot paths.
     */
    void forEach(BiConsumer<byte[], byte[]> entry, java.util.function.Consumer<byte[]> corrupt);

    /** Bytes the store occupies on disk (allocated blocks of a file, or the payload held in memory). */
    long bytesOnDisk();

    /** Bytes of the keys and values held, checksums and the store's own overhead excluded. O(entries). */
    default long payloadBytes() {
        final long[] sum = new long[1];
        forEach((k, v) -> sum[0] += k.length + v.length, k -> { });
        return sum[0];
    }

    @Override
    void close();
}
