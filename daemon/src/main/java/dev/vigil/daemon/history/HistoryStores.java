package dev.vigil.daemon.history;

import dev.vigil.storage.KeyValueStore;
import dev.vigil.storage.MemoryStore;
import dev.vigil.storage.StoreDirectory;
import dev.vigil.storage.StoreSpec;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The stores of one node, sized from its config: agent states, raw blocks, the three rollup
 * tiers, metadata (tree and membership snapshots), and two stores nothing writes: consensus-log and
 * certificates, laid out before consensus existed and kept so that existing store directories still
 * open (their manifest lists them). The consensus log itself is in {@code data_dir/consensus}
 * ({@code dev.vigil.daemon.consensus.StoredLogs}, opened by the daemon's {@code NodeStores}). Either
 * files in {@code data_dir/stores} or heap maps (simnet).
 */
public final class HistoryStores implements AutoCloseable {
    public static final String AGENTS = "agents";
    public static final String RAW = "raw";
    public static final String META = "meta";
    public static final String LOG = "consensus-log";
    public static final String CERTIFICATES = "certificates";
    public static final String REPLICAS = "replicas";

    private final StoreDirectory directory;
    private final Map<String, KeyValueStore> stores;

    private HistoryStores(final StoreDirectory directory, final Map<String, KeyValueStore> stores) {
        this.directory = directory;
        this.stores = stores;
    }

    /** The stores' ceilings are this many times what {@code storage.expected_agents} agents need. */
    public static final int CEILING_FACTOR = 4;
    private static final String AGENTS_KEY = "storage.expected_agents";

    /**
     * Sizes: each store's ceiling is {@value #CEILING_FACTOR} times what the expected agents fill
     * over each tier's retention; new files start small (about 1 MiB; the raw and minute stores,
     * which hold millions of entries at 1,000 agents, 16 MiB and the hour store 4 MiB, so that the
     * tier chains Chronicle Map searches stay short) and grow as agents arrive.
     */
    public static List<StoreSpec> specs(final HistoryConfig c, final int dimension) {
        final long agents = c.expectedAgents() * CEILING_FACTOR;
        final long minutesRaw = c.rawRetentionMicros() / Tier.MINUTE.bucketMicros();
        final long minutes = c.minuteRetentionMicros() / Tier.MINUTE.bucketMicros();
        final long hours = c.hourRetentionMicros() / Tier.HOUR.bucketMicros();
        final long days = c.dayRetentionMicros() == 0 ? 366 : c.dayRetentionMicros() / Tier.DAY.bucketMicros();
        return List.of(
            StoreSpec.fixedKey(AGENTS, agents, 8, StoredAgent.LENGTH, AGENTS_KEY),
            StoreSpec.fixedKey(RAW, agents * (minutesRaw + 1), 16,
                RawBlock.HEADER + c.expectedObservationsPerMinute() * RawBlock.entryLengthTypical(dimension), AGENTS_KEY)
                .withInitialBytes(16L << 20),
            // one entry per agent-hour holding its minutes (MinutePack), half full on average while it fills
            StoreSpec.fixedKey(Tier.MINUTE.label(), agents * (minutes / MinutePack.MINUTES + 2), 16,
                MinutePack.typicalLength(dimension, MinutePack.MINUTES / 2), AGENTS_KEY)
                .withInitialBytes(16L << 20),
            StoreSpec.fixedKey(Tier.HOUR.label(), agents * (hours + 1), 16, Rollup.encodedLength(dimension, 8), AGENTS_KEY)
                .withInitialBytes(4L << 20),
            StoreSpec.fixedKey(Tier.DAY.label(), agents * (days + 1), 16, Rollup.encodedLength(dimension, 8), AGENTS_KEY),
            StoreSpec.fixedKey(REPLICAS, agents * Math.max(1, c.replicas()), 8,
                16 + dev.vigil.daemon.detect.AgentRecord.LENGTH + dev.vigil.daemon.stats.Moments.encodedLength(dimension),
                AGENTS_KEY + " (and storage.replicas)"),
            StoreSpec.variableKey(META, 4_096, 24, 4_096, "no key: the meta store's ceiling is fixed"),
            StoreSpec.fixedKey(LOG, 400_000, 16, 512, "no key: nothing writes this store"),
            StoreSpec.variableKey(CERTIFICATES, 160_000, 66, 900, "no key: the certificates store's ceiling is fixed"));
    }

    /** Opens (or creates) the file stores; throws {@link dev.vigil.storage.StoreException} with what to do. */
    public static HistoryStores open(final Path dir, final String compatibility, final HistoryConfig c, final int dimension) {
        final List<StoreSpec> specs = specs(c, dimension);
        final StoreDirectory d = StoreDirectory.open(dir, compatibility, specs);
        final Map<String, KeyValueStore> m = new LinkedHashMap<>();
        for (final StoreSpec s : specs) {
            m.put(s.name(), d.store(s.name()));
        }
        return new HistoryStores(d, m);
    }

    /** Heap stores with the same ceilings. */
    public static HistoryStores inMemory(final HistoryConfig c, final int dimension) {
        return of(c, dimension, s -> new MemoryStore(s.name(), s.entriesMax()));
    }

    /** Stores made by {@code make} from each spec (simnet's, which a simulated crash can interrupt). */
    public static HistoryStores of(final HistoryConfig c, final int dimension,
                                   final java.util.function.Function<StoreSpec, KeyValueStore> make) {
        final Map<String, KeyValueStore> m = new LinkedHashMap<>();
        for (final StoreSpec s : specs(c, dimension)) {
            m.put(s.name(), make.apply(s));
        }
        return new HistoryStores(null, m);
    }

    public KeyValueStore store(final String name) {
        return stores.get(name);
    }

    /** A history over these stores. */
    public AgentHistory history(final HistoryConfig c, final int dimension) {
        return new AgentHistory(c, dimension, store(AGENTS), store(RAW), store(Tier.MINUTE.label()), store(Tier.HOUR.label()),
            store(Tier.DAY.label()), store(META));
    }

    /** Whether the files were left by a process that died (null for heap stores). */
    public boolean recovered() {
        return directory != null && directory.recovered();
    }

    public long openMillis() {
        return directory == null ? 0 : directory.openMillis();
    }

    /** Bytes on disk per store. */
    public Map<String, Long> bytesOnDisk() {
        if (directory != null) {
            return directory.bytesOnDisk();
        }
        final Map<String, Long> out = new LinkedHashMap<>();
        stores.forEach((n, s) -> out.put(n, s.bytesOnDisk()));
        return out;
    }

    /**
     * Lets go of the files as a killed process would (no clean-stop marker: the next start
     * recovers them). For fault tests that kill a daemon inside the test's JVM.
     */
    public void abandon() {
        if (directory != null) {
            directory.abandon();
        }
    }

    /** Closes the files cleanly (the next start needs no recovery). */
    @Override
    public void close() {
        if (directory != null) {
            directory.close();
        }
    }
}
