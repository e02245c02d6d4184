package dev.vigil.daemon.consensus;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * PBFT's normal case in one view: pre-prepares, prepares, commits, and the order in which they
 * unlock each other; and commit certificates from members helping this replica catch up. Each handler checks cheapest
 * first (committee, sender, mode, view, watermarks, duplicates, then signatures) and changes
 * nothing before the input passed every check. Messages of a later view are verified and held
 * for it ({@link EarlyMessages}).
 *
 * <p>Persist before send: a proposal or a prepare leaves only after its {@link LogRecord.Accepted}
 * is durable, a commit only after its {@link LogRecord.Prepared}; execution follows
 * {@link LogRecord.Committed}.
 */
final class NormalCase {
    private final ReplicaState s;
    private final Replica replica;

    NormalCase(final ReplicaState s, final Replica replica) {
        this.s = s;
        this.replica = replica;
    }

    // ------------------------------------------------------------------ pre-prepare, prepare, commit

    /** The checks every ordering message shares, cheapest first; {@code null}: go on. */
    private Refusal admit(final Vote v, final long now) {
        if (v.shard() != s.committee.shard() || v.epoch() != s.committee.epoch()) {
            return Refusal.WRONG_COMMITTEE;
        }
        final int from = s.committee.indexOf(v.sender());
        if (from < 0) {
            return Refusal.UNKNOWN_SENDER;
        }
        if (from == s.self) {
            return Refusal.REPLAY; // this replica's own message, come back
        }
        if (s.mode != ReplicaState.Mode.ACTIVE) {
            return s.mode == ReplicaState.Mode.JOINING ? Refusal.NOT_READY : Refusal.CLOSED;
        }
        return null;
    }

    /**
     * A message of a later view than this replica operates in: verified, remembered as that
     * member's view claim (f + 1 such claims move this replica on), and held for the view.
     *
     * @return the refusal, or null when held
     */
    private Refusal later(final Message m, final Vote v, final int from, final long now) {
        if (!s.verifier.verify(v.sender(), v.signedBytes(), v.signature())) {
            return Refusal.BAD_SIGNATURE;
        }
        replica.viewChanges().claim(from, v.view(), now);
        final Refusal full = s.early.hold(from, v.view(), m);
        if (full != null) {
            return full;
        }
        s.counters.held++;
        return null;
    }

    private boolean current(final long view) {
        return !s.changing && view == s.view;
    }

    private boolean future(final long view) {
        return s.changing ? view >= s.changingTo : view > s.view;
    }

    Refusal onProposal(final Proposal p, final long now) {
        final Vote pp = p.header();
        final Refusal r = admit(pp, now);
        if (r != null) {
            return r;
        }
        final int from = s.committee.indexOf(pp.sender());
        if (!current(pp.view())) {
            return future(pp.view()) ? later(p, pp, from, now) : Refusal.WRONG_VIEW;
        }
        if (from != s.primary()) {
            return Refusal.NOT_PRIMARY;
        }
        if (!s.inWindow(pp.seq())) {
            return Refusal.OUTSIDE_WATERMARKS;
        }
        if (s.closing != null && pp.seq() > s.closing.closingSeq()) {
            return Refusal.CLOSED;
        }
        final Slot existing = s.slots.get(pp.seq());
        if (existing != null && existing.prePrepare != null) {
            if (existing.prePrepare.sameAs(pp)) {
                return Refusal.REPLAY;
            }
            if (!s.verifier.verify(pp.sender(), pp.signedBytes(), pp.signature())) {
                return Refusal.BAD_SIGNATURE;
            }
            if (!Arrays.equals(existing.prePrepare.digest(), pp.digest())) {
                replica.viewChanges().equivocation(existing.prePrepare, pp, now);
            }
            return Refusal.CONFLICT;
        }
        final byte[] digest = p.batch().digest();
        if (!Arrays.equals(digest, pp.digest())) {
            return Refusal.DIGEST_MISMATCH;
        }
        if (!s.verifier.verify(pp.sender(), pp.signedBytes(), pp.signature())) {
            return Refusal.BAD_SIGNATURE;
        }
        for (final Request req : p.batch().requests()) {
            if (!replica.batching().requestValid(req)) {
                return !req.isReconfiguration() && !s.verifier.knows(req.client()) ? awaitClient(p, req.client(), now) : Refusal.BAD_SIGNATURE;
            }
        }
        if (existing != null && existing.committed && !Arrays.equals(existing.committedDigest, digest)) {
            return Refusal.CONFLICT;
        }
        s.viewClaims[from] = Math.max(s.viewClaims[from], pp.view());
        acceptPrePrepare(pp, p.batch(), digest, now);
        return null;
    }

