package dev.vigil.storage;

/**
 * How one store is sized. Chronicle Map lays out its segments from these numbers when the file is
 * created; {@code growthMax} is how many times the sized capacity it may still grow to before a
 * put is refused as full.
 *
 * @param name           file name stem and the name in every message
 * @param entries        entries it is sized for
 * @param keyBytes       every key's length (keys are fixed-size), or 0 for variable keys
 * @param keyBytesAvg    average key length (used when keyBytes is 0)
 * @param valueBytesAvg  average value length, checksum excluded
 * @param growthMax      how far beyond {@code entries} it may grow (1.0 = not at all)
 */
public record StoreSpec(String name, long entries, int keyBytes, int keyBytesAvg, int valueBytesAvg, double growthMax) {
    public StoreSpec {
        if (name == null || !name.matches("[a-z0-9-]{1,32}")) {
            throw new IllegalArgumentException("store name must be 1..32 of [a-z0-9-]: " + name);
        }
        if (entries < 1 || keyBytes < 0 || (keyBytes == 0 && keyBytesAvg < 1) || valueBytesAvg < 1 || growthMax < 1) {
            throw new IllegalArgumentException("store " + name + ": entries, key and value sizes must be positive, growth >= 1");
        }
    }

    public static StoreSpec fixedKey(final String name, final long entries, final int keyBytes, final int valueBytesAvg) {
        return new StoreSpec(name, entries, keyBytes, keyBytes, valueBytesAvg, 4.0);
    }

    public static StoreSpec variableKey(final String name, final long entries, final int keyBytesAvg, final int valueBytesAvg) {
        return new StoreSpec(name, entries, 0, keyBytesAvg, valueBytesAvg, 4.0);
    }

    /** Identity for the manifest: a store reopened with another layout is a different store. */
    String layout() {
        return name + ":" + entries + ":" + keyBytes + ":" + keyBytesAvg + ":" + valueBytesAvg + ":" + growthMax;
    }
}
