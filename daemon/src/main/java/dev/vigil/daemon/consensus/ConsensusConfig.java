package dev.vigil.daemon.consensus;

/**
 * Tunables of one committee replica, with units in their names. Every bound here is stated
 * with its behaviour at the bound in the class that enforces it.
 *
 * @param fConfigured           faults to tolerate per committee (reduced by a small directory)
 * @param checkpointSeqs        K: a checkpoint every K sequence numbers; the window is L = 2K
 * @param batchRecordsMax       most requests per batch
 * @param batchBytesMax         most encoded bytes per batch
 * @param batchDelayMicros      the primary proposes a partial batch once its oldest request waited this long
 * @param payloadBytesMax       most bytes of one request's payload
 * @param pendingRequestsMax    most requests a replica holds that are not executed yet (refused beyond: FULL)
 * @param pendingPerClientMax   most of those from one client (refused beyond: FULL)
 * @param clientsMax            most clients in the replicated table of last-executed requests (least recently executed evicted)
 * @param requestTimeoutMicros  a request pending without progress this long starts a view change; doubles per consecutive one
 * @param viewChangeTimeoutMicrosMax cap on that doubling
 * @param idleCheckpointMicros  an idle primary pads with null batches to the next checkpoint after this long
 * @param stateRetryMicros      a state fetch without an answer asks the next member after this long
 * @param snapshotBytesMax      most bytes of a state snapshot (the state machine must stay below it)
 * @param earlyMessagesMax      most messages for the view being entered held until its new-view arrives
 * @param checkInvariants       check the replica's invariants after every input (tests and simnet; a violation is a bug)
 */
