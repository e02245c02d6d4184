package dev.vigil.daemon.consensus;

import dev.vigil.daemon.core.NodeLog;

import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The one state object the sub-protocols of a {@link Replica} share (normal case, checkpoints,
 * view changes, state transfer). No clock and no randomness of its own: every input brings
 * {@code nowMicros}. Sequence numbers: h (low watermark, the last stable checkpoint) ≤
 * lastExecuted and every slot lies in (h, h + L]; lastExecuted may fall below h only while this
 * replica fetches the state at h.
 */
final class ReplicaState {
    /** Where a replica is in its epoch's life. */
    enum Mode {
        /** Fetching the previous committee's closing checkpoint; orders nothing yet. */
        JOINING,
        ACTIVE,
        /** The epoch closed (stable closing checkpoint): serves state to the next committee, nothing else. */
        CLOSED
    }

    final ConsensusConfig config;
    final Committee committee;
    final int self;
    final long selfId;
    final int n;
    final int f;
    final int quorum;
    final int k;
    final int window;
    final Signer signer;
    final Verifier verifier;
    final ReplicatedState app;
    final ReplicaEffects effects;
    final NodeLog log;
    final Limits limits;
    final ConsensusCounters counters = new ConsensusCounters();

    Mode mode = Mode.ACTIVE;
    /** The committee this one took over from (joining only), or null. */
    Committee previous;

    long view;
    boolean changing;
    /** The view this replica is changing to; equals {@link #view} when not changing. */
    long changingTo;
    /** View changes since a request last executed: the exponent of the timeout. */
    int viewChangesInARow;
    /** The new-view that installed {@link #view} (null for view 0 and after a restart): resent to replicas left behind. */
    NewView installedNewView;
    /** Per member: the highest view it showed in a message whose signature verified. */
    final long[] viewClaims;
    /** View-changes kept per member: its {@value} highest, with bodies (a member that moved on still counts for a lower view). */
    static final int VIEW_CHANGES_PER_MEMBER = 4;
    /** Per member: its view-changes for its highest views, highest first, with bodies. */
    final ViewChange[][] viewChanges;
    /** Per member: when this replica, being further ahead, last answered its view-change with its own. */
    final long[] viewChangeAnsweredMicros;
    /** Per member: when this replica last resent it the new-view (at most once per half timeout). */
    final long[] newViewResentMicros;
    /** Per member: when this replica last helped it catch up (commits, certificates; at most once per half timeout). */
    final long[] helpedMicros;

    /** The epoch's start: every member starts from this sequence number and state digest. */
    long baseSeq;
    byte[] baseDigest;
    long h;
    StableCertificate stable;
    /** A stable certificate above h within the window that this replica has not executed to yet (held a grace period). */
    StableCertificate pendingStable;
    /** The state at h (the system snapshot), or null while this replica lacks it. */
    byte[] stableSnapshot;
    long lastExecuted;
    /** Primary: the last sequence number it proposed (or that the new-view covered). */
    long lastAssigned;
    final TreeMap<Long, Slot> slots = new TreeMap<>();

    /** Own checkpoints above h: seq to {digest, snapshot}. At most L / K + 1. */
    final TreeMap<Long, byte[][]> ownCheckpoints = new TreeMap<>();
    /** Checkpoint messages for seq in (h, h + L], per seq by member. */
    final TreeMap<Long, Checkpoint[]> checkpoints = new TreeMap<>();
    /** Per member, its latest checkpoint above h + L: how a replica far behind learns it is. */
    final Checkpoint[] checkpointsAhead;

    final PendingRequests pending;
    final ClientTable clients;
    SystemSnapshot.Closing closing;
    /** The next epoch's committee for this shard, once the reconfiguration executed. */
    Committee next;
    final EarlyMessages early;
    /**
     * Pre-prepares of the current view held because a request in them names a client whose key
     * this replica does not hold yet, by seq: at most one per seq in the window, retried when a
     * request of a client arrives, dropped when they no longer fit the view or the window.
     */
    final TreeMap<Long, Proposal> awaitingClients = new TreeMap<>();

    /** When the request timer last restarted: pending became non-empty, or something committed. */
    long progressMarkMicros;
    /** Whether this replica already retransmitted its votes since {@link #progressMarkMicros}. */
    boolean retransmitted;
    long lastProposalMicros;
    private final Map<TimerKind, Long> deadlines = new EnumMap<>(TimerKind.class);