    /**
     * The primary's pre-prepare (its signature checked) names a client this replica has no key for:
     * the client's own copy of the request, which brings the key, is usually just behind. Held
     * until a request arrives ({@link #retryAwaiting}); refusing it would leave this replica
     * without the slot, and its request timer would change view alone.
     */
    private Refusal awaitClient(final Proposal p, final long client, final long now) {
        final long seq = p.header().seq();
        s.awaitingClients.values().removeIf(h -> h.header().view() != s.view || !s.inWindow(h.header().seq()));
        final Proposal before = s.awaitingClients.get(seq);
        if (before != null) {
            if (!Arrays.equals(before.header().digest(), p.header().digest())) {
                replica.viewChanges().equivocation(before.header(), p.header(), now); // both signed by the primary
                return Refusal.CONFLICT;
            }
            return Refusal.REPLAY;
        }
        if (s.awaitingClients.size() >= s.window) {
            return Refusal.FULL;
        }
        s.awaitingClients.put(seq, p);
        s.counters.held++;
        if (s.log.debugEnabled()) {
            s.log.debug(s.who() + ": holding the pre-prepare of seq " + seq + " until client " + dev.vigil.daemon.core.LogIds.peer(client, null) + " is known");
        }
        return null;
    }

    /** A client's request arrived: held pre-prepares whose clients are all known now are handled again. */
    void retryAwaiting(final long now) {
        if (s.awaitingClients.isEmpty()) {
            return;
        }
        final List<Proposal> ready = new ArrayList<>();
        final Iterator<Map.Entry<Long, Proposal>> it = s.awaitingClients.entrySet().iterator();
        while (it.hasNext()) {
            final Proposal p = it.next().getValue();
            if (p.header().view() != s.view || !s.inWindow(p.header().seq())) {
                it.remove(); // stale: a new view re-proposes what matters, a checkpoint moved past it
            } else if (p.batch().requests().stream().allMatch(r -> r.isReconfiguration() || s.verifier.knows(r.client()))) {
                it.remove();
                ready.add(p);
            }
        }
        for (final Proposal p : ready) {
            replica.dispatch(p, now);
        }
    }

    /** A backup takes a pre-prepare (normal case or from a new-view): persist, then prepare. */
    void acceptPrePrepare(final Vote pp, final Batch batch, final byte[] digest, final long now) {
        replica.retransmission().workBegins(now);
        final Slot slot = s.slot(pp.seq());
        slot.accept(pp, batch, digest);
        s.pending.markProposed(batch, true);
        final Vote prepare = Vote.signed(MessageKind.PREPARE, s.committee, s.signer, pp.view(), pp.seq(), digest);
        slot.prepares[s.self] = prepare;
        s.effects.persist(new LogRecord.Accepted(pp, batch));
        s.effects.broadcast(prepare.encode());
        checkPrepared(slot, now);
        checkCommitted(slot, now);
    }

    Refusal onVote(final Vote v, final long now) {
        final Refusal r = admit(v, now);
        if (r != null) {
            return r;
        }
        final int from = s.committee.indexOf(v.sender());
        if (!current(v.view())) {
            return future(v.view()) ? later(v, v, from, now) : Refusal.WRONG_VIEW;
        }
        final boolean prepare = v.kind() == MessageKind.PREPARE;
        if (prepare && from == s.primary()) {
            return Refusal.NOT_PRIMARY;
        }
        if (!s.inWindow(v.seq())) {
            return Refusal.OUTSIDE_WATERMARKS;
        }
        if (s.closing != null && v.seq() > s.closing.closingSeq()) {
            return Refusal.CLOSED;
        }
        final Slot existingSlot = s.slots.get(v.seq());
        final Vote existing = existingSlot == null ? null : (prepare ? existingSlot.prepares : existingSlot.commits)[from];
        if (existing != null && existing.sameAs(v)) {
            replica.retransmission().helpLaggard(from, s.h, v.seq(), now); // a vote sent again: its sender is still waiting
            return Refusal.REPLAY;
        }
        if (!s.verifier.verify(v.sender(), v.signedBytes(), v.signature())) {
            return Refusal.BAD_SIGNATURE;
        }
        if (existing != null) {
            return Refusal.CONFLICT;
        }
        s.viewClaims[from] = Math.max(s.viewClaims[from], v.view());
        final Slot slot = s.slot(v.seq());
        (prepare ? slot.prepares : slot.commits)[from] = v;
        if (prepare) {
            checkPrepared(slot, now);
        }
        checkCommitted(slot, now);
        return null;
    }

