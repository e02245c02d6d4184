package dev.vigil.daemon.consensus;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Leaving a view and entering the next: on a request timeout, on proof that the primary
 * equivocated ({@link Accusation}), or when f + 1 members show a later view (one of them is
 * honest, so waiting would only delay). A replica that leaves a view persists that it did, then
 * sends a {@link ViewChange} with its stable certificate and prepared certificates; the new
 * primary, with 2f + 1 of them, sends a {@link NewView} whose proposals every backup recomputes
 * ({@link NewViewRule}). Timeouts double with each consecutive view change (capped) and reset
 * when a request executes.
 *
 * <p>Keeping honest replicas together (liveness): as in PBFT a replica moves on from a view it
 * changes to only when it holds 2f + 1 view-changes for that view and its timer ran out; until
 * then it resends its view-change each time its timer runs out. A view-change for a view this
 * replica already installed is answered with its new-view; one for a
 * view between its installed view and the one it changes to is answered with its own view-change
 * for that view (true: it left every view below), so replicas left behind can form a quorum and
 * climb to it. Both answers go to a member at most once per half timeout.
 */
final class ViewChanges {
    private final ReplicaState s;
    private final Replica replica;
    ViewChanges(final ReplicaState s, final Replica replica) {
        this.s = s;
        this.replica = replica;
    }

    void start(final long newView, final long now) {
        assert newView > (s.changing ? s.changingTo : s.view) : "view change to " + newView + " from " + s.view;
        s.changing = true;
        s.changingTo = newView;
        s.viewChangesInARow++;
        s.counters.viewChangesStarted++;
        s.pending.clearProposed();
        s.arm(TimerKind.REQUEST, ReplicaEffects.NEVER);
        s.arm(TimerKind.BATCH, ReplicaEffects.NEVER);
        s.early.take(newView - 1);
        s.awaitingClients.clear();
        final ViewChange own = own(newView);
        s.keepViewChange(s.self, own);
        s.viewClaims[s.self] = newView;
        s.effects.persist(new LogRecord.View(newView, true));
        s.effects.broadcast(own.encode());
        s.arm(TimerKind.VIEW_CHANGE, now + s.timeoutMicros());
        tryNewView(now);
    }

    /**
     * Whether this replica can truthfully send a view-change for {@code view}: every prepared
     * certificate it keeps is from a lower view (it keeps only the highest per sequence number).
     */
    private boolean canSpeakFor(final long view) {
        for (final Slot slot : s.slots.values()) {
            if (slot.preparedCertificate != null && slot.preparedCertificate.view() >= view) {
                return false;
            }
        }
        return true;
    }

    /** This replica's view-change: its stable certificate and every prepared certificate above it, with the batches. */
    ViewChange own(final long newView) {
        final List<PreparedCertificate> prepared = new ArrayList<>();
        final List<Batch> bodies = new ArrayList<>();
        for (final Slot slot : s.slots.values()) {
            if (slot.preparedCertificate != null) {
                prepared.add(slot.preparedCertificate);
                bodies.add(slot.preparedBatch);
            }
        }
        return ViewChange.signed(s.committee, s.signer, newView, s.stable, prepared, bodies);
    }

    void onTimer(final long now) {
        if (s.deadline(TimerKind.VIEW_CHANGE) > now) {
            return;
        }
        s.arm(TimerKind.VIEW_CHANGE, ReplicaEffects.NEVER);
        if (!s.changing || s.mode != ReplicaState.Mode.ACTIVE) {
            return;
        }
        if (s.viewChangesFor(s.changingTo) >= s.quorum) {
            s.log.info(s.who() + ": no new-view for view " + s.changingTo + "; trying view " + (s.changingTo + 1));
            start(s.changingTo + 1, now);
        } else {
            // no quorum here for this view yet: our view-change (or theirs) may have been lost
            s.effects.broadcast(s.viewChangeOf(s.self, s.changingTo).encode());
            s.arm(TimerKind.VIEW_CHANGE, now + s.timeoutMicros());
        }
    }

