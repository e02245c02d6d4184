package dev.vigil.daemon.config;

import dev.vigil.daemon.core.CoreConfig;
import dev.vigil.daemon.detect.DetectionConfig;
import dev.vigil.daemon.detect.FeatureSchema;
import dev.vigil.daemon.tree.TreeConfig;

import java.nio.file.Path;

/**
 * A node's configuration after defaults, validation and path resolution (relative paths are
 * taken from the config file's directory). {@code otlpListen} is null when OTLP ingest is off.
 * {@code contributeStatistics} false ({@code tree.contribute_statistics}) keeps this node's agent
 * statistics out of the tree's cluster and fleet baselines (a gateway host, whose partial views of
 * other hosts' agents are not the fleet's behaviour). {@code accel} is where the node's numeric
 * batches run (the {@code accel} section); {@code alerting} where alerts go (the {@code alerting} section).
 */
public record NodeConfig(
    Path file,
    Path dataDir,
    HostPort peerListen,
    HostPort apiListen,
    HostPort otlpListen,
    Path keyFile,
    Path certificateFile,
    Path caPublicKeyFile,
    CoreConfig core,
    int sendQueueFramesMax,
    long reconnectBackoffMinMs,
    long reconnectBackoffMaxMs,
    FeatureSchema schema,
    DetectionConfig detection,
    TreeConfig tree,
    dev.vigil.daemon.history.HistoryConfig history,
    dev.vigil.daemon.consensus.ConsensusLogConfig consensusLog,
    VerdictSettings verdicts,
    boolean contributeStatistics,
    AccelSettings accel,
    AlertingSettings alerting) {

    /** Where the stores live: {@code data_dir/stores}. */
    public java.nio.file.Path storesDir() {
        return dataDir.resolve("stores");
    }

    /**
     * Where the consensus log lives: {@code data_dir/consensus}, a store directory of its own, so
     * that resizing it (or moving it aside) leaves the agent history's stores as they are.
     */
    public java.nio.file.Path consensusDir() {
        return dataDir.resolve("consensus");
    }
}
