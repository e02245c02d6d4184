package dev.vigil.storage;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;

/**
 * A node's stores in one directory: one Chronicle Map file per {@link StoreSpec}, a manifest and
 * a clean-stop marker.
 *
 * <p>The manifest ({@value #MANIFEST}) records the format version, what the caller says the
 * stores must agree with (for the daemon: the feature schema's hash), and every store's layout,
 * with a CRC. Opening a directory whose manifest differs, or is damaged, fails with a message
 * that names the file and what to do; nothing is written to it first.
 *
 * <p>The marker ({@value #CLEAN}) is written by {@link #close()} and removed at open. A directory
 * opened without it was last held by a process that died: its files go through Chronicle Map's
 * recovery (held segment locks released, half-written entries dropped), which takes longer.
 */
public final class StoreDirectory implements AutoCloseable {
    /**
     * 2: files laid out small and grown as entries arrive, the ceiling checked by the store (format 1
     * laid every file out for its whole sized capacity, 3 GB for 1,000 agents, and is not read).
     */
    public static final int FORMAT_VERSION = 2;
    static final String MANIFEST = "stores.manifest";
    static final String CLEAN = "stores.clean";
    private static final Logger LOG = LoggerFactory.getLogger(StoreDirectory.class);

    private final Path dir;
    private final Map<String, ChronicleStore> stores = new LinkedHashMap<>();
    private final boolean recovered;
    private long openMillis;
    private boolean closed;

    private StoreDirectory(final Path dir, final boolean recovered) {
        this.dir = dir;
        this.recovered = recovered;
    }

    /**
     * Opens or creates the stores.
     *
     * @param compatibility what the stores' contents depend on (e.g. "features=10 schema=1a2b…");
     *                      a directory written under another value is refused
     * @throws StoreException when the directory is from another format or layout, is damaged, or
     *                        cannot be read; the message says what to do
     */
    public static StoreDirectory open(final Path dir, final String compatibility, final List<StoreSpec> specs) {
        final long t0 = System.nanoTime();
        try {
            Files.createDirectories(dir);
            final Path manifestFile = dir.resolve(MANIFEST);
            final String manifest = manifest(compatibility, specs);
            final boolean exists = Files.exists(manifestFile);
            if (exists) {
                checkManifest(manifestFile, manifest);
            } else {
                for (final StoreSpec s : specs) {
                    if (Files.exists(file(dir, s))) {
                        throw new StoreException("store file " + file(dir, s) + " exists but " + manifestFile
                            + " does not: the directory was not written by this version of Vigil, or its manifest was lost. "
                            + "Move " + dir + " aside to start with empty stores.");
                    }
                }
            }
            final Path clean = dir.resolve(CLEAN);
            final boolean recover = exists && !Files.exists(clean);
            Files.deleteIfExists(clean);
            if (!exists) {
                writeAtomically(manifestFile, manifest);
            }
            final StoreDirectory d = new StoreDirectory(dir, recover);
            try {
                for (final StoreSpec s : specs) {
                    d.stores.put(s.name(), openOne(s, file(dir, s), recover));
                }
            } catch (final RuntimeException | IOException e) {
                d.closeStores();
                throw e;
            }
            d.openMillis = (System.nanoTime() - t0) / 1_000_000;
            if (recover) {
                LOG.warn("stores in {} were not closed cleanly (the process was killed); recovered in {} ms", dir, d.openMillis);
            }
            return d;
        } catch (final IOException e) {
            throw new StoreException("cannot open the stores in " + dir + ": " + e, e);
        }
    }

    private static ChronicleStore openOne(final StoreSpec s, final Path file, final boolean recover) throws IOException {
        final boolean existed = Files.exists(file);
        try {
            return ChronicleStore.open(s, file, recover);
        } catch (final RuntimeException | IOException e) {
            if (!existed) {
                Files.deleteIfExists(file);
                throw new StoreException("store file " + file + " cannot be created for " + s.entriesInitial() + " entries of about "
                    + s.valueBytesAvg() + " bytes (" + e.getMessage() + "). Free disk space.", e);
            }
            throw new StoreException("store file " + file + " cannot be opened (" + e.getMessage() + "): it is damaged or "
                + "was written by another layout. Move it aside (the node then starts that store empty and refills what "
                + "its peers and agents send), or restore it from a backup.", e);
        }
    }