    /** A member showed {@code view} in a verified message; f + 1 members beyond ours move this replica to the lowest of theirs. */
    void claim(final int member, final long view, final long now) {
        s.viewClaims[member] = Math.max(s.viewClaims[member], view);
        if (s.n < 2 || s.mode != ReplicaState.Mode.ACTIVE) {
            return;
        }
        final long[] others = new long[s.n - 1];
        int j = 0;
        for (int i = 0; i < s.n; i++) {
            if (i != s.self) {
                others[j++] = s.viewClaims[i];
            }
        }
        Arrays.sort(others);
        final long fPlusOneth = others[others.length - 1 - s.f];
        if (fPlusOneth > (s.changing ? s.changingTo : s.view)) {
            start(fPlusOneth, now);
        }
    }

    Refusal onViewChange(final ViewChange vc, final long now) {
        final int from = s.committee.indexOf(vc.sender());
        final Refusal refused = s.admit(vc.shard(), vc.epoch(), from);
        if (refused != null) {
            return refused;
        }
        if (vc.newView() <= s.view) {
            if (!s.changing && s.installedNewView != null && s.mayHelp(s.newViewResentMicros, from, now)
                && s.verifier.verify(vc.sender(), vc.signedBytes(), vc.signature())) {
                s.counters.newViewsResent++;
                s.effects.send(vc.sender(), s.installedNewView.encode());
            }
            return Refusal.WRONG_VIEW;
        }
        if (s.changing && vc.newView() < s.changingTo && canSpeakFor(vc.newView()) && s.mayHelp(s.viewChangeAnsweredMicros, from, now)
            && s.verifier.verify(vc.sender(), vc.signedBytes(), vc.signature())) {
            // it lags behind us: our view-change for its view lets it (and others there) reach a quorum
            s.effects.send(vc.sender(), own(vc.newView()).encode());
        }
        final ViewChange previous = s.viewChangeOf(from, vc.newView());
        if (previous != null) {
            // sent again: it is still waiting; if its checkpoint is behind ours it also lags in execution
            replica.retransmission().helpLaggard(from, previous.stable().seq(), s.lastExecuted, now);
            return Refusal.REPLAY;
        }
        if (!s.verifier.verify(vc.sender(), vc.signedBytes(), vc.signature())) {
            return Refusal.BAD_SIGNATURE;
        }
        if (!Certificates.viewChangeValid(vc, s.committee, s.verifier, s.window, s.baseSeq, s.baseDigest)) {
            return Refusal.BAD_CERTIFICATE;
        }
        s.keepViewChange(from, vc);
        replica.retransmission().helpLaggard(from, vc.stable().seq(), s.lastExecuted, now);
        claim(from, vc.newView(), now);
        tryNewView(now);
        return null;
    }

    /** The primary of the view being entered, holding 2f + 1 view-changes for it, starts it. */
    private void tryNewView(final long now) {
        if (!s.changing || s.committee.primaryIndex(s.changingTo) != s.self) {
            return;
        }
        final List<ViewChange> forView = new ArrayList<>();
        for (int i = 0; i < s.n; i++) {
            final ViewChange vc = s.viewChangeOf(i, s.changingTo);
            if (vc != null) {
                forView.add(vc);
            }
        }
        if (forView.size() < s.quorum) {
            return;
        }
        forView.sort((a, b) -> Long.compareUnsigned(a.sender(), b.sender()));
        final List<ViewChange> chosen = forView.subList(0, s.quorum);
        final NewViewRule.Outcome outcome = NewViewRule.compute(chosen);
        final List<Vote> prePrepares = new ArrayList<>();
        final List<Batch> bodies = new ArrayList<>();
        for (final NewViewRule.Entry e : outcome.entries()) {
            prePrepares.add(Vote.signed(MessageKind.PRE_PREPARE, s.committee, s.signer, s.changingTo, e.seq(), e.digest()));
            bodies.add(e.from() == null ? Batch.EMPTY : bodyOf(chosen, e.from()));
        }
        final NewView nv = NewView.signed(s.committee, s.signer, s.changingTo, chosen, prePrepares, bodies);
        install(nv, outcome.stable(), true, now);
    }

