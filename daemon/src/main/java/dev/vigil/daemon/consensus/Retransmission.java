package dev.vigil.daemon.consensus;

/**
 * Liveness when messages are lost or a primary misbehaves: the request timer (two stages:
 * retransmit this replica's own votes, then change view), and help for members that lag
 * (certificates they can check, sent at most once per half timeout per member).
 */
final class Retransmission {
    private final ReplicaState s;
    private final Replica replica;

    Retransmission(final ReplicaState s, final Replica replica) {
        this.s = s;
        this.replica = replica;
    }

    /**
     * Re-arms the request timer. It watches pending requests and pre-prepares accepted but not
     * committed: without progress for half the current timeout this replica retransmits its own
     * votes (lost messages are the common cause), for the whole timeout it changes view. It also
     * watches an executed tail that no checkpoint closes yet, after the idle delay on top: an
     * honest primary pads it closed by then, so only a faulty or cut-off one makes this fire, and
     * the next primary pads it (otherwise replicas that missed the tail would never learn of it).
     */
    void armRequestTimer() {
        final boolean watching = s.mode == ReplicaState.Mode.ACTIVE && !s.changing && s.closing == null && s.lastExecuted >= s.h;
        final boolean work = !s.pending.isEmpty() || uncommitted();
        final boolean unclosed = s.lastExecuted % s.k != 0;
        if (!watching || (!work && !unclosed)) {
            s.arm(TimerKind.REQUEST, ReplicaEffects.NEVER);
            return;
        }
        final long after = (work ? 0 : s.config.idleCheckpointMicros()) + (s.retransmitted ? s.timeoutMicros() : s.timeoutMicros() / 2);
        s.arm(TimerKind.REQUEST, s.progressMarkMicros + after);
    }

    /**
     * A slot is about to take a pre-prepare (proposed here or accepted from the primary). When it is
     * the first work after a quiet spell (nothing pending, nothing uncommitted) the request timer
     * starts now: the last progress may lie further back than the timeout (an idle primary pads
     * only after the idle delay), and counting from it would change view on the padding itself.
     */
    void workBegins(final long now) {
        if (s.pending.isEmpty() && !uncommitted()) {
            s.progress(now);
        }
    }

    private boolean uncommitted() {
        for (final Slot slot : s.slots.values()) {
            if (slot.prePrepare != null && !slot.committed) {
                return true;
            }
        }
        return false;
    }

    void onRequestTimer(final long now) {
        if (s.deadline(TimerKind.REQUEST) > now) {
            return;
        }
        s.arm(TimerKind.REQUEST, ReplicaEffects.NEVER);
        if (s.mode != ReplicaState.Mode.ACTIVE || s.changing) {
            return;
        }
        if (!s.retransmitted) {
            s.retransmitted = true;
            retransmit();
            return;
        }
        s.log.info(s.who() + ": no progress for " + (now - s.progressMarkMicros) / 1000 + " ms in view " + s.view + "; changing view");
        replica.viewChanges().start(s.view + 1, now);
    }

    /** This replica's own messages for what is not committed yet, and its latest checkpoint: sent again. */
    private void retransmit() {
        s.counters.retransmissions++;
        for (final Slot slot : s.slots.values()) {
            if (slot.committed || slot.prePrepare == null) {
                continue;
            }
            if (slot.prePrepare.sender() == s.selfId) {
                s.effects.broadcast(new Proposal(slot.prePrepare, slot.batch).encode());
            }
            for (final Vote own : new Vote[] {slot.prepares[s.self], slot.commits[s.self]}) {
                if (own != null) {
                    s.effects.broadcast(own.encode());
                }
            }
        }
        if (!s.checkpoints.isEmpty()) {
            final Checkpoint own = s.checkpoints.lastEntry().getValue()[s.self];
            if (own != null) {
                s.effects.broadcast(own.encode());
            }
        }
    }

    /**
     * A member lags: it sent again a vote on a slot this replica committed (it has waited half a
     * timeout), or a view-change showing an older stable checkpoint. It gets this replica's stable
     * certificate if its own is older, and a commit certificate for every slot this replica
     * committed above what it has, up to {@code uptoSeq}: all signed by others, valid in any view,
     * so it catches up even while it waits for a new-view. At most once per half timeout per member,
     * at most L certificates.
     */
    void helpLaggard(final int member, final long itsStableSeq, final long uptoSeq, final long now) {
        if (member == s.self || (itsStableSeq >= s.h && uptoSeq <= itsStableSeq) || !s.mayHelp(s.helpedMicros, member, now)) {
            return;
        }
        final long to = s.committee.memberId(member);
        if (itsStableSeq < s.h && s.stable.proofs().size() >= s.quorum) {
            s.counters.helped++;
            s.effects.send(to, StateReply.signed(s.committee, s.signer, s.stable, new byte[0]).encode());
        }
        final long from = Math.max(itsStableSeq, s.h);
        if (from >= uptoSeq) {
            return;
        }
        for (final Slot t : s.slots.subMap(from, false, uptoSeq, true).values()) {
            if (t.committed && t.committedProof != null) {
                s.counters.helped++;
                s.effects.send(to, Committed.signed(s.committee, s.signer, t.committedPrePrepare, t.committedProof, t.committedBatch).encode());
            }
        }
    }
}
