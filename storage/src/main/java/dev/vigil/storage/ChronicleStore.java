package dev.vigil.storage;

import net.openhft.chronicle.map.ChronicleMap;
import net.openhft.chronicle.map.ChronicleMapBuilder;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * A {@link KeyValueStore} in a Chronicle Map file. Values carry a CRC32C over key and payload,
 * checked on every read, so a torn or damaged entry is reported, never returned. Chronicle Map's
 * own entry checksums are off: ours cover the same bytes and are checked on every read, not
 * only during recovery.
 */
public final class ChronicleStore implements KeyValueStore {
    private final StoreSpec spec;
    private final Path file;
    private final ChronicleMap<byte[], byte[]> map;

    private ChronicleStore(final StoreSpec spec, final Path file, final ChronicleMap<byte[], byte[]> map) {
        this.spec = spec;
        this.file = file;
        this.map = map;
    }

    /**
     * Opens (creating when absent) the store's file. {@code recover} runs Chronicle Map's
     * recovery, which a file must go through after its process was killed while holding it: a
     * segment lock may still be held and an entry may be half-written.
     */
    static ChronicleStore open(final StoreSpec spec, final Path file, final boolean recover) throws IOException {
        final ChronicleMapBuilder<byte[], byte[]> b = ChronicleMapBuilder.of(byte[].class, byte[].class)
            .name("vigil-" + spec.name())
            .entries(spec.entriesInitial())
            .averageValueSize(spec.valueBytesAvg() + Checksums.LENGTH)
            // Tiers are added only as entries arrive, so allowing Chronicle Map's most costs nothing
            // until used, and lets the ceiling (checked here, not by Chronicle Map) be raised later.
            .maxBloatFactor(StoreSpec.GROWTH_MAX)
            .checksumEntries(false)
            // The owner closes the store at its clean stop (and writes the clean-stop marker after).
            // Chronicle's own exit hook would close it under the daemon's feet while a SIGTERM stop
            // still writes the last rollups.
            .skipCloseOnExitHook(true);
        if (spec.keyBytes() > 0) {
            b.constantKeySizeBySample(new byte[spec.keyBytes()]);
        } else {
            b.averageKeySize(spec.keyBytesAvg());
        }
        // An existing file keeps the layout it was made with (Chronicle Map reads it from the file's header).
        final ChronicleMap<byte[], byte[]> map = recover && file.toFile().exists()
            ? b.recoverPersistedTo(file.toFile(), true)
            : b.createPersistedTo(file.toFile());
        return new ChronicleStore(spec, file, map);
    }

    @Override
    public String name() {
        return spec.name();
    }

    public Path file() {
        return file;
    }

    @Override
    public byte[] get(final byte[] key) {
        final byte[] sealed = map.get(key);
        if (sealed == null) {
            return null;
        }
        final byte[] payload = Checksums.open(key, sealed);
        if (payload == null) {
            throw new CorruptEntryException("store " + spec.name() + " (" + file + "): the entry for key "
                + HexFormat.of().formatHex(key) + " fails its checksum (torn write or damaged file)");
        }
        return payload;
    }

    @Override
    public void put(final byte[] key, final byte[] value) {
        final byte[] sealed = Checksums.seal(key, value);
        // The ceiling is checked only when it could bite: an overwrite is always allowed.
        if (map.longSize() >= spec.entriesMax() && !map.containsKey(key)) {
            throw new StoreFullException(full(value.length, "it is at its ceiling"), null);
        }
        try {
            map.put(key, sealed);
        } catch (final IllegalStateException | IllegalArgumentException e) {
            // Chronicle Map says "full" as an IllegalStateException once it can grow no more
            // tiers, and refuses an entry larger than a segment with an IllegalArgumentException.
            throw new StoreFullException(full(value.length, "Chronicle Map cannot grow the file further: "
                + firstLine(e.getMessage())), e);
        }
    }

    private String full(final int valueBytes, final String why) {
        return "store " + spec.name() + " (" + file + ") has no room for a " + valueBytes + "-byte entry: it holds "
            + map.longSize() + " entries, its ceiling is " + spec.entriesMax() + " (" + why + "). Raise "
            + spec.ceilingKey() + " in the config (the file grows; nothing needs moving), or prune more";
    }

    private static String firstLine(final String message) {
        if (message == null) {
            return "no detail";
        }
        final int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }

    @Override
    public boolean remove(final byte[] key) {
        return map.remove(key) != null;
    }

    @Override
    public long size() {
        return map.longSize();
    }

    @Override
    public void forEach(final BiConsumer<byte[], byte[]> entry, final Consumer<byte[]> corrupt) {
        map.forEachEntry(e -> {
            final byte[] key = e.key().get();
            final byte[] payload = Checksums.open(key, e.value().get());
            if (payload == null) {
                corrupt.accept(key);
            } else {
                entry.accept(key, payload);
            }
        });
    }

    @Override
    public long bytesOnDisk() {
        return DiskUsage.allocatedBytes(file);
    }

    @Override
    public void close() {
        map.close();
    }
}