    private static Batch bodyOf(final List<ViewChange> viewChanges, final PreparedCertificate certificate) {
        for (final ViewChange vc : viewChanges) {
            final int i = vc.prepared().indexOf(certificate);
            if (i >= 0) {
                return vc.bodies().get(i);
            }
        }
        throw new IllegalStateException("no body for " + certificate.prePrepare());
    }

    Refusal onNewView(final NewView nv, final long now) {
        final int from = s.committee.indexOf(nv.sender());
        final Refusal refused = s.admit(nv.shard(), nv.epoch(), from);
        if (refused != null) {
            return refused;
        }
        if (from != s.committee.primaryIndex(nv.view())) {
            return Refusal.NOT_PRIMARY;
        }
        if (s.changing ? nv.view() < s.changingTo : nv.view() <= s.view) {
            return nv.view() == s.view ? Refusal.REPLAY : Refusal.WRONG_VIEW;
        }
        if (!s.verifier.verify(nv.sender(), nv.signedBytes(), nv.signature())) {
            return Refusal.BAD_SIGNATURE;
        }
        if (!newViewValid(nv)) {
            // signed by the primary and wrong: that primary is faulty
            if (!s.changing || s.changingTo <= nv.view()) {
                start(nv.view() + 1, now);
            }
            return Refusal.BAD_CERTIFICATE;
        }
        install(nv, NewViewRule.compute(nv.viewChanges()).stable(), false, now);
        return null;
    }

    private boolean newViewValid(final NewView nv) {
        if (nv.viewChanges().size() < s.quorum) {
            return false;
        }
        for (final ViewChange vc : nv.viewChanges()) {
            if (vc.shard() != s.committee.shard() || vc.epoch() != s.committee.epoch() || s.committee.indexOf(vc.sender()) < 0
                || !s.verifier.verify(vc.sender(), vc.signedBytes(), vc.signature())
                || !Certificates.viewChangeValid(vc, s.committee, s.verifier, s.window, s.baseSeq, s.baseDigest)) {
                return false;
            }
        }
        final List<NewViewRule.Entry> expected = NewViewRule.compute(nv.viewChanges()).entries();
        if (expected.size() != nv.prePrepares().size()) {
            return false;
        }
        for (int i = 0; i < expected.size(); i++) {
            final Vote pp = nv.prePrepares().get(i);
            if (pp.seq() != expected.get(i).seq() || !Arrays.equals(pp.digest(), expected.get(i).digest())
                || pp.shard() != s.committee.shard() || pp.epoch() != s.committee.epoch()
                || !s.verifier.verify(pp.sender(), pp.signedBytes(), pp.signature())) {
                return false;
            }
        }
        return true;
    }

