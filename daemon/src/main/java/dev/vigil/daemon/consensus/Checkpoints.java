package dev.vigil.daemon.consensus;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Checkpoints every K sequence numbers, their collection into stable certificates (2f + 1
 * matching), and what stability allows: the low watermark h moves up, the log below it is
 * dropped (here and in the {@link ConsensusLog}), and a replica that has not executed that far
 * fetches the state instead. Bounds: checkpoints are kept for the L / K multiples of K in
 * (h, h + L] (n each) and, above the window, each member's latest one; own snapshots above h
 * number at most L / K + 1.
 */
final class Checkpoints {
    private final ReplicaState s;
    private final Replica replica;

    Checkpoints(final ReplicaState s, final Replica replica) {
        this.s = s;
        this.replica = replica;
    }

    /** After executing {@code seq} (a multiple of K): snapshot, persist, then announce. */
    void take(final long seq, final long now) {
        final byte[] snapshot = SystemSnapshot.encode(seq, s.clients, s.closing, s.app.snapshot());
        if (snapshot.length > s.config.snapshotBytesMax()) {
            throw new IllegalStateException("snapshot of " + snapshot.length + " bytes at " + seq + " exceeds snapshotBytesMax "
                + s.config.snapshotBytesMax() + ": the state machine must stay below it");
        }
        final byte[] digest = s.signedSnapshotDigest(snapshot);
        s.ownCheckpoints.put(seq, new byte[][] {digest, snapshot});
        s.counters.checkpointsTaken++;
        final Checkpoint cp = Checkpoint.signed(s.committee, s.signer, seq, digest);
        s.effects.persist(new LogRecord.OwnCheckpoint(seq, digest, snapshot));
        if (seq > s.h && seq <= s.h + s.window) {
            s.checkpoints.computeIfAbsent(seq, x -> new Checkpoint[s.n])[s.self] = cp;
        }
        s.effects.broadcast(cp.encode());
        checkStable(seq, digest, now);
    }

    Refusal onCheckpoint(final Checkpoint cp, final long now) {
        final int from = s.committee.indexOf(cp.sender());
        final Refusal refused = s.admit(cp.shard(), cp.epoch(), from);
        if (refused != null) {
            return refused;
        }
        if (cp.seq() % s.k != 0) {
            return Refusal.MALFORMED;
        }
        if (cp.seq() <= s.h) {
            if (cp.seq() < s.h && s.stable.proofs().size() >= s.quorum && s.mayHelp(s.helpedMicros, from, now)) {
                // it is still at an older checkpoint: the certificate of ours lets it move on (or fetch)
                s.counters.helped++;
                s.effects.send(cp.sender(), StateReply.signed(s.committee, s.signer, s.stable, new byte[0]).encode());
            }
            return Refusal.REPLAY;
        }
        if (cp.seq() <= s.h + s.window) {
            final Checkpoint[] bySender = s.checkpoints.get(cp.seq());
            final Checkpoint existing = bySender == null ? null : bySender[from];
            if (existing != null && existing.sameAs(cp)) {
                return Refusal.REPLAY;
            }
            if (!s.verifier.verify(cp.sender(), cp.signedBytes(), cp.signature())) {
                return Refusal.BAD_SIGNATURE;
            }
            if (existing != null) {
                return Refusal.CONFLICT;
            }
            s.checkpoints.computeIfAbsent(cp.seq(), x -> new Checkpoint[s.n])[from] = cp;
            if (cp.seq() > s.lastExecuted) {
                s.progress(now); // the others move on: this replica lags, the primary is fine
            }
            checkStable(cp.seq(), cp.stateDigest(), now);
            return null;
        }
        final Checkpoint previous = s.checkpointsAhead[from];
        if (previous != null && previous.seq() >= cp.seq()) {
            return Refusal.REPLAY;
        }
        if (!s.verifier.verify(cp.sender(), cp.signedBytes(), cp.signature())) {
            return Refusal.BAD_SIGNATURE;
        }
        s.checkpointsAhead[from] = cp;
        s.progress(now);
        aheadOfWindow(cp, now);
        return null;
    }

    /** Members beyond this replica's window: a quorum on one checkpoint is a certificate; f + 1 ahead at all, ask them. */
    private void aheadOfWindow(final Checkpoint cp, final long now) {
        final List<Checkpoint> matching = new ArrayList<>();
        final List<Integer> ahead = new ArrayList<>();
        for (int i = 0; i < s.n; i++) {
            final Checkpoint c = s.checkpointsAhead[i];
            if (c != null && c.seq() > s.h + s.window) {
                ahead.add(i);
                if (c.matches(cp.seq(), cp.stateDigest())) {
                    matching.add(c);
                }
            }
        }
        if (matching.size() >= s.quorum) {
            matching.sort((a, b) -> Long.compareUnsigned(a.sender(), b.sender()));
            advance(new StableCertificate(cp.seq(), cp.stateDigest(), matching), null, now);
        } else if (ahead.size() >= s.f + 1 && !replica.stateTransfer().active()) {
            replica.stateTransfer().ask(ahead.stream().mapToInt(Integer::intValue).toArray(), now);
        }
    }

