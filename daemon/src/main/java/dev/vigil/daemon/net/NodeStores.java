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
import dev.vigil.daemon.consensus.CommitteeDirectory;
import dev.vigil.daemon.consensus.ConsensusConfig;
import dev.vigil.daemon.consensus.ConsensusLog;
import dev.vigil.daemon.consensus.Limits;
import dev.vigil.daemon.consensus.LogDamage;
import dev.vigil.daemon.consensus.LogSizing;
import dev.vigil.daemon.consensus.StoredLogs;
import dev.vigil.storage.StoreDirectory;
import dev.vigil.storage.StoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;

/**
 * The daemon's stores and what lives in them: the agent history, the replicas other nodes sent,
 * the peer snapshot a restart joins through, and the consensus logs of the committee replicas the
 * node runs (in {@code data_dir/consensus}, see {@link #consensusLog}). The one owner of the stores: only it closes them
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
    private final StoreDirectory consensusStores;
    private final StoredLogs consensusLogs;

    private NodeStores(final NodeConfig config, final HistoryStores stores, final StoreDirectory consensusStores,
                       final StoredLogs consensusLogs) {
        this.config = config;
        this.stores = stores;
        this.consensusStores = consensusStores;
        this.consensusLogs = consensusLogs;
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
        StoreDirectory consensus = null;
        try {
            final LogSizing sizing = consensusLogSizing(config);
            try {
                consensus = StoreDirectory.open(config.consensusDir(), "consensus-log format=1", List.of(sizing.spec()));
            } catch (final StoreException e) {
                throw new ConfigException(config.file(), "data_dir", e.getMessage());
            }
            // the replicas' own limits: a record must decode under the bounds it was written under (a full evidence
            // request's payload is above ConsensusConfig.defaults()' 1 KiB)
            final StoredLogs logs = StoredLogs.open(consensus.store(LogSizing.STORE), sizing,
                Limits.of(config.verdicts().fleet().consensus(), CommitteeDirectory.CANDIDATES_MAX));
            report(config, consensus, logs);
            return new NodeStores(config, stores, consensus, logs);
        } catch (final RuntimeException e) {
            if (consensus != null) {
                consensus.close();
            }
            stores.close();
            throw e;
        }
    }

    /**
     * The consensus-log bounds. Until the node runs replicas and reads a consensus config of its own,
     * they follow {@link ConsensusConfig#defaults()} (K = 64, so L = 128) for committees of the default
     * 3f + 1 = 4 members; a larger committee only makes records larger, which the bytes bound covers.
     */
    static LogSizing consensusLogSizing(final NodeConfig config) {
        final ConsensusConfig c = ConsensusConfig.defaults();
        return config.consensusLog().sizing(c, 3 * c.fConfigured() + 1);
    }

    private static void report(final NodeConfig config, final StoreDirectory dir, final StoredLogs logs) {
        for (final LogDamage d : logs.damage()) {
            if (d.crashLeftIt()) {
                LOG.warn("{}", d);
            } else {
                LOG.error("{}", d);
            }
        }
        if (logs.foreignEntries() > 0) {
            LOG.warn("the consensus-log store in {} holds {} entries that are not log entries; left alone", dir.dir(), logs.foreignEntries());
        }
        final LogSizing s = logs.sizing();
        LOG.info("consensus logs in {}: {} replicas' logs read back{}; bounds {} replicas, {} records and {} KiB per replica "
            + "(worst case at the consensus defaults {} KiB)", config.consensusDir(), logs.logs().size(),
            dir.recovered() ? " after recovery from an unclean stop" : "", s.replicasMax(), s.recordsPerLogMax(),
            s.bytesPerLogMax() / 1024, s.worstCaseBytesPerLog() / 1024);
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

    /**
     * The durable log of this node's replica of (shard, epoch): the one read back at start (rebuild
     * the replica from its records with {@code Replica.recover}), or a new empty one.
     *
     * @throws dev.vigil.storage.StoreFullException when the node already holds logs for
     *         {@code storage.consensus_replicas} replicas
     */
    ConsensusLog consensusLog(final int shard, final long epoch) {
        return consensusLogs.log(shard, epoch);
    }

    /** Every consensus log the node holds (the replicas a restart rebuilds), and dropping those it no longer needs. */
    StoredLogs consensusLogs() {
        return consensusLogs;
    }

    /** Whether opening them recovered from an unclean stop. */
    boolean recovered() {
        return stores.recovered();
    }

    /** A clean stop: writes and closes the stores, leaving the clean-stop marker. */
    void close() {
        consensusStores.close();
        stores.close();
    }

    /** A kill: lets go of the stores without a clean stop, as a crash would. */
    void abandon() {
        consensusStores.abandon();
        stores.abandon();
    }
}