    /** Pre-prepare and 2f matching prepares from backups: persist the certificate, then commit. */
    void checkPrepared(final Slot slot, final long now) {
        if (slot.prepared || slot.prePrepare == null || slot.matchingPrepares(s.primary()) < 2 * s.f) {
            return;
        }
        slot.prepared = true;
        final List<Vote> proof = new ArrayList<>();
        for (int i = 0; i < s.n; i++) {
            final Vote p = slot.prepares[i];
            if (i != s.primary() && p != null && p.matches(slot.votesView, slot.seq, slot.digest)) {
                proof.add(p);
            }
        }
        proof.sort((a, b) -> Long.compareUnsigned(a.sender(), b.sender()));
        final PreparedCertificate certificate = new PreparedCertificate(slot.prePrepare, proof);
        slot.preparedCertificate = certificate;
        slot.preparedBatch = slot.batch;
        final Vote commit = Vote.signed(MessageKind.COMMIT, s.committee, s.signer, slot.votesView, slot.seq, slot.digest);
        slot.commits[s.self] = commit;
        s.effects.persist(new LogRecord.Prepared(certificate));
        s.effects.broadcast(commit.encode());
        checkCommitted(slot, now);
    }

    /**
     * 2f + 1 matching commits and the batch: final. (Prepared here is not required: 2f + 1 commits
     * mean f + 1 honest replicas prepared it, which is what makes it survive view changes.)
     */
    void checkCommitted(final Slot slot, final long now) {
        if (slot.committed || slot.batch == null || slot.matchingCommits() < s.quorum) {
            return;
        }
        final List<Vote> proof = new ArrayList<>();
        for (final Vote c : slot.commits) {
            if (c != null && c.matches(slot.votesView, slot.seq, slot.digest)) {
                proof.add(c);
            }
        }
        proof.sort((a, b) -> Long.compareUnsigned(a.sender(), b.sender()));
        commit(slot, slot.prePrepare, proof, slot.batch, now);
    }

    /** Final: persist, then execute what is next in line. */
    private void commit(final Slot slot, final Vote prePrepare, final List<Vote> proof, final Batch batch, final long now) {
        slot.committed = true;
        slot.committedDigest = prePrepare.digest();
        slot.committedBatch = batch;
        slot.committedPrePrepare = prePrepare;
        slot.committedProof = List.copyOf(proof);
        // the primary is making progress even if this replica cannot execute yet: no view change for that
        s.progress(now);
        s.effects.persist(new LogRecord.Committed(slot.seq, slot.committedDigest, batch));
        replica.execution().executeReady(now, false);
    }

    /** A commit certificate from a member helping this replica catch up: valid in any view. */
    Refusal onCommitted(final Committed c, final long now) {
        final int from = s.committee.indexOf(c.sender());
        final Refusal refused = s.admit(c.shard(), c.epoch(), from);
        if (refused != null) {
            return refused;
        }
        if (!s.inWindow(c.seq())) {
            return Refusal.OUTSIDE_WATERMARKS;
        }
        if (s.closing != null && c.seq() > s.closing.closingSeq()) {
            return Refusal.CLOSED;
        }
        final Slot existing = s.slots.get(c.seq());
        if (existing != null && existing.committed) {
            return Refusal.REPLAY;
        }
        if (!s.verifier.verify(c.sender(), c.signedBytes(), c.signature())) {
            return Refusal.BAD_SIGNATURE;
        }
        if (!Certificates.committedValid(c.prePrepare(), c.commits(), s.committee, s.verifier)) {
            return Refusal.BAD_CERTIFICATE;
        }
        commit(s.slot(c.seq()), c.prePrepare(), c.commits(), c.batch(), now);
        return null;
    }
}
