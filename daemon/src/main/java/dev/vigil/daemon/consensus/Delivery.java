package dev.vigil.daemon.consensus;

import java.util.List;

/**
 * A committed batch as executed: what a replica hands its driver, in sequence order. A replica
 * rebuilding from its log after a restart executes again what it had committed and delivers it
 * again with {@code recovered} set, so drivers treat deliveries as keyed by {@code seq}.
 */
public record Delivery(long seq, Batch batch, List<Outcome> outcomes, boolean recovered) {
    public Delivery {
        outcomes = List.copyOf(outcomes);
    }

    /** What became of one request of the batch. */
    public enum Status {
        /** Applied to the state machine; {@code result} is its result. */
        APPLIED,
        /** This client's request with this or a higher sequence number was executed before. */
        DUPLICATE,
        /** Ordered after the committee's reconfiguration request: not applied; the client resubmits to the next committee. */
        EPOCH_CLOSED,
        /** A reconfiguration request that closed this epoch. */
        RECONFIGURED,
        /** A reconfiguration request that does not verify or names the wrong epoch. */
        REFUSED
    }

    public record Outcome(Request request, Status status, byte[] result) {
    }
}
