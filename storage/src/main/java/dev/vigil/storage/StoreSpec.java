package dev.vigil.storage;

/**
 * How one store is sized. A new file is laid out for {@code entriesInitial} entries only, so an
 * empty node's files are small; Chronicle Map then adds segment tiers as entries arrive (the file
 * grows with what it holds). {@code entriesMax} is the ceiling: a put of a new key into a store
 * that holds that many is refused with a {@link StoreFullException} naming the store, what it
 * holds, the ceiling and {@code ceilingKey}, the config key that raises it.
 *
 * <p>Why a ceiling at all: a file that grows with what peers and agents send must stop somewhere
 * that an operator chose, with a message, before the disk fills.
 *
 * <p>Why the initial size still matters: Chronicle Map chains the tiers a segment grows by and
 * searches the chain in order, so a lookup costs about 40 ns per tier beyond the first (measured:
 * 0.65 µs a hit at 1 tier, 2.3–2.9 µs at 62, 5–8 µs at 250). A store expected to hold millions
 * of entries is laid out larger (see {@link #withInitialBytes}); Chronicle Map also refuses to
 * grow beyond {@value #GROWTH_MAX} times its initial layout (its own limit on maxBloatFactor).
 *
 * @param name            file name stem and the name in every message
 * @param entriesMax      the ceiling: entries it holds at most
 * @param entriesInitial  entries a new file is laid out for (at least entriesMax / {@value #GROWTH_MAX})
 * @param keyBytes        every key's length (keys are fixed-size), or 0 for variable keys
 * @param keyBytesAvg     average key length (used when keyBytes is 0)
 * @param valueBytesAvg   average value length, checksum excluded
 * @param ceilingKey      the config key an operator raises when the store is full (for the message)
 */
public record StoreSpec(String name, long entriesMax, long entriesInitial, int keyBytes, int keyBytesAvg, int valueBytesAvg,
                        String ceilingKey) {
    /** Chronicle Map's own bound on maxBloatFactor: a file grows to at most this many times its initial layout. */
    public static final int GROWTH_MAX = 1_000;
    /** What a new file is laid out for by default: about this many bytes of entries. */
    public static final long INITIAL_BYTES_DEFAULT = 1L << 20;
    /** Fewest entries a file is laid out for (Chronicle Map's segments need some room each). */
    static final long ENTRIES_INITIAL_MIN = 256;

    public StoreSpec {
        if (name == null || !name.matches("[a-z0-9-]{1,32}")) {
            throw new IllegalArgumentException("store name must be 1..32 of [a-z0-9-]: " + name);
        }
        if (entriesMax < 1 || entriesInitial < 1 || entriesInitial > entriesMax || keyBytes < 0 || (keyBytes == 0 && keyBytesAvg < 1)
            || valueBytesAvg < 1) {
            throw new IllegalArgumentException("store " + name + ": entries, key and value sizes must be positive, initial <= max");
        }
        if (entriesMax > entriesInitial * GROWTH_MAX) {
            throw new IllegalArgumentException("store " + name + ": a file laid out for " + entriesInitial + " entries grows to at most "
                + GROWTH_MAX + " times that, not to " + entriesMax);
        }
        if (ceilingKey == null || ceilingKey.isBlank()) {
            throw new IllegalArgumentException("store " + name + ": the config key that raises its ceiling must be named");
        }
    }

    /** A store of fixed-size keys, laid out for about {@link #INITIAL_BYTES_DEFAULT} bytes at first. */
    public static StoreSpec fixedKey(final String name, final long entriesMax, final int keyBytes, final int valueBytesAvg,
                                     final String ceilingKey) {
        return new StoreSpec(name, entriesMax, initialFor(entriesMax, keyBytes, valueBytesAvg, INITIAL_BYTES_DEFAULT), keyBytes, keyBytes,
            valueBytesAvg, ceilingKey);
    }

    /** A store of variable-size keys, laid out for about {@link #INITIAL_BYTES_DEFAULT} bytes at first. */
    public static StoreSpec variableKey(final String name, final long entriesMax, final int keyBytesAvg, final int valueBytesAvg,
                                        final String ceilingKey) {
        return new StoreSpec(name, entriesMax, initialFor(entriesMax, keyBytesAvg, valueBytesAvg, INITIAL_BYTES_DEFAULT), 0, keyBytesAvg,
            valueBytesAvg, ceilingKey);
    }

    /** The same store, its new file laid out for about {@code bytes} of entries (fewer tiers to search once it is big). */
    public StoreSpec withInitialBytes(final long bytes) {
        return new StoreSpec(name, entriesMax, initialFor(entriesMax, keyBytesAvg, valueBytesAvg, bytes), keyBytes, keyBytesAvg,
            valueBytesAvg, ceilingKey);
    }

    private static long initialFor(final long entriesMax, final int keyBytes, final int valueBytes, final long bytes) {
        final long byBytes = Math.max(ENTRIES_INITIAL_MIN, bytes / (keyBytes + valueBytes + Checksums.LENGTH));
        final long byGrowth = (entriesMax + GROWTH_MAX - 1) / GROWTH_MAX;
        return Math.min(entriesMax, Math.max(byBytes, byGrowth));
    }

    /**
     * Identity for the manifest: what an existing file's entries depend on (their name and key
     * layout). Sizes are not part of it: a file keeps the layout it was made with and grows from
     * there, and the ceiling may be raised or lowered between starts.
     */
    String layout() {
        return name + ":" + keyBytes;
    }
}
