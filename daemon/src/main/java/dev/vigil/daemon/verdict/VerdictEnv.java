package dev.vigil.daemon.verdict;

import dev.vigil.accel.JavaKernels;
import dev.vigil.accel.Kernels;
import dev.vigil.crypto.verdict.VerdictCertificate;
import dev.vigil.daemon.consensus.ConsensusLog;
import dev.vigil.daemon.core.NodeLog;
import dev.vigil.daemon.core.Scheduler;

/** Everything {@link FleetVerdicts} may touch outside itself; all calls on the core's thread. */
public interface VerdictEnv {
    long nowMicros();

    /** Sends one fleet message (see {@link FleetMessage}) to a node, whole. */
    void send(long nodeId, String address, byte[] message);

    Scheduler scheduler();

    NodeLog log();

    /** The durable log of this node's replica of one shard's committee in one directory epoch. */
    ConsensusLog consensusLog(int shard, long epoch);

    /** The seat of (shard, epoch) is gone for good: its log may go. */
    default void dropConsensusLog(final int shard, final long epoch) {
    }

    /**
     * Every consensus log the node holds, by (shard, epoch): those of seats running and those a
     * previous life of the node left (a node restarted into a later epoch never reopens them).
     */
    default java.util.List<dev.vigil.daemon.consensus.StoredLogs.Id> consensusLogsHeld() {
        return java.util.List.of();
    }

    /**
     * The numeric kernels the committees' evidence states add and combine with (the daemon's
     * {@code Accel}); Java unless the host says otherwise. Every backend gives the same bits here:
     * exact sums are exact, and the combination runs in Java on every backend.
     */
    default Kernels kernels() {
        return JavaKernels.INSTANCE;
    }

    /** A verdict certificate this node holds now for the first time (verified): store it, act on it. */
    void verdict(VerdictCertificate certificate);
}
