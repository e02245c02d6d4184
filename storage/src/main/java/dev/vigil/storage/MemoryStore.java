package dev.vigil.storage;

import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * A {@link KeyValueStore} on the heap, for the simulator and tests: a node "restarted" in simnet
 * gets back the same object, as a killed daemon gets back its files. Iterates in key order, so
 * runs stay deterministic. Bounded like a file store: a put beyond {@code entriesMax} is refused.
 */
public final class MemoryStore implements KeyValueStore {
    private final String name;
    private final long entriesMax;
    private final TreeMap<byte[], byte[]> map = new TreeMap<>(Arrays::compareUnsigned);
    private long payloadBytes;

    public MemoryStore(final String name, final long entriesMax) {
        this.name = name;
        this.entriesMax = entriesMax;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public byte[] get(final byte[] key) {
        final byte[] v = map.get(key);
        return v == null ? null : v.clone();
    }

    @Override
    public void put(final byte[] key, final byte[] value) {
        final byte[] old = map.get(key);
        if (old == null && map.size() >= entriesMax) {
            throw new StoreFullException("store " + name + " (memory) holds its maximum of " + entriesMax + " entries", null);
        }
        map.put(key.clone(), value.clone());
        payloadBytes += value.length - (old == null ? -key.length : old.length);
    }

    @Override
    public boolean remove(final byte[] key) {
        final byte[] old = map.remove(key);
        if (old != null) {
            payloadBytes -= key.length + old.length;
        }
        return old != null;
    }

    @Override
    public long size() {
        return map.size();
    }

    @Override
    public void forEach(final BiConsumer<byte[], byte[]> entry, final Consumer<byte[]> corrupt) {
        for (final Map.Entry<byte[], byte[]> e : map.entrySet()) {
            entry.accept(e.getKey().clone(), e.getValue().clone());
        }
    }

    @Override
    public long bytesOnDisk() {
        return payloadBytes;
    }

    @Override
    public long payloadBytes() {
        return payloadBytes;
    }

    @Override
    public void close() {
        // nothing held outside the heap; a restarted simulated node reuses this object
    }
}