    ReplicaState(final ConsensusConfig config, final Committee committee, final Signer signer, final Verifier verifier,
                 final ReplicatedState app, final ReplicaEffects effects, final NodeLog log) {
        this.config = config;
        this.committee = committee;
        this.selfId = signer.id();
        this.self = committee.indexOf(selfId);
        if (self < 0) {
            throw new IllegalArgumentException("node " + Long.toHexString(selfId) + " is not a member of " + committee.describe());
        }
        this.n = committee.n();
        this.f = committee.f();
        this.quorum = committee.quorum();
        this.k = config.checkpointSeqs();
        this.window = config.windowSeqs();
        this.signer = signer;
        this.verifier = verifier;
        this.app = app;
        this.effects = effects;
        this.log = log;
        this.limits = Limits.of(config, n);
        this.viewClaims = new long[n];
        this.viewChanges = new ViewChange[n][VIEW_CHANGES_PER_MEMBER];
        this.viewChangeAnsweredMicros = new long[n];
        this.helpedMicros = new long[n];
        this.newViewResentMicros = new long[n];
        Arrays.fill(newViewResentMicros, Long.MIN_VALUE / 2);
        Arrays.fill(viewChangeAnsweredMicros, Long.MIN_VALUE / 2);
        Arrays.fill(helpedMicros, Long.MIN_VALUE / 2);
        this.checkpointsAhead = new Checkpoint[n];
        this.pending = new PendingRequests(config.pendingRequestsMax(), config.pendingPerClientMax());
        this.clients = new ClientTable(config.clientsMax());
        this.early = new EarlyMessages(config.earlyMessagesMax(), n);
        for (final TimerKind t : TimerKind.values()) {
            deadlines.put(t, ReplicaEffects.NEVER);
        }
    }

    /** The member's view-change for exactly {@code view}, or null. */
    ViewChange viewChangeOf(final int member, final long view) {
        for (final ViewChange vc : viewChanges[member]) {
            if (vc != null && vc.newView() == view) {
                return vc;
            }
        }
        return null;
    }

    /** Keeps a member's view-change among its {@link #VIEW_CHANGES_PER_MEMBER} highest (the lowest is dropped at the bound). */
    void keepViewChange(final int member, final ViewChange vc) {
        final ViewChange[] kept = viewChanges[member];
        int at = kept.length;
        for (int i = 0; i < kept.length; i++) {
            if (kept[i] == null || kept[i].newView() <= vc.newView()) {
                at = i;
                break;
            }
        }
        if (at == kept.length) {
            return;
        }
        if (kept[at] != null && kept[at].newView() == vc.newView()) {
            kept[at] = vc;
            return;
        }
        System.arraycopy(kept, at, kept, at + 1, kept.length - at - 1);
        kept[at] = vc;
    }

    /** How many members (this one included) sent a view-change for exactly {@code view}. */
    int viewChangesFor(final long view) {
        int count = 0;
        for (int i = 0; i < n; i++) {
            count += viewChangeOf(i, view) != null ? 1 : 0;
        }
        return count;
    }

    /** Progress: the request timer starts over (first retransmission, then a view change). */
    void progress(final long now) {
        progressMarkMicros = now;
        retransmitted = false;
    }

    /**
     * The checks every message from another member passes first, in this order: for this shard and
     * epoch, from a member of the committee, not from this replica itself, and this replica active.
     *
     * @param from the sender's index in the committee, -1 if it is none
     * @return the refusal, or null when the message may go on to its own checks
     */
    Refusal admit(final int shard, final long epoch, final int from) {
        if (shard != committee.shard() || epoch != committee.epoch()) {
            return Refusal.WRONG_COMMITTEE;
        }
        if (from < 0) {
            return Refusal.UNKNOWN_SENDER;
        }
        if (from == self) {
            return Refusal.REPLAY;
        }
        if (mode != Mode.ACTIVE) {
            return mode == Mode.JOINING ? Refusal.NOT_READY : Refusal.CLOSED;
        }
        return null;
    }

    /**
     * Whether {@code member} may be helped (or answered) now, given when it last was: at most once
     * per half timeout, which bounds what a faulty member can make this replica send.
     */
    boolean mayHelp(final long[] lastMicros, final int member, final long now) {
        if (now - lastMicros[member] < timeoutMicros() / 2) {
            return false;
        }
        lastMicros[member] = now;
        return true;
    }

    int primary() {
        return committee.primaryIndex(view);
    }

    boolean isPrimary() {
        return primary() == self && !changing && mode == Mode.ACTIVE;
    }

    boolean inWindow(final long seq) {
        return seq > h && seq <= h + window;
    }

    /** The slot for {@code seq} in the window, made for the current view if new. */
    Slot slot(final long seq) {
        assert inWindow(seq) : "slot " + seq + " outside (" + h + ", " + (h + window) + "]";
        return slots.computeIfAbsent(seq, s -> new Slot(s, n, view));
    }

    /** The request timeout after {@link #viewChangesInARow} consecutive view changes: doubled each, capped. */
    long timeoutMicros() {
        final int shift = Math.min(viewChangesInARow, 30);
        return Math.min(config.viewChangeTimeoutMicrosMax(), config.requestTimeoutMicros() << shift);
    }

    long deadline(final TimerKind t) {
        return deadlines.get(t);
    }

    /** Arms (or disarms, with NEVER) a timer; emits the effect only when the deadline changes. */
    void arm(final TimerKind t, final long atMicros) {
        if (deadlines.get(t) != atMicros) {
            deadlines.put(t, atMicros);
            effects.setTimer(t, atMicros);
        }
    }

    byte[] signedSnapshotDigest(final byte[] snapshot) {
        return SystemSnapshot.digest(committee, snapshot);
    }

    String who() {
        return "replica " + dev.vigil.crypto.NodeIds.toHex(selfId) + " (shard " + committee.shard() + " epoch " + committee.epoch() + ")";
    }
}
