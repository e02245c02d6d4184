package dev.vigil.daemon.ingest.otlp;

/**
 * Distinct values seen in one window, held as 64-bit hashes in a small array that grows on
 * demand up to {@code sizeMax}. At the cap a new value is not stored and is counted in
 * {@link #capped()}; the distinct count then reads as the cap. Linear search: the cap is tens.
 */
final class DistinctSet {
    private static final long[] EMPTY = new long[0];
    private final int sizeMax;
    private long[] hashes = EMPTY;
    private int size;
    private int capped;

    DistinctSet(final int sizeMax) {
        assert sizeMax >= 1;
        this.sizeMax = sizeMax;
    }

    void add(final long hash) {
        for (int i = 0; i < size; i++) {
            if (hashes[i] == hash) {
                return;
            }
        }
        if (size == sizeMax) {
            capped++;
            return;
        }
        if (size == hashes.length) {
            final long[] grown = new long[Math.min(sizeMax, Math.max(4, size * 2))];
            System.arraycopy(hashes, 0, grown, 0, size);
            hashes = grown;
        }
        hashes[size++] = hash;
    }

    int size() {
        return size;
    }

    /** Values refused because the set was full (repeats of a refused value count again). */
    int capped() {
        return capped;
    }

    /** FNV-1a over the UTF-16 units, then MurmurHash3's finaliser to spread the bits. */
    static long hash(final String s) {
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < s.length(); i++) {
            h ^= s.charAt(i);
            h *= 0x100000001b3L;
        }
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h;
    }
}
