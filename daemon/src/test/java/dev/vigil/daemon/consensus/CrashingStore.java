package dev.vigil.daemon.consensus;

import dev.vigil.storage.CorruptEntryException;
import dev.vigil.storage.KeyValueStore;
import dev.vigil.storage.MemoryStore;

import java.util.Arrays;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * A heap store that dies on a chosen write, as a process killed inside it would: the write does
 * nothing, or (torn) leaves a value that fails its checksum, the way a half-written Chronicle Map
 * entry does. It can also damage a stored value on demand.
 */
final class CrashingStore implements KeyValueStore {
    /** The process died here. */
    static final class Crash extends RuntimeException {
        Crash() {
            super("crashed inside a store write", null, false, false);
        }
    }

    private final MemoryStore heap = new MemoryStore("consensus-log", 1_000_000);
    private final Set<String> damaged = new HashSet<>();
    private long writesLeft = Long.MAX_VALUE;
    private boolean tear;

    /** The write after {@code writes} more dies; {@code tear}: a put leaves a damaged entry. */
    void crashAfter(final long writes, final boolean tear) {
        this.writesLeft = writes;
        this.tear = tear;
    }

    void noCrash() {
        writesLeft = Long.MAX_VALUE;
    }

    /** The value under {@code key} now fails its checksum. */
    void damage(final byte[] key) {
        damaged.add(HexFormat.of().formatHex(key));
    }

    private void write(final byte[] key, final Runnable w, final boolean put) {
        if (writesLeft-- == 0) {
            if (tear && put) {
                w.run();
                damage(key);
            }
            throw new Crash();
        }
        w.run();
    }

    @Override
    public String name() {
        return heap.name();
    }

    @Override
    public byte[] get(final byte[] key) {
        if (damaged.contains(HexFormat.of().formatHex(key)) && heap.get(key) != null) {
            throw new CorruptEntryException("damaged " + HexFormat.of().formatHex(key));
        }
        return heap.get(key);
    }

    @Override
    public void put(final byte[] key, final byte[] value) {
        write(key, () -> {
            damaged.remove(HexFormat.of().formatHex(key));
            heap.put(key, value);
        }, true);
    }

    @Override
    public boolean remove(final byte[] key) {
        final boolean[] was = new boolean[1];
        write(key, () -> {
            damaged.remove(HexFormat.of().formatHex(key));
            was[0] = heap.remove(key);
        }, false);
        return was[0];
    }

    @Override
    public long size() {
        return heap.size();
    }

    @Override
    public void forEach(final BiConsumer<byte[], byte[]> entry, final Consumer<byte[]> corrupt) {
        heap.forEach((k, v) -> {
            if (damaged.contains(HexFormat.of().formatHex(k))) {
                corrupt.accept(Arrays.copyOf(k, k.length));
            } else {
                entry.accept(k, v);
            }
        }, corrupt);
    }

    @Override
    public long bytesOnDisk() {
        return heap.bytesOnDisk();
    }

    @Override
    public void close() {
    }
}
