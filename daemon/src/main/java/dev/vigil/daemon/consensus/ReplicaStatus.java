package dev.vigil.daemon.consensus;

import java.util.List;

/**
 * What an operator (and a test) reads about one replica: where it is, and every bound it keeps
 * with its current size.
 */
public record ReplicaStatus(String committee, String mode, long view, boolean changing, long changingTo, long h,
                            long lastExecuted, long lastAssigned, List<Bound> bounds) {
    public ReplicaStatus {
        bounds = List.copyOf(bounds);
    }

    /** A bounded holder: its size now and its bound. */
    public record Bound(String name, long size, long max) {
    }

    public boolean closed() {
        return mode.equals("closed");
    }

    public boolean active() {
        return mode.equals("active");
    }

    static ReplicaStatus of(final ReplicaState s) {
        return new ReplicaStatus(s.committee.describe(), s.mode.name().toLowerCase(java.util.Locale.ROOT), s.view, s.changing,
            s.changingTo, s.h, s.lastExecuted, s.lastAssigned, List.of(
                new Bound("slots", s.slots.size(), s.window),
                new Bound("checkpoint-seqs", s.checkpoints.size(), s.window / s.k),
                new Bound("own-checkpoints", s.ownCheckpoints.size(), s.window / s.k + 1),
                new Bound("pending-requests", s.pending.size(), s.pending.max()),
                new Bound("pending-per-client", s.pending.largestPerClient(), s.config.pendingPerClientMax()),
                new Bound("clients", s.clients.size(), s.clients.max()),
                new Bound("early-messages", s.early.size(), s.early.max())));
    }
}