    private void checkStable(final long seq, final byte[] digest, final long now) {
        final Checkpoint[] bySender = s.checkpoints.get(seq);
        if (bySender == null || seq <= s.h) {
            return;
        }
        final List<Checkpoint> matching = new ArrayList<>();
        for (final Checkpoint c : bySender) {
            if (c != null && c.matches(seq, digest)) {
                matching.add(c);
            }
        }
        if (matching.size() >= s.quorum) {
            matching.sort((a, b) -> Long.compareUnsigned(a.sender(), b.sender()));
            final StableCertificate certificate = new StableCertificate(seq, digest, matching);
            learned(certificate, now);
            push(certificate, bySender);
        }
    }

    /**
     * The members whose checkpoint is missing from a certificate this replica just formed may lag
     * (or have been down when the others' checkpoints went out): each gets the certificate (a
     * state reply without the snapshot), so it moves its watermark or fetches the state even if
     * nothing else ever reaches it. At most f members, once per stable checkpoint.
     */
    private void push(final StableCertificate certificate, final Checkpoint[] bySender) {
        if (s.stable != certificate) {
            return; // a later one became stable meanwhile
        }
        byte[] message = null;
        for (int i = 0; i < s.n; i++) {
            if (i != s.self && bySender[i] == null) {
                if (message == null) {
                    message = StateReply.signed(s.committee, s.signer, certificate, new byte[0]).encode();
                }
                s.counters.certificatesPushed++;
                s.effects.send(s.committee.memberId(i), message);
            }
        }
    }

    /**
     * A verified stable certificate: when this replica executed that far, or the certificate lies
     * beyond its window (it is far behind), the watermark moves at once; otherwise it is held for
     * the state-retry period, in which this replica usually executes there itself (its own
     * checkpoint then completes it), and only then, if still behind, fetches the state.
     */
    void learned(final StableCertificate certificate, final long now) {
        if (certificate.seq() <= s.h) {
            return;
        }
        if (s.lastExecuted >= certificate.seq() || certificate.seq() > s.h + s.window) {
            advance(certificate, null, now);
            return;
        }
        if (s.pendingStable == null || certificate.seq() > s.pendingStable.seq()) {
            s.pendingStable = certificate;
            if (s.deadline(TimerKind.CATCH_UP) == ReplicaEffects.NEVER) {
                s.arm(TimerKind.CATCH_UP, now + s.config.stateRetryMicros());
            }
        }
    }

    void onCatchUpTimer(final long now) {
        if (s.deadline(TimerKind.CATCH_UP) > now) {
            return;
        }
        s.arm(TimerKind.CATCH_UP, ReplicaEffects.NEVER);
        final StableCertificate held = s.pendingStable;
        s.pendingStable = null;
        if (held != null && held.seq() > s.h && s.mode == ReplicaState.Mode.ACTIVE) {
            advance(held, null, now);
        }
    }

    /**
     * The low watermark moves to a stable checkpoint (verified, above h). {@code snapshot} is the
     * state there when the caller has it (state transfer); else this replica's own checkpoint, if
     * it matches. Without it, the state is fetched.
     */
    void advance(final StableCertificate certificate, final byte[] snapshot, final long now) {
        assert certificate.seq() > s.h : "stable " + certificate.seq() + " not above h = " + s.h;
        final long seq = certificate.seq();
        byte[] state = snapshot;
        final byte[][] own = s.ownCheckpoints.get(seq);
        if (state == null && own != null) {
            if (Arrays.equals(own[0], certificate.stateDigest())) {
                state = own[1];
            } else {
                s.counters.diverged++;
                s.log.bug(s.who() + ": own state at " + seq + " differs from the stable checkpoint; fetching it",
                    new IllegalStateException("diverged at " + seq));
            }
        }
        s.h = seq;
        s.stable = certificate;
        s.stableSnapshot = state;
        if (s.pendingStable != null && s.pendingStable.seq() <= seq) {
            s.pendingStable = null;
            s.arm(TimerKind.CATCH_UP, ReplicaEffects.NEVER);
        }
        s.counters.checkpointsStable++;
        s.effects.persist(new LogRecord.Stable(certificate, state == null ? new byte[0] : state));
        s.effects.truncate(seq);
        s.slots.headMap(seq, true).clear();
        s.checkpoints.headMap(seq, true).clear();
        s.ownCheckpoints.headMap(seq, true).clear();
        for (int i = 0; i < s.n; i++) {
            final Checkpoint c = s.checkpointsAhead[i];
            if (c != null && c.seq() <= s.h + s.window) {
                s.checkpointsAhead[i] = null;
                if (c.seq() > s.h) {
                    s.checkpoints.computeIfAbsent(c.seq(), x -> new Checkpoint[s.n])[i] = c;
                }
            }
        }
        s.lastAssigned = Math.max(s.lastAssigned, seq);
        if (state == null) {
            replica.stateTransfer().fetch(certificate, now);
        } else if (s.closing != null && seq >= s.closing.closingSeq()) {
            replica.close(now);
        }
        // checkpoints moved in from above the window may already make a later one stable
        for (final Map.Entry<Long, Checkpoint[]> e : List.copyOf(s.checkpoints.entrySet())) {
            for (final Checkpoint c : e.getValue()) {
                if (c != null && e.getKey() > s.h) {
                    checkStable(e.getKey(), c.stateDigest(), now);
                }
            }
        }
    }
}
