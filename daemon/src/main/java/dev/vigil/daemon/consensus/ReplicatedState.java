package dev.vigil.daemon.consensus;

import java.util.List;

/**
 * The state machine a committee replicates (the evidence state machine, later). Every method is
 * deterministic: the same calls in the same order give the same results and the same snapshot
 * bytes on every replica, platform and backend. Called only on the replica's thread.
 */
public interface ReplicatedState {
    /**
     * Applies the requests of one committed batch, in order. The replica has already taken out
     * duplicates, reconfiguration requests and requests of a closed epoch.
     *
     * @return one result per request, in order (bytes the state machine defines; may be empty)
     */
    List<byte[]> apply(long seq, List<Request> requests);

    /** The canonical encoding of the whole state; its SHA-256 is what checkpoints agree on. */
    byte[] snapshot();

    /** Replaces the state by one {@link #snapshot()} produced (on any replica). */
    void restore(byte[] snapshot);
}