    private static Path file(final Path dir, final StoreSpec s) {
        return dir.resolve(s.name() + ".cm3");
    }

    private static String manifest(final String compatibility, final List<StoreSpec> specs) {
        final StringBuilder b = new StringBuilder();
        b.append("format=").append(FORMAT_VERSION).append('\n');
        b.append("compatibility=").append(compatibility.replace('\n', ' ')).append('\n');
        for (final StoreSpec s : specs) {
            b.append("store=").append(s.layout()).append('\n');
        }
        final CRC32C crc = new CRC32C();
        crc.update(b.toString().getBytes(StandardCharsets.UTF_8));
        b.append("crc=").append(Long.toHexString(crc.getValue())).append('\n');
        return b.toString();
    }

    private static void checkManifest(final Path file, final String expected) throws IOException {
        final String found = Files.readString(file, StandardCharsets.UTF_8);
        if (found.equals(expected)) {
            return;
        }
        final Map<String, List<String>> f = fields(found);
        final Map<String, List<String>> e = fields(expected);
        final String body = found.contains("crc=") ? found.substring(0, found.lastIndexOf("crc=")) : found;
        final CRC32C crc = new CRC32C();
        crc.update(body.getBytes(StandardCharsets.UTF_8));
        if (!List.of(Long.toHexString(crc.getValue())).equals(f.get("crc"))) {
            throw new StoreException(file + " is damaged (its checksum does not match). Move the directory "
                + file.getParent() + " aside to start with empty stores, or restore it from a backup.");
        }
        if (!e.get("format").equals(f.get("format"))) {
            throw new StoreException("the stores in " + file.getParent() + " are format " + f.get("format")
                + "; this daemon reads format " + FORMAT_VERSION + ". Move the directory aside (the node then starts with empty "
                + "stores and refills what its peers and agents send), or run the Vigil version that wrote it.");
        }
        if (!e.get("compatibility").equals(f.get("compatibility"))) {
            throw new StoreException("the stores in " + file.getParent() + " were written for " + f.get("compatibility")
                + ", but this node is configured for " + e.get("compatibility") + " (the feature schema changed?). "
                + "Move the directory aside to start empty, or restore the old configuration.");
        }
        throw new StoreException("the stores in " + file.getParent() + " are " + f.get("store") + " (name:key bytes), but this daemon "
            + "uses " + e.get("store") + ". Move the directory aside to start empty, or run the Vigil version that wrote it.");
    }

    private static Map<String, List<String>> fields(final String text) {
        final Map<String, List<String>> out = new LinkedHashMap<>();
        for (final String line : text.split("\n")) {
            final int eq = line.indexOf('=');
            if (eq > 0) {
                out.computeIfAbsent(line.substring(0, eq), k -> new ArrayList<>()).add(line.substring(eq + 1));
            }
        }
        return out;
    }

    private static void writeAtomically(final Path file, final String text) throws IOException {
        final Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, text, StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    public KeyValueStore store(final String name) {
        final ChronicleStore s = stores.get(name);
        if (s == null) {
            throw new IllegalArgumentException("no store named " + name + " in " + dir);
        }
        return s;
    }

    public Path dir() {
        return dir;
    }

    /** Whether the last process to hold these stores died without closing them. */
    public boolean recovered() {
        return recovered;
    }

    public long openMillis() {
        return openMillis;
    }

    /** Allocated bytes per store file, in spec order. */
    public Map<String, Long> bytesOnDisk() {
        final Map<String, Long> out = new LinkedHashMap<>();
        stores.forEach((n, s) -> out.put(n, s.bytesOnDisk()));
        return out;
    }

    /** Closes every store and writes the clean-stop marker. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        closeStores();
        try {
            Files.writeString(dir.resolve(CLEAN), "closed cleanly\n", StandardCharsets.US_ASCII);
        } catch (final IOException e) {
            LOG.warn("could not write {} (the next start will run recovery): {}", dir.resolve(CLEAN), e.toString());
        }
    }

    /** Unmaps the files without the clean-stop marker, as if the process had died (fault tests). */
    public synchronized void abandon() {
        if (closed) {
            return;
        }
        closed = true;
        closeStores();
    }

    private void closeStores() {
        for (final ChronicleStore s : stores.values()) {
            try {
                s.close();
            } catch (final RuntimeException e) {
                LOG.warn("closing store {} failed: {}", s.name(), e.toString());
            }
        }
    }
}
