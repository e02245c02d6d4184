package dev.vigil.daemon.net;

import dev.vigil.daemon.config.ConfigException;
import dev.vigil.daemon.config.NodeConfig;
import dev.vigil.daemon.core.NodeCore;
import dev.vigil.daemon.detect.Detector;
import dev.vigil.daemon.history.AgentHistory;
import dev.vigil.daemon.history.HistoryJournal;
import dev.vigil.daemon.history.HistoryStores;
import dev.vigil.daemon.history.PeerSnapshot;
import dev.vigil.daemon.history.Replication;
import dev.vigil.daemon.history.StoredAgent;
import dev.vigil.storage.StoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;

/**
 * The daemon's stores and what lives in them: the agent history, the replicas other nodes sent,
 * and the peer snapshot a restart joins through. The one owner of the stores: only it closes them
 * (a clean stop) or abandons them (a kill, as a crash would). Used on the core's thread once the
 * node runs.
 */
final class NodeStores {
    private static final Logger LOG = LoggerFactory.getLogger(NodeStores.class);

    private final NodeConfig config;
    private final HistoryStores stores;
    private final AgentHistory history;
    private final Replication replication;
    private final List<String> snapshotPeers;

    private NodeStores(final NodeConfig config, final HistoryStores stores) {
        this.config = config;
        this.stores = stores;
        this.history = stores.history(config.history(), config.schema().size());
        this.replication = new Replication(stores.store(HistoryStores.REPLICAS), config.history().replicas(),
            config.history().replicationIntervalMicros(), config.schema().size());
        this.snapshotPeers = readPeerSnapshot(stores, config.core().advertiseAddress());
    }

    /**
     * Opens (or creates) the stores in {@code config.storesDir()}, which must be locked already.
     *
     * @throws ConfigException naming {@code data_dir} when they cannot be opened (the message says why)
     */
    static NodeStores open(final NodeConfig config) {
        final HistoryStores stores;
        try {
            stores = HistoryStores.open(config.storesDir(), "features=" + config.schema().size() + " schema="
                + Integer.toHexString(config.schema().hash()), config.history(), config.schema().size());
        } catch (final StoreException e) {
            throw new ConfigException(config.file(), "data_dir", e.getMessage());
        }
        try {
            return new NodeStores(config, stores);
        } catch (final RuntimeException e) {
            stores.close();
            throw e;
        }
    }

    private static List<String> readPeerSnapshot(final HistoryStores stores, final String self) {
        try {
            return PeerSnapshot.read(stores.store(HistoryStores.META), self);
        } catch (final StoreException e) {
            LOG.warn("the stored peer snapshot is unreadable ({}); joining through the configured bootstrap only", e.getMessage());
            return List.of();
        }
    }

    /**
     * Hands the detector the agents read back from the stores (their baselines are rebuilt later,
     * see {@link Detector#restore}) and makes the history its journal.
     */
    void restoreInto(final Detector detector) {
        final long t0 = System.nanoTime();
        final List<StoredAgent> stored = history.load();
        detector.restore(stored.stream().map(StoredAgent::record).toList());
        detector.setJournal(new HistoryJournal(history, replication));
        final AgentHistory.Counters c = history.counters();
        LOG.info("stores in {}: {} agents read back ({} pinned, {} damaged entries skipped, {} write made again from its write-ahead record){} in {} ms; "
            + "opened in {} ms", config.storesDir(), stored.size(), c.pinned(), c.corruptEntries(), c.writesRedone(),
            stores.recovered() ? " after recovery from an unclean stop" : "", (System.nanoTime() - t0) / 1_000_000, stores.openMillis());
    }

    /** The peers the node last knew (read at open), for a restarted node to join through. */
    List<String> snapshotPeers() {
        return snapshotPeers;
    }

    /** Stores the peers a restart should join through; a store that cannot take them is logged. */
    void writePeerSnapshot(final NodeCore core) {
        try {
            PeerSnapshot.write(stores.store(HistoryStores.META), core, config.core().advertiseAddress());
        } catch (final StoreException e) {
            LOG.warn("could not store the peer snapshot: {}", e.getMessage());
        }
    }

    AgentHistory history() {
        return history;
    }

    Replication replication() {
        return replication;
    }

    /** Verdict certificates ({@link dev.vigil.daemon.verdict.VerdictBook}, keys "v/..."). */
    dev.vigil.storage.KeyValueStore verdicts() {
        return stores.store(HistoryStores.CERTIFICATES);
    }

    /** What the node did about verdicts (webhook delivered, command started), beside the certificates. */
    dev.vigil.storage.KeyValueStore verdictMarks() {
        return stores.store(HistoryStores.CERTIFICATES);
    }

    /** A committee replica's log of one shard and directory epoch. */
    dev.vigil.daemon.consensus.ConsensusLog consensusLog(final int shard, final long epoch) {
        return logs.computeIfAbsent(shard + "/" + epoch, k -> new ListLog());
    }

    private final java.util.Map<String, dev.vigil.daemon.consensus.ConsensusLog> logs = new java.util.HashMap<>();

    /** Held in memory only: until the stored log is wired, a restarted replica recovers by state transfer. */
    private static final class ListLog implements dev.vigil.daemon.consensus.ConsensusLog {
        private final List<dev.vigil.daemon.consensus.LogRecord> records = new java.util.ArrayList<>();

        @Override
        public void append(final dev.vigil.daemon.consensus.LogRecord record) {
            records.add(record);
        }

        @Override
        public void truncate(final long stableSeq) {
        }

        @Override
        public List<dev.vigil.daemon.consensus.LogRecord> records() {
            return List.copyOf(records);
        }
    }

    /** Whether opening them recovered from an unclean stop. */
    boolean recovered() {
        return stores.recovered();
    }

    /** A clean stop: writes and closes the stores, leaving the clean-stop marker. */
    void close() {
        stores.close();
    }

    /** A kill: lets go of the stores without a clean stop, as a crash would. */
    void abandon() {
        stores.abandon();
    }
}
