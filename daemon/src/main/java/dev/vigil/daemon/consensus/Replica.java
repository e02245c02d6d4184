package dev.vigil.daemon.consensus;

import dev.vigil.daemon.core.InternalErrors;
import dev.vigil.daemon.core.NodeLog;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * One node's replica in one shard's committee for one epoch: PBFT with batching, checkpoints,
 * watermarks, view changes, state transfer and a reconfiguration that closes the epoch.
 * Sans-I/O: driven only by {@link #onMessage}, {@link #onTimer} and {@link #proposeReconfiguration},
 * each bringing {@code nowMicros}, on one thread; acts only through {@link ReplicaEffects}. The
 * same inputs in the same order give the same effects, byte for byte.
 *
 * <p><b>Where things are.</b> This class is the public face (factories, decoding, dispatch, the
 * order of work after each input); the sub-protocols share one {@link ReplicaState}:
 * {@link Batching} (requests, batches, padding), {@link NormalCase} (pre-prepare, prepare, commit,
 * commit certificates), {@link Retransmission} (the request timer, retransmission, helping members
 * that lag), {@link Execution}
 * (ordered execution, client table, the epoch's closing), {@link Checkpoints} (checkpoints,
 * stability, watermarks, garbage collection), {@link ViewChanges} (view-change, new-view,
 * accusations), {@link StateTransfer} (fetching a certified snapshot) and {@link Recovery}
 * (rebuilding from the {@link ConsensusLog}).
 *
 * <p>Every inbound message ends in exactly one counter ({@link ConsensusCounters}). An exception
 * out of a handler for a message that decoded, or a broken invariant, is a bug, not hostile
 * input: counted as an internal error, logged once per code location with its stack trace.
 */
public final class Replica {
    private static final int BUG_LOCATIONS_MAX = 64;

    private final ReplicaState s;
    private final Batching batching;
    private final NormalCase normal;
    private final Retransmission retransmission;
    private final Execution execution;
    private final Checkpoints checkpoints;
    private final ViewChanges viewChanges;
    private final StateTransfer stateTransfer;
    private final Set<String> bugLocations = new HashSet<>();

    private Replica(final ReplicaState s) {
        this.s = s;
        this.batching = new Batching(s, this);
        this.normal = new NormalCase(s, this);
        this.retransmission = new Retransmission(s, this);
        this.execution = new Execution(s, this);
        this.checkpoints = new Checkpoints(s, this);
        this.viewChanges = new ViewChanges(s, this);
        this.stateTransfer = new StateTransfer(s, this);
    }

    /** A member of an epoch that starts empty at sequence 0 (a shard's first committee). */
    public static Replica start(final ConsensusConfig config, final Committee committee, final Signer signer, final Verifier verifier,
                                final ReplicatedState app, final ReplicaEffects effects, final NodeLog log, final long nowMicros) {
        final Replica r = new Replica(new ReplicaState(config, committee, signer, verifier, app, effects, log));
        r.begin(0, r.s.app.snapshot(), nowMicros);
        return r;
    }

    /**
     * A member of epoch e + 1 whose state is the closing checkpoint of {@code previous}, the committee
     * of epoch e (fetched from its members and checked against their certificate). Orders nothing
     * until it has it. A replica that restarts while joining joins again.
     */
    public static Replica join(final ConsensusConfig config, final Committee committee, final Committee previous, final Signer signer,
                               final Verifier verifier, final ReplicatedState app, final ReplicaEffects effects, final NodeLog log,
                               final long nowMicros) {
        if (previous.shard() != committee.shard() || previous.epoch() + 1 != committee.epoch()) {
            throw new IllegalArgumentException("epoch " + committee.epoch() + " of shard " + committee.shard()
                + " cannot follow " + previous.describe());
        }
        final Replica r = new Replica(new ReplicaState(config, committee, signer, verifier, app, effects, log));
        r.s.mode = ReplicaState.Mode.JOINING;
        r.s.previous = previous;
        r.s.stable = StableCertificate.base(0, new byte[Digests.LENGTH]);
        r.stateTransfer.join(nowMicros);
        return r;
    }

    /** A replica rebuilt after a restart from what it persisted (see {@link Recovery}). */
    public static Replica recover(final ConsensusConfig config, final Committee committee, final Signer signer, final Verifier verifier,
                                  final ReplicatedState app, final ReplicaEffects effects, final NodeLog log,
                                  final List<LogRecord> records, final long nowMicros) {
        final Replica r = new Replica(new ReplicaState(config, committee, signer, verifier, app, effects, log));
        r.guarded("recovery", () -> new Recovery(r.s, r).rebuild(records, nowMicros), nowMicros);
        return r;
    }

    /** The epoch's base: every member starts from the same state at {@code seq}. */
    private void begin(final long seq, final byte[] appSnapshot, final long now) {
        final byte[] snapshot = SystemSnapshot.encode(seq, s.clients, null, appSnapshot);
        final byte[] digest = s.signedSnapshotDigest(snapshot);
        s.baseSeq = seq;
        s.baseDigest = digest;
        s.h = seq;
        s.lastExecuted = seq;
        s.lastAssigned = seq;
        s.stable = StableCertificate.base(seq, digest);
        s.stableSnapshot = snapshot;
        s.mode = ReplicaState.Mode.ACTIVE;
        s.progress(now);
        s.lastProposalMicros = now;
        s.effects.persist(new LogRecord.Base(seq, digest));
        s.effects.persist(new LogRecord.Stable(s.stable, snapshot));
        s.effects.persist(new LogRecord.View(0, false));
        afterInput(now);
    }

    /** The previous committee's closing state arrived and verified: this epoch starts from it. */
    void joined(final SystemSnapshot.Parts parts, final long now) {
        stateTransfer.stop();
        stateTransfer.restore(new SystemSnapshot.Parts(parts.seq(), parts.clients(), null, parts.app()));
        s.counters.stateTransfers++;
        s.log.info(s.who() + ": joined at " + parts.seq() + " from the closing checkpoint of epoch " + s.previous.epoch());
        begin(parts.seq(), parts.app(), now);
    }

    /** The epoch closed at its stable closing checkpoint: from now on this replica only serves it. */
    void close(final long now) {
        if (s.mode == ReplicaState.Mode.CLOSED) {
            return;
        }
        s.mode = ReplicaState.Mode.CLOSED;
        s.pending.clear();
        stateTransfer.stop();
        for (final TimerKind t : TimerKind.values()) {
            s.arm(t, ReplicaEffects.NEVER);
        }
        s.log.info(s.who() + ": epoch closed at " + s.h + "; serving its state to " + (s.next == null ? "?" : s.next.describe()));
        s.effects.epochClosed(s.stable);
    }

    // ---------------------------------------------------------------- inputs

    /** One message as received. Never throws: bad input is refused and counted by reason. */
    public void onMessage(final byte[] bytes, final long nowMicros) {
        final Messages.Decoded d = Messages.decode(bytes, s.limits);
        if (!d.ok()) {
            s.counters.refuse(d.refusal());
            if (s.log.debugEnabled()) {
                s.log.debug(s.who() + ": refused " + d.refusal().label + ": " + d.detail());
            }
            return;
        }
        guarded(d.message().kind().label, () -> dispatch(d.message(), nowMicros), nowMicros);
    }

    public void onTimer(final TimerKind kind, final long nowMicros) {
        guarded("timer " + kind, () -> {
            switch (kind) {
                case BATCH -> {
                    // maybePropose runs after every input
                }
                case REQUEST -> retransmission.onRequestTimer(nowMicros);
                case VIEW_CHANGE -> viewChanges.onTimer(nowMicros);
                case STATE -> stateTransfer.onTimer(nowMicros);
                case CATCH_UP -> checkpoints.onCatchUpTimer(nowMicros);
            }
        }, nowMicros);
    }

    /**
     * A new directory epoch arrived: submit the reconfiguration request that closes this epoch.
     * Every member does; the first ordered one executes, the others are duplicates.
     */
    public void proposeReconfiguration(final CommitteeDirectory next, final long nowMicros) {
        guarded("reconfiguration", () -> dispatch(Request.reconfiguration(s.committee.shard(), next), nowMicros), nowMicros);
    }

    /** Routes one decoded message to its sub-protocol and counts its fate: accepted, refused or held. */
    void dispatch(final Message m, final long now) {
        final long heldBefore = s.counters.held;
        final Refusal refusal;
        if (m instanceof Request r) {
            refusal = batching.onRequest(r, now);
            normal.retryAwaiting(now); // it may have brought a client's key that a held pre-prepare waits for
        } else if (m instanceof Proposal p) {
            refusal = normal.onProposal(p, now);
        } else if (m instanceof Vote v) {
            refusal = v.kind() == MessageKind.PRE_PREPARE ? Refusal.MALFORMED : normal.onVote(v, now);
        } else if (m instanceof Checkpoint c) {
            refusal = checkpoints.onCheckpoint(c, now);
        } else if (m instanceof ViewChange vc) {
            refusal = viewChanges.onViewChange(vc, now);
        } else if (m instanceof NewView nv) {
            refusal = viewChanges.onNewView(nv, now);
        } else if (m instanceof StateRequest sr) {
            refusal = stateTransfer.onStateRequest(sr, now);
        } else if (m instanceof StateReply sr) {
            refusal = stateTransfer.onStateReply(sr, now);
        } else if (m instanceof Accusation a) {
            refusal = viewChanges.onAccusation(a, now);
        } else if (m instanceof Committed c) {
            refusal = normal.onCommitted(c, now);
        } else {
            throw new IllegalStateException("no handler for " + m.kind());
        }
        if (refusal != null) {
            s.counters.refuse(refusal);
            if (s.log.debugEnabled()) {
                s.log.debug(s.who() + ": refused " + m.kind().label + " from " + dev.vigil.daemon.core.LogIds.peer(m.sender(), null) + ": " + refusal.label);
            }
        } else if (s.counters.held == heldBefore) {
            s.counters.accept(m.kind());
        }
    }

    private void guarded(final String during, final Runnable action, final long now) {
        try {
            action.run();
            afterInput(now);
        } catch (final RuntimeException | AssertionError e) {
            s.counters.internalErrors++;
            final String where = InternalErrors.location(e);
            if (bugLocations.size() < BUG_LOCATIONS_MAX && bugLocations.add(where)) {
                s.log.bug(s.who() + ": internal error handling " + during + " at " + where
                    + " (counted as internal-error; later ones there are only counted)", e);
            }
        }
    }

    /** After every input: the primary proposes what is due, timers follow the state, invariants hold. */
    private void afterInput(final long now) {
        if (s.mode == ReplicaState.Mode.ACTIVE) {
            batching.maybePropose(now);
            retransmission.armRequestTimer();
            if (s.changing && s.deadline(TimerKind.VIEW_CHANGE) == ReplicaEffects.NEVER) {
                s.arm(TimerKind.VIEW_CHANGE, now + s.timeoutMicros());
            }
        }
        if (s.config.checkInvariants()) {
            ReplicaInvariants.check(s);
        }
    }

    // ---------------------------------------------------------------- views for the sub-protocols

    Batching batching() {
        return batching;
    }

    Retransmission retransmission() {
        return retransmission;
    }

    NormalCase normal() {
        return normal;
    }

    Execution execution() {
        return execution;
    }

    Checkpoints checkpoints() {
        return checkpoints;
    }

    ViewChanges viewChanges() {
        return viewChanges;
    }

    StateTransfer stateTransfer() {
        return stateTransfer;
    }

    // ---------------------------------------------------------------- what operators and tests read

    public ConsensusCounters counters() {
        return s.counters;
    }

    public Committee committee() {
        return s.committee;
    }

    public ReplicaStatus status() {
        return ReplicaStatus.of(s);
    }

    /** The digest a checkpoint at lastExecuted would carry (null while the state is being fetched). */
    public byte[] stateDigest() {
        if (s.lastExecuted < s.h || s.mode == ReplicaState.Mode.JOINING) {
            return null;
        }
        return s.signedSnapshotDigest(SystemSnapshot.encode(s.lastExecuted, s.clients, s.closing, s.app.snapshot()));
    }

    /** Limits this replica decodes with. */
    public Limits limits() {
        return s.limits;
    }
}
