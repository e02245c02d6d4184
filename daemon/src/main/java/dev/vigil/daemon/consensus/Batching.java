package dev.vigil.daemon.consensus;

/**
 * Requests in, batches out: every replica checks and keeps the requests clients send (bounded,
 * {@link PendingRequests}); the primary proposes them in batches (bounded by records and bytes)
 * when a batch is full or its oldest request waited the batch delay, and pads with null batches
 * to the next checkpoint when idle or closing the epoch. A proposal leaves only after its
 * {@link LogRecord.Accepted} is durable.
 */
final class Batching {
    private final ReplicaState s;
    private final Replica replica;

    Batching(final ReplicaState s, final Replica replica) {
        this.s = s;
        this.replica = replica;
    }

    Refusal onRequest(final Request r, final long now) {
        if (r.shard() != s.committee.shard()) {
            return Refusal.WRONG_COMMITTEE;
        }
        if (s.mode != ReplicaState.Mode.ACTIVE) {
            return s.mode == ReplicaState.Mode.JOINING ? Refusal.NOT_READY : Refusal.CLOSED;
        }
        if (s.closing != null) {
            return Refusal.CLOSED;
        }
        if (s.clients.executed(r.client()) >= r.requestSeq()) {
            return Refusal.REPLAY;
        }
        final PendingRequests.Entry held = s.pending.get(r);
        if (held != null && held.request.sameAs(r)) {
            return Refusal.REPLAY;
        }
        if (!requestValid(r)) {
            return Refusal.BAD_SIGNATURE;
        }
        if (held != null) {
            return Refusal.CONFLICT;
        }
        final boolean wasEmpty = s.pending.isEmpty();
        final Refusal full = s.pending.add(r, now);
        if (full != null) {
            return full;
        }
        if (wasEmpty) {
            s.progress(now);
        }
        return null;
    }

    /** A request's own check: right shard and, for a client, its signature; a reconfiguration, its directory's. */
    boolean requestValid(final Request r) {
        if (r.shard() != s.committee.shard()) {
            return false;
        }
        if (r.isReconfiguration()) {
            final CommitteeDirectory.Result d = CommitteeDirectory.decode(r.payload());
            return d.directory() != null && d.directory().epoch() == r.requestSeq() && d.directory().verify(s.verifier);
        }
        final PendingRequests.Entry held = s.pending.get(r);
        if (held != null && held.request.sameAs(r)) {
            return true; // verified on arrival
        }
        return s.verifier.verify(r.client(), r.signedBytes(), r.signature());
    }

    /**
     * The primary proposes while the window has room: a full batch at once, a partial one once its
     * oldest request waited the batch delay, and when idle (or closing the epoch) null batches up
     * to the next checkpoint, so every committed batch is soon covered by a stable checkpoint that
     * replicas left behind can fetch.
     */
    void maybePropose(final long now) {
        if (!s.isPrimary()) {
            s.arm(TimerKind.BATCH, ReplicaEffects.NEVER);
            return;
        }
        long wake = ReplicaEffects.NEVER;
        while (s.lastAssigned < s.h + s.window) {
            if (s.closing != null) {
                if (s.lastAssigned >= s.closing.closingSeq()) {
                    break;
                }
                propose(Batch.EMPTY, now);
                continue;
            }
            final int unproposed = s.pending.unproposedCount();
            final long oldest = s.pending.oldestUnproposedMicros();
            if (unproposed >= s.config.batchRecordsMax() || s.pending.unproposedBytes() >= s.config.batchBytesMax()
                || (unproposed > 0 && now - oldest >= s.config.batchDelayMicros())) {
                propose(new Batch(s.pending.takeBatch(s.config.batchRecordsMax(), s.config.batchBytesMax())), now);
                continue;
            }
            if (unproposed > 0) {
                wake = oldest + s.config.batchDelayMicros();
                break;
            }
            if (s.lastAssigned % s.k != 0) {
                final long idleAt = s.lastProposalMicros + s.config.idleCheckpointMicros();
                if (now >= idleAt) {
                    while (s.lastAssigned % s.k != 0 && s.lastAssigned < s.h + s.window) {
                        propose(Batch.EMPTY, now);
                    }
                    continue;
                }
                wake = idleAt;
            }
            break;
        }
        s.arm(TimerKind.BATCH, wake);
    }

    private void propose(final Batch batch, final long now) {
        final long seq = s.lastAssigned + 1;
        final byte[] digest = batch.digest();
        final Vote pp = Vote.signed(MessageKind.PRE_PREPARE, s.committee, s.signer, s.view, seq, digest);
        replica.retransmission().workBegins(now);
        s.lastAssigned = seq;
        s.lastProposalMicros = now;
        final Slot slot = s.slot(seq);
        slot.accept(pp, batch, digest);
        s.counters.proposals++;
        if (batch.isNull()) {
            s.counters.nullProposals++;
        }
        s.effects.persist(new LogRecord.Accepted(pp, batch));
        s.effects.broadcast(new Proposal(pp, batch).encode());
        replica.normal().checkPrepared(slot, now);
    }

}
