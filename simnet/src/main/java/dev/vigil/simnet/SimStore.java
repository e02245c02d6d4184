package dev.vigil.simnet;

import dev.vigil.storage.CorruptEntryException;
import dev.vigil.storage.KeyValueStore;
import dev.vigil.storage.StoreFullException;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.zip.CRC32C;

/**
 * One store of a simulated node, standing for a Chronicle Map file of a daemon that may be killed
 * with kill -9 at any instant, including inside its own writes. The entries outlive the simulated
 * process: a restarted host reopens the same object, holding exactly what was durable.
 *
 * <p>A write's durability point is its return, as with Chronicle Map (a put that returns is in
 * the page cache, which outlives the process). Before every write the host's {@link CrashPoints}
 * may kill the process there ({@link ProcessKilled} unwinds to the scenario): before the write,
 * inside a put that stores nothing, or inside a put that stores part of the new bytes over the
 * old. Like {@code ChronicleStore}, values are sealed with a CRC32C over key and payload that
 * every read checks, so a torn entry raises {@link CorruptEntryException} (and is counted here),
 * never comes back as data. Iterates in key order, so runs stay deterministic; bounded like a
 * file store.
 */
public final class SimStore implements KeyValueStore {
    private static final int CRC_BYTES = 4;

    private final String name;
    private final long entriesMax;
    private final CrashPoints crashPoints;
    private final TreeMap<byte[], byte[]> sealed = new TreeMap<>(Arrays::compareUnsigned);
    private long payloadBytes;
    private long corruptReads;
    private long tornEntries;

    public SimStore(final String name, final long entriesMax, final CrashPoints crashPoints) {
        this.name = name;
        this.entriesMax = entriesMax;
        this.crashPoints = crashPoints;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public byte[] get(final byte[] key) {
        final byte[] v = sealed.get(key);
        if (v == null) {
            return null;
        }
        final byte[] payload = open(key, v);
        if (payload == null) {
            corruptReads++;
            throw new CorruptEntryException("store " + name + " (simulated): the entry for key " + HexFormat.of().formatHex(key)
                + " fails its checksum (torn write)");
        }
        return payload;
    }

    @Override
    public void put(final byte[] key, final byte[] value) {
        final CrashPoints.Kind crash = crashPoints.draw(true);
        final byte[] old = sealed.get(key);
        if (old == null && sealed.size() >= entriesMax && crash == null) {
            throw new StoreFullException("store " + name + " (simulated) holds its maximum of " + entriesMax + " entries", null);
        }
        if (crash == CrashPoints.Kind.BEFORE_WRITE || crash == CrashPoints.Kind.PUT_LOST) {
            throw new ProcessKilled(crash, name, key);
        }
        final byte[] next = seal(key, value);
        if (crash == CrashPoints.Kind.PUT_TORN) {
            store(key, torn(key, next, old));
            tornEntries++;
            throw new ProcessKilled(crash, name, key);
        }
        store(key, next);
    }

    /**
     * The first {@code k} bytes of the new value over the old one (zeros past its end): the entry
     * as a process killed in the middle of writing it in place leaves it. Never the whole new
     * value with its checksum, and damaged even when the bytes that landed happen to match.
     */
    private byte[] torn(final byte[] key, final byte[] next, final byte[] old) {
        final int k = crashPoints.tornPrefix(next.length - CRC_BYTES);
        final byte[] t = new byte[next.length];
        System.arraycopy(next, 0, t, 0, k);
        if (old != null && old.length > k) {
            System.arraycopy(old, k, t, k, Math.min(old.length, t.length) - k);
        }
        if (open(key, t) != null) {
            t[t.length - 1] ^= 1; // a checksum byte half-written
        }
        return t;
    }

    private void store(final byte[] key, final byte[] v) {
        final byte[] old = sealed.put(key.clone(), v);
        payloadBytes += v.length - CRC_BYTES - (old == null ? -key.length : old.length - CRC_BYTES);
    }

    @Override
    public boolean remove(final byte[] key) {
        if (crashPoints.draw(false) != null) {
            throw new ProcessKilled(CrashPoints.Kind.BEFORE_WRITE, name, key);
        }
        final byte[] old = sealed.remove(key);
        if (old != null) {
            payloadBytes -= key.length + old.length - CRC_BYTES;
        }
        return old != null;
    }

    @Override
    public long size() {
        return sealed.size();
    }

    @Override
    public void forEach(final BiConsumer<byte[], byte[]> entry, final Consumer<byte[]> corrupt) {
        for (final Map.Entry<byte[], byte[]> e : sealed.entrySet()) {
            final byte[] payload = open(e.getKey(), e.getValue());
            if (payload == null) {
                corruptReads++;
                corrupt.accept(e.getKey().clone());
            } else {
                entry.accept(e.getKey().clone(), payload);
            }
        }
    }

    /**
     * What a checker sees under {@code key}, read without counting: the payload, {@link #DAMAGED}
     * when the entry fails its checksum, or null when absent.
     */
    public byte[] peek(final byte[] key) {
        final byte[] v = sealed.get(key);
        if (v == null) {
            return null;
        }
        final byte[] payload = open(key, v);
        return payload == null ? DAMAGED : payload;
    }

    /** What {@link #peek} returns for a damaged entry (compare by identity). */
    public static final byte[] DAMAGED = new byte[0];

    /** Reads (get, forEach) that met a damaged entry: each raised or was reported as damaged. */
    public long corruptReads() {
        return corruptReads;
    }

    /** Entries a torn put left damaged. */
    public long tornEntries() {
        return tornEntries;
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
        // nothing held outside the heap; a restarted simulated node reopens this object
    }

    private static int crc(final byte[] key, final byte[] bytes, final int length) {
        final CRC32C c = new CRC32C();
        c.update(key, 0, key.length);
        c.update(bytes, 0, length);
        return (int)c.getValue();
    }

    private static byte[] seal(final byte[] key, final byte[] payload) {
        final byte[] out = Arrays.copyOf(payload, payload.length + CRC_BYTES);
        final int c = crc(key, payload, payload.length);
        for (int i = 0; i < CRC_BYTES; i++) {
            out[payload.length + i] = (byte)(c >>> 8 * i);
        }
        return out;
    }

    private static byte[] open(final byte[] key, final byte[] v) {
        if (v.length < CRC_BYTES) {
            return null;
        }
        final int n = v.length - CRC_BYTES;
        int stored = 0;
        for (int i = 0; i < CRC_BYTES; i++) {
            stored |= (v[n + i] & 0xFF) << 8 * i;
        }
        return stored == crc(key, v, n) ? Arrays.copyOf(v, n) : null;
    }
}
