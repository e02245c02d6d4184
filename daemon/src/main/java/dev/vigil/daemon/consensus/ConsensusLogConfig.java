package dev.vigil.daemon.consensus;

/**
 * How the node's consensus-log store is sized (config keys {@code storage.consensus_replicas} and
 * {@code storage.consensus_log_kib_per_replica}); {@link LogSizing} turns it into bounds.
 *
 * @param replicasMax        (shard, epoch) replicas the store holds logs for; a node on every shard's
 *                           committee of a small fleet runs 64 (the shard count), plus the next epoch's
 *                           during a reconfiguration
 * @param bytesPerReplicaMax record bytes one replica's log may hold; an append beyond is refused
 */
public record ConsensusLogConfig(int replicasMax, long bytesPerReplicaMax) {
    public ConsensusLogConfig {
        if (replicasMax < 1 || bytesPerReplicaMax < 64 * 1024) {
            throw new IllegalArgumentException("consensus log: at least one replica and 64 KiB per replica");
        }
    }

    public static ConsensusLogConfig defaults() {
        return new ConsensusLogConfig(LogSizing.REPLICAS_DEFAULT, LogSizing.BYTES_PER_LOG_DEFAULT);
    }

    /** The bounds for replicas running {@code consensus} on committees of up to {@code members}. */
    public LogSizing sizing(final ConsensusConfig consensus, final int members) {
        return LogSizing.of(consensus, members, replicasMax, bytesPerReplicaMax);
    }
}
