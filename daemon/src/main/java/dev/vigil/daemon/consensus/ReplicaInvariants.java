package dev.vigil.daemon.consensus;

import java.util.Map;

/**
 * The replica's invariants, checked after every input when {@link ConsensusConfig#checkInvariants}
 * is on (tests and simnet). A violation is a bug: an {@link IllegalStateException}, counted as an
 * internal error.
 */
final class ReplicaInvariants {
    private ReplicaInvariants() {
    }

    static void check(final ReplicaState s) {
        require(s.h >= s.baseSeq && s.h % s.k == 0 || s.mode == ReplicaState.Mode.JOINING, s, "h is a checkpoint at or above the base");
        require(s.lastExecuted <= s.h + s.window, s, "nothing executes above the window");
        require(s.stableSnapshot == null || s.lastExecuted >= s.h, s, "a replica holding the state at h executed through h");
        require(s.changing ? s.changingTo > s.view : s.changingTo == s.view, s, "changingTo follows view");
        require(s.slots.size() <= s.window, s, "slots within L");
        for (final Slot slot : s.slots.values()) {
            require(s.inWindow(slot.seq), s, "slot " + slot.seq + " inside (h, h + L]");
            require(slot.executed == (slot.seq <= s.lastExecuted), s, "slot " + slot.seq + " executed exactly when at or below lastExecuted");
            require(!slot.executed || slot.committed, s, "only committed slots execute");
        }
        for (final Map.Entry<Long, Checkpoint[]> e : s.checkpoints.entrySet()) {
            require(s.inWindow(e.getKey()) && e.getKey() % s.k == 0, s, "checkpoints collected inside the window, at multiples of K");
        }
        require(s.checkpoints.size() <= s.window / s.k, s, "checkpoint sequence numbers within L / K");
        require(s.ownCheckpoints.size() <= s.window / s.k + 1, s, "own snapshots within L / K + 1");
        for (final Checkpoint c : s.checkpointsAhead) {
            require(c == null || c.seq() > s.h + s.window, s, "checkpoints held apart only above the window");
        }
        require(s.pending.size() <= s.pending.max(), s, "pending within its bound");
        require(s.pending.largestPerClient() <= s.config.pendingPerClientMax(), s, "pending per client within its bound");
        require(s.clients.size() <= s.clients.max(), s, "client table within its bound");
        require(s.early.size() <= s.early.max(), s, "early messages within their bound");
        require(!s.isPrimary() || s.lastAssigned <= s.h + s.window, s, "the primary proposes inside the window");
        require(s.closing == null || s.lastExecuted <= s.closing.closingSeq(), s, "nothing executes after the closing checkpoint");
        require(s.mode != ReplicaState.Mode.CLOSED || s.closing != null, s, "only a closing epoch closes");
        require(s.pendingStable == null || (s.pendingStable.seq() > s.h && s.pendingStable.seq() <= s.h + s.window), s,
            "a held stable certificate lies inside the window");
    }

    private static void require(final boolean condition, final ReplicaState s, final String what) {
        if (!condition) {
            throw new IllegalStateException(s.who() + ": invariant broken: " + what + " (view " + s.view + ", h " + s.h
                + ", lastExecuted " + s.lastExecuted + ")");
        }
    }
}