    /**
     * Enters the new-view's view: persist the view and each proposal, adopt a higher stable
     * checkpoint, then send (the new-view as primary, prepares as backup), then replay what was held.
     */
    private void install(final NewView nv, final StableCertificate stable, final boolean asPrimary, final long now) {
        final long w = nv.view();
        s.view = w;
        s.changing = false;
        s.changingTo = w;
        s.installedNewView = nv;
        s.viewClaims[s.self] = w;
        s.counters.newViewsInstalled++;
        s.arm(TimerKind.VIEW_CHANGE, ReplicaEffects.NEVER);
        s.effects.persist(new LogRecord.View(w, false));
        if (stable.seq() > s.h) {
            replica.checkpoints().advance(stable, null, now);
        }
        for (final Slot slot : s.slots.values()) {
            slot.enterView(w);
        }
        s.pending.clearProposed();
        final List<Vote> prepares = new ArrayList<>();
        long highest = s.h;
        for (int i = 0; i < nv.prePrepares().size(); i++) {
            final Vote pp = nv.prePrepares().get(i);
            final Batch batch = nv.bodies().get(i);
            if (!s.inWindow(pp.seq())) {
                if (pp.seq() > s.h) {
                    s.counters.outsideWindowDropped++;
                }
                continue;
            }
            final Slot slot = s.slot(pp.seq());
            if (slot.committed && !Arrays.equals(slot.committedDigest, pp.digest())) {
                throw new IllegalStateException("new view " + w + " proposes " + pp + " where " + slot.seq + " committed another batch");
            }
            slot.accept(pp, batch, pp.digest());
            s.pending.markProposed(batch, true);
            s.effects.persist(new LogRecord.Accepted(pp, batch));
            if (!asPrimary) {
                final Vote prepare = Vote.signed(MessageKind.PREPARE, s.committee, s.signer, w, pp.seq(), pp.digest());
                slot.prepares[s.self] = prepare;
                prepares.add(prepare);
            }
            highest = Math.max(highest, pp.seq());
        }
        s.lastAssigned = highest;
        if (asPrimary) {
            s.effects.broadcast(nv.encode());
        }
        for (final Vote p : prepares) {
            s.effects.broadcast(p.encode());
        }
        s.progress(now);
        s.log.info(s.who() + ": view " + w + " installed (" + nv.prePrepares().size() + " proposals carried over)");
        for (final Slot slot : List.copyOf(s.slots.values())) {
            replica.normal().checkPrepared(slot, now);
            replica.normal().checkCommitted(slot, now);
        }
        for (final Message m : s.early.take(w)) {
            replica.dispatch(m, now);
        }
    }

    /** Two pre-prepares of the current primary for one (view, seq): accuse it to everyone and leave the view. */
    void equivocation(final Vote first, final Vote second, final long now) {
        s.counters.equivocations++;
        s.log.peerWarn(first.sender(), null, s.who() + ": primary " + dev.vigil.daemon.core.LogIds.peer(first.sender(), null) + " equivocated at view " + first.view() + " seq "
            + first.seq() + "; accusing it and changing view");
        s.effects.broadcast(Accusation.signed(s.committee, s.signer, first, second).encode());
        if (!s.changing && s.view == first.view()) {
            start(s.view + 1, now);
        }
    }

    Refusal onAccusation(final Accusation a, final long now) {
        if (a.shard() != s.committee.shard() || a.epoch() != s.committee.epoch()
            || a.first().shard() != s.committee.shard() || a.first().epoch() != s.committee.epoch()) {
            return Refusal.WRONG_COMMITTEE;
        }
        final int from = s.committee.indexOf(a.sender());
        if (from < 0) {
            return Refusal.UNKNOWN_SENDER;
        }
        if (from == s.self) {
            return Refusal.REPLAY;
        }
        if (s.mode != ReplicaState.Mode.ACTIVE) {
            return s.mode == ReplicaState.Mode.JOINING ? Refusal.NOT_READY : Refusal.CLOSED;
        }
        if (s.changing || a.first().view() != s.view) {
            return Refusal.WRONG_VIEW;
        }
        if (s.committee.indexOf(a.first().sender()) != s.primary()) {
            return Refusal.NOT_PRIMARY;
        }
        if (!s.verifier.verify(a.sender(), a.signedBytes(), a.signature())
            || !s.verifier.verify(a.first().sender(), a.first().signedBytes(), a.first().signature())
            || !s.verifier.verify(a.second().sender(), a.second().signedBytes(), a.second().signature())) {
            return Refusal.BAD_SIGNATURE;
        }
        s.counters.equivocations++;
        start(s.view + 1, now);
        return null;
    }
}