public record ConsensusConfig(
    int fConfigured,
    int checkpointSeqs,
    int batchRecordsMax,
    int batchBytesMax,
    long batchDelayMicros,
    int payloadBytesMax,
    int pendingRequestsMax,
    int pendingPerClientMax,
    int clientsMax,
    long requestTimeoutMicros,
    long viewChangeTimeoutMicrosMax,
    long idleCheckpointMicros,
    long stateRetryMicros,
    int snapshotBytesMax,
    int earlyMessagesMax,
    boolean checkInvariants) {

    public ConsensusConfig {
        require(fConfigured >= 0 && fConfigured <= 21, "fConfigured must be in [0, 21] (64 candidates at most)");
        require(checkpointSeqs >= 1 && checkpointSeqs <= 4096, "checkpointSeqs must be in [1, 4096]");
        require(batchRecordsMax >= 1 && batchRecordsMax <= 0xFFFF, "batchRecordsMax must be in [1, 65535]");
        require(payloadBytesMax >= 0, "payloadBytesMax must be non-negative");
        require(batchBytesMax >= 2 + Request.OVERHEAD_BYTES + payloadBytesMax, "batchBytesMax must fit one largest request");
        require(batchBytesMax >= 2 + Request.OVERHEAD_BYTES + CommitteeDirectory.ENCODED_BYTES_MAX,
            "batchBytesMax must fit a reconfiguration request (" + CommitteeDirectory.ENCODED_BYTES_MAX + " B directory)");
        require(batchDelayMicros > 0, "batchDelayMicros must be positive");
        require(pendingRequestsMax >= batchRecordsMax, "pendingRequestsMax must be at least batchRecordsMax");
        require(pendingPerClientMax >= 1 && pendingPerClientMax <= pendingRequestsMax, "pendingPerClientMax in [1, pendingRequestsMax]");
        require(clientsMax >= 1, "clientsMax must be positive");
        require(requestTimeoutMicros > 0 && viewChangeTimeoutMicrosMax >= requestTimeoutMicros, "timeouts positive and ordered");
        require(idleCheckpointMicros > 0 && stateRetryMicros > 0, "idleCheckpointMicros and stateRetryMicros positive");
        require(snapshotBytesMax >= 1024, "snapshotBytesMax must be at least 1 KiB");
        require(earlyMessagesMax >= 0, "earlyMessagesMax must be non-negative");
    }

    /** L = 2K: sequence numbers a replica accepts above its low watermark h. */
    public int windowSeqs() {
        return 2 * checkpointSeqs;
    }

    public static ConsensusConfig defaults() {
        return new ConsensusConfig(
            Committees.F_DEFAULT, 64,
            64, 32 * 1024, 2_000,
            1024,
            4096, 16, 4096,
            2_000_000, 60_000_000,
            1_000_000, 1_000_000,
            8 * 1024 * 1024, 1024,
            false);
    }

    public ConsensusConfig withF(final int f) {
        return new ConsensusConfig(f, checkpointSeqs, batchRecordsMax, batchBytesMax, batchDelayMicros, payloadBytesMax,
            pendingRequestsMax, pendingPerClientMax, clientsMax, requestTimeoutMicros, viewChangeTimeoutMicrosMax,
            idleCheckpointMicros, stateRetryMicros, snapshotBytesMax, earlyMessagesMax, checkInvariants);
    }

    public ConsensusConfig withCheckpointSeqs(final int k) {
        return new ConsensusConfig(fConfigured, k, batchRecordsMax, batchBytesMax, batchDelayMicros, payloadBytesMax,
            pendingRequestsMax, pendingPerClientMax, clientsMax, requestTimeoutMicros, viewChangeTimeoutMicrosMax,
            idleCheckpointMicros, stateRetryMicros, snapshotBytesMax, earlyMessagesMax, checkInvariants);
    }

    public ConsensusConfig withBatching(final int recordsMax, final int bytesMax, final long delayMicros) {
        return new ConsensusConfig(fConfigured, checkpointSeqs, recordsMax, bytesMax, delayMicros, payloadBytesMax,
            pendingRequestsMax, pendingPerClientMax, clientsMax, requestTimeoutMicros, viewChangeTimeoutMicrosMax,
            idleCheckpointMicros, stateRetryMicros, snapshotBytesMax, earlyMessagesMax, checkInvariants);
    }

    public ConsensusConfig withTimeouts(final long requestMicros, final long viewChangeMaxMicros, final long idleMicros,
                                        final long stateRetry) {
        return new ConsensusConfig(fConfigured, checkpointSeqs, batchRecordsMax, batchBytesMax, batchDelayMicros, payloadBytesMax,
            pendingRequestsMax, pendingPerClientMax, clientsMax, requestMicros, viewChangeMaxMicros, idleMicros, stateRetry,
            snapshotBytesMax, earlyMessagesMax, checkInvariants);
    }

    public ConsensusConfig withPayloadBytesMax(final int bytes) {
        return new ConsensusConfig(fConfigured, checkpointSeqs, batchRecordsMax, batchBytesMax, batchDelayMicros, bytes,
            pendingRequestsMax, pendingPerClientMax, clientsMax, requestTimeoutMicros, viewChangeTimeoutMicrosMax,
            idleCheckpointMicros, stateRetryMicros, snapshotBytesMax, earlyMessagesMax, checkInvariants);
    }

    public ConsensusConfig withPending(final int requestsMax, final int perClientMax, final int clients) {
        return new ConsensusConfig(fConfigured, checkpointSeqs, batchRecordsMax, batchBytesMax, batchDelayMicros, payloadBytesMax,
            requestsMax, perClientMax, clients, requestTimeoutMicros, viewChangeTimeoutMicrosMax, idleCheckpointMicros,
            stateRetryMicros, snapshotBytesMax, earlyMessagesMax, checkInvariants);
    }

    public ConsensusConfig withInvariantChecks(final boolean on) {
        return new ConsensusConfig(fConfigured, checkpointSeqs, batchRecordsMax, batchBytesMax, batchDelayMicros, payloadBytesMax,
            pendingRequestsMax, pendingPerClientMax, clientsMax, requestTimeoutMicros, viewChangeTimeoutMicrosMax,
            idleCheckpointMicros, stateRetryMicros, snapshotBytesMax, earlyMessagesMax, on);
    }

    private static void require(final boolean condition, final String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }
}
