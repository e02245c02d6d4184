package dev.vigil.daemon.consensus;

import java.util.ArrayList;
import java.util.List;

/**
 * Executes committed batches in sequence order: duplicates and requests of a closing epoch are
 * taken out (the same way on every replica, from replicated state only), the rest go to the
 * {@link ReplicatedState}, and a checkpoint is taken every K. A reconfiguration request, once
 * executed at sequence r, closes the epoch at the first checkpoint at or after r: batches up to
 * there execute as nulls for client requests, and nothing above it ever executes.
 */
final class Execution {
    private final ReplicaState s;
    private final Replica replica;

    Execution(final ReplicaState s, final Replica replica) {
        this.s = s;
        this.replica = replica;
    }

    /** Executes every committed batch that is next in line; needs the state at lastExecuted (lastExecuted ≥ h). */
    void executeReady(final long now, final boolean recovered) {
        while (s.lastExecuted >= s.h) {
            final Slot slot = s.slots.get(s.lastExecuted + 1);
            if (slot == null || !slot.committed || (s.closing != null && slot.seq > s.closing.closingSeq())) {
                return;
            }
            execute(slot, now, recovered);
        }
    }

    private void execute(final Slot slot, final long now, final boolean recovered) {
        final List<Delivery.Outcome> outcomes = apply(slot.seq, slot.committedBatch);
        slot.executed = true;
        s.lastExecuted = slot.seq;
        s.counters.executedBatches++;
        boolean applied = false;
        for (final Delivery.Outcome o : outcomes) {
            applied |= o.status() == Delivery.Status.APPLIED;
            if (!o.request().isReconfiguration()) {
                s.pending.executed(o.request().client(), s.clients.executed(o.request().client()));
            }
        }
        if (applied) {
            s.progress(now);
            s.viewChangesInARow = 0;
        }
        s.effects.deliver(new Delivery(slot.seq, slot.committedBatch, outcomes, recovered));
        if (slot.seq % s.k == 0) {
            replica.checkpoints().take(slot.seq, now);
        }
    }

    private List<Delivery.Outcome> apply(final long seq, final Batch batch) {
        final Delivery.Status[] status = new Delivery.Status[batch.requests().size()];
        final List<Request> toApply = new ArrayList<>();
        for (int i = 0; i < status.length; i++) {
            final Request r = batch.requests().get(i);
            if (r.isReconfiguration()) {
                status[i] = reconfigure(seq, r);
            } else if (s.closing != null) {
                status[i] = Delivery.Status.EPOCH_CLOSED;
            } else if (s.clients.executed(r.client()) >= r.requestSeq()) {
                status[i] = Delivery.Status.DUPLICATE;
                s.counters.duplicates++;
            } else {
                status[i] = Delivery.Status.APPLIED;
                s.clients.record(r.client(), r.requestSeq(), seq);
                toApply.add(r);
            }
        }
        final List<byte[]> results = toApply.isEmpty() ? List.of() : s.app.apply(seq, toApply);
        if (results.size() != toApply.size()) {
            throw new IllegalStateException("state machine returned " + results.size() + " results for " + toApply.size() + " requests");
        }
        s.counters.executedRequests += toApply.size();
        final List<Delivery.Outcome> outcomes = new ArrayList<>(status.length);
        int next = 0;
        for (int i = 0; i < status.length; i++) {
            final byte[] result = status[i] == Delivery.Status.APPLIED ? results.get(next++) : new byte[0];
            outcomes.add(new Delivery.Outcome(batch.requests().get(i), status[i], result));
        }
        return outcomes;
    }

    /** Deterministic on every replica: the directory check uses only the request and the shared trust of the issuer. */
    private Delivery.Status reconfigure(final long seq, final Request r) {
        if (s.closing != null) {
            return s.closing.nextEpoch() == r.requestSeq() ? Delivery.Status.DUPLICATE : Delivery.Status.REFUSED;
        }
        final CommitteeDirectory.Result d = CommitteeDirectory.decode(r.payload());
        if (d.directory() == null || d.directory().epoch() != s.committee.epoch() + 1 || r.requestSeq() != d.directory().epoch()
            || !d.directory().verify(s.verifier) || d.directory().candidates().isEmpty()) {
            return Delivery.Status.REFUSED;
        }
        final long closingSeq = ((seq + s.k - 1) / s.k) * s.k;
        s.closing = new SystemSnapshot.Closing(d.directory().epoch(), seq, closingSeq, r.payload());
        s.next = Committees.select(d.directory(), s.committee.shard(), s.config.fConfigured());
        s.pending.clear();
        s.log.info(s.who() + ": reconfiguration to epoch " + d.directory().epoch() + " executed at " + seq
            + "; this epoch closes at " + closingSeq + "; next " + s.next.describe());
        return Delivery.Status.RECONFIGURED;
    }
}
