package dev.vigil.daemon.consensus;

import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * Rebuilds a restarted replica from its {@link ConsensusLog}: the state at its last stable
 * checkpoint that it holds, the view it was in (or was changing to), the pre-prepares it
 * accepted, the certificates it prepared, the batches it committed, its own checkpoints. Its
 * own prepares and commits are signed again (Ed25519 is deterministic, so they are the same
 * bytes), never sent again unasked, and never contradicted. Then it executes again what it had
 * committed (deliveries marked {@code recovered}) and asks the others for newer state.
 *
 * <p>What is not persisted and is lost: other replicas' prepares, commits and checkpoints
 * (a restarted replica therefore may not finish the instances it was in; it catches up at the
 * next stable checkpoint), pending requests (clients resend), the new-view it installed.
 */
final class Recovery {
    private final ReplicaState s;
    private final Replica replica;

    Recovery(final ReplicaState s, final Replica replica) {
        this.s = s;
        this.replica = replica;
    }

    void rebuild(final List<LogRecord> records, final long now) {
        LogRecord.Base base = null;
        LogRecord.Stable withState = null;
        LogRecord.Stable latest = null;
        LogRecord.View view = null;
        long installed = 0;
        for (final LogRecord r : records) {
            if (r instanceof LogRecord.Base b) {
                base = b;
            } else if (r instanceof LogRecord.Stable st) {
                if (latest == null || st.seq() >= latest.seq()) {
                    latest = st;
                }
                if (st.snapshot().length > 0 && (withState == null || st.seq() >= withState.seq())) {
                    withState = st;
                }
            } else if (r instanceof LogRecord.View v) {
                view = v;
                if (!v.changing()) {
                    installed = Math.max(installed, v.view());
                }
            } else if (r instanceof LogRecord.Accepted a) {
                // a log may keep only the latest view record: what this replica accepted or prepared in shows what it installed
                installed = Math.max(installed, a.prePrepare().view());
            } else if (r instanceof LogRecord.Prepared p) {
                installed = Math.max(installed, p.certificate().view());
            }
        }
        if (base == null || withState == null || view == null) {
            throw new IllegalArgumentException("a consensus log without its base, a stable state or a view cannot be recovered");
        }
        s.baseSeq = base.seq();
        s.baseDigest = base.stateDigest();
        restoreState(withState);
        if (latest.seq() > withState.seq()) {
            s.h = latest.seq();
            s.stable = latest.certificate();
            s.stableSnapshot = null;
        }
        s.view = view.changing() ? Math.min(installed, view.view() - 1) : view.view();
        s.changing = view.changing();
        s.changingTo = view.view();
        s.lastAssigned = s.h;
        s.progress(now);
        s.lastProposalMicros = now;

        final Map<String, Batch> batches = new HashMap<>();
        for (final LogRecord r : records) {
            if (r instanceof LogRecord.Accepted a && s.inWindow(a.seq())) {
                batches.put(key(a.prePrepare().digest()), a.batch());
                if (!s.changing && a.prePrepare().view() == s.view) {
                    accepted(a);
                }
            }
        }
        for (final LogRecord r : records) {
            if (r instanceof LogRecord.Prepared p && s.inWindow(p.seq())) {
                prepared(p.certificate(), batches.get(key(p.certificate().prePrepare().digest())));
            } else if (r instanceof LogRecord.Committed c && s.inWindow(c.seq())) {
                final Slot slot = s.slot(c.seq());
                slot.committed = true;
                slot.committedDigest = c.digest();
                slot.committedBatch = c.batch();
            } else if (r instanceof LogRecord.OwnCheckpoint o && s.inWindow(o.seq())) {
                s.ownCheckpoints.put(o.seq(), new byte[][] {o.stateDigest(), o.snapshot()});
                s.checkpoints.computeIfAbsent(o.seq(), x -> new Checkpoint[s.n])[s.self] =
                    Checkpoint.signed(s.committee, s.signer, o.seq(), o.stateDigest());
            }
        }
        s.log.info(s.who() + ": recovered view " + s.changingTo + (s.changing ? " (changing)" : "") + ", h = " + s.h
            + ", state at " + s.lastExecuted + ", " + s.slots.size() + " slots");
        replica.execution().executeReady(now, true);
        if (s.closing != null && s.h >= s.closing.closingSeq() && s.stableSnapshot != null) {
            replica.close(now);
            return;
        }
        if (s.changing) {
            final ViewChange own = replica.viewChanges().own(s.changingTo);
            s.keepViewChange(s.self, own);
            s.viewClaims[s.self] = s.changingTo;
            s.effects.broadcast(own.encode());
            s.arm(TimerKind.VIEW_CHANGE, now + s.timeoutMicros());
        }
        if (s.lastExecuted < s.h) {
            replica.stateTransfer().fetch(s.stable, now);
        } else {
            replica.stateTransfer().probe(now);
        }
    }

    private void restoreState(final LogRecord.Stable st) {
        final SystemSnapshot.Parts parts;
        try {
            parts = SystemSnapshot.decode(st.snapshot(), s.config.clientsMax(), s.config.snapshotBytesMax());
        } catch (final DecodeException e) {
            throw new IllegalArgumentException("the stable snapshot in the log does not decode: " + e.getMessage(), e);
        }
        replica.stateTransfer().restore(parts);
        s.h = st.seq();
        s.lastExecuted = st.seq();
        s.stable = st.certificate();
        s.stableSnapshot = st.snapshot();
    }

    private void accepted(final LogRecord.Accepted a) {
        final Vote pp = a.prePrepare();
        final Slot slot = s.slot(pp.seq());
        slot.accept(pp, a.batch(), pp.digest());
        if (s.committee.primaryIndex(pp.view()) == s.self) {
            s.lastAssigned = Math.max(s.lastAssigned, pp.seq());
        } else {
            slot.prepares[s.self] = Vote.signed(MessageKind.PREPARE, s.committee, s.signer, pp.view(), pp.seq(), pp.digest());
        }
    }

    private void prepared(final PreparedCertificate c, final Batch batch) {
        if (batch == null) {
            throw new IllegalArgumentException("prepared " + c.seq() + " without its batch in the log");
        }
        final Slot slot = s.slot(c.seq());
        if (slot.preparedCertificate == null || slot.preparedCertificate.view() <= c.view()) {
            slot.preparedCertificate = c;
            slot.preparedBatch = batch;
        }
        if (!s.changing && c.view() == s.view && slot.prePrepare != null) {
            slot.prepared = true;
            slot.commits[s.self] = Vote.signed(MessageKind.COMMIT, s.committee, s.signer, c.view(), c.seq(), c.prePrepare().digest());
        }
    }

    private static String key(final byte[] digest) {
        return HexFormat.of().formatHex(digest);
    }
}
