package dev.vigil.daemon.consensus;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Catching up by state: a replica that lacks the state at a stable checkpoint (it lagged, it
 * restarted, its own state diverged, or it joins a new epoch) asks one member at a time for
 * its stable checkpoint and snapshot, and installs it only if 2f + 1 members certified its
 * digest, so the member that answers need not be trusted; then it executes what it has
 * committed above it. A member answers each requester at most once per half retry period.
 *
 * <p>Limits: the snapshot travels whole in one message (bounded by snapshotBytesMax; chunking by
 * Merkle ranges is not done), and a fetch that no member answers keeps asking in turn (at the
 * retry period) while a certificate says the state exists, or stops after one round when it
 * was only a probe.
 */
final class StateTransfer {
    private static final long[] NONE = new long[0];
    private static final int REPLIED_MAX = 2 * CommitteeDirectory.CANDIDATES_MAX;

    private final ReplicaState s;
    private final Replica replica;
    /** Node ids to ask, in turn; empty when no fetch is under way. */
    private long[] ask = NONE;
    private int attempt;
    private int attemptsMax;
    /** Per requester, when this replica last sent it a state reply (bounded: the oldest is forgotten first). */
    private final LinkedHashMap<Long, Long> repliedMicros = new LinkedHashMap<>() {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(final Map.Entry<Long, Long> eldest) {
            return size() > REPLIED_MAX;
        }
    };

    StateTransfer(final ReplicaState s, final Replica replica) {
        this.s = s;
        this.replica = replica;
    }

    boolean active() {
        return ask.length > 0;
    }

    /** The state at {@code target} exists (certified): ask its signers until one delivers it. */
    void fetch(final StableCertificate target, final long now) {
        final long[] ids = target.proofs().stream().mapToLong(Checkpoint::sender).filter(id -> id != s.selfId).toArray();
        begin(ids.length > 0 ? ids : othersOf(s.committee), Integer.MAX_VALUE, now);
    }

    /** Members seem ahead (a restart, checkpoints above the window): ask each once. */
    void ask(final int[] members, final long now) {
        final long[] ids = new long[members.length];
        for (int i = 0; i < members.length; i++) {
            ids[i] = s.committee.memberId(members[i]);
        }
        begin(ids, ids.length, now);
    }

    void probe(final long now) {
        final long[] ids = othersOf(s.committee);
        begin(ids, ids.length, now);
    }

    /**
     * A replica of a new epoch asks the previous committee for its closing checkpoint: the other
     * members (a request to its own node would read there as that replica's own, come back; a
     * node that sat on both committees gets the state from the others, which 2f + 1 certified anyway).
     * When this node was the previous committee alone (f = 0, one member), it asks its own replica
     * of that epoch: there is nobody else, and that replica's certificate is its own signature.
     */
    void join(final long now) {
        final long[] others = othersOf(s.previous);
        begin(others.length > 0 ? others : new long[] {s.selfId}, Integer.MAX_VALUE, now);
    }

    private long[] othersOf(final Committee c) {
        return c.members().stream().mapToLong(CommitteeDirectory.Candidate::nodeId).filter(id -> id != s.selfId).toArray();
    }

    private void begin(final long[] ids, final int max, final long now) {
        if (ids.length == 0) {
            return;
        }
        ask = ids;
        attempt = 0;
        attemptsMax = max;
        send(now);
    }

    private void send(final long now) {
        final Committee source = s.mode == ReplicaState.Mode.JOINING ? s.previous : s.committee;
        final boolean joining = s.mode == ReplicaState.Mode.JOINING;
        // without the state at h (lagging, diverged) this replica needs the bytes whatever it executed
        final long executed = joining || s.stableSnapshot == null ? 0 : s.lastExecuted;
        // lacking the state at h, the certificate at h itself will do
        final long above = joining ? 0 : s.stableSnapshot == null ? Math.max(0, s.h - 1) : s.h;
        final StateRequest r = StateRequest.signed(source.shard(), source.epoch(), s.signer, above, executed);
        s.effects.send(ask[attempt % ask.length], r.encode());
        s.arm(TimerKind.STATE, now + s.config.stateRetryMicros());
    }

    void stop() {
        ask = NONE;
        s.arm(TimerKind.STATE, ReplicaEffects.NEVER);
    }

    void onTimer(final long now) {
        if (s.deadline(TimerKind.STATE) > now) {
            return;
        }
        s.arm(TimerKind.STATE, ReplicaEffects.NEVER);
        if (!active()) {
            return;
        }
        attempt++;
        if (attempt >= attemptsMax) {
            stop();
            return;
        }
        send(now);
    }

    Refusal onStateRequest(final StateRequest r, final long now) {
        if (r.shard() != s.committee.shard() || r.epoch() != s.committee.epoch()) {
            return Refusal.WRONG_COMMITTEE;
        }
        final boolean member = s.committee.indexOf(r.sender()) >= 0;
        final boolean successor = s.next != null && s.next.indexOf(r.sender()) >= 0;
        if (!member && !successor) {
            return Refusal.UNKNOWN_SENDER;
        }
        final boolean closedHere = s.closing != null && s.h >= s.closing.closingSeq();
        if (r.sender() == s.selfId && !(closedHere && successor)) {
            // this replica's own request, come back; once the epoch closed it can only be this
            // node's replica of the next epoch, joining from the state this one closed with
            return Refusal.REPLAY;
        }
        final Long last = repliedMicros.get(r.sender());
        if (last != null && now - last < s.config.stateRetryMicros() / 2) {
            return Refusal.REPLAY;
        }
        if (!s.verifier.verify(r.sender(), r.signedBytes(), r.signature())) {
            return Refusal.BAD_SIGNATURE;
        }
        final boolean closed = s.closing != null && s.h >= s.closing.closingSeq();
        final boolean have = s.stableSnapshot != null && s.h > r.aboveSeq() && s.stable.proofs().size() >= s.quorum;
        if (have && (member || closed)) {
            repliedMicros.put(r.sender(), now);
            s.counters.stateRepliesSent++;
            final byte[] snapshot = r.executedSeq() < s.h ? s.stableSnapshot : new byte[0];
            s.effects.send(r.sender(), StateReply.signed(s.committee, s.signer, s.stable, snapshot).encode());
        }
        return null;
    }

    Refusal onStateReply(final StateReply r, final long now) {
        final boolean joining = s.mode == ReplicaState.Mode.JOINING;
        final Committee source = joining ? s.previous : s.committee;
        if (r.shard() != source.shard() || r.epoch() != source.epoch()) {
            return Refusal.WRONG_COMMITTEE;
        }
        if (source.indexOf(r.sender()) < 0) {
            return Refusal.UNKNOWN_SENDER;
        }
        if (r.sender() == s.selfId && !joining) {
            return Refusal.REPLAY;
        }
        if (s.mode == ReplicaState.Mode.CLOSED) {
            return Refusal.CLOSED;
        }
        final StableCertificate c = r.certificate();
        if (!joining && !(c.seq() > s.h || (s.stableSnapshot == null && c.seq() == s.h))) {
            return Refusal.REPLAY;
        }
        if (!s.verifier.verify(r.sender(), r.signedBytes(), r.signature())) {
            return Refusal.BAD_SIGNATURE;
        }
        if (c.proofs().isEmpty() || !Certificates.stableValid(c, source, s.verifier, -1, null)) {
            return Refusal.BAD_CERTIFICATE;
        }
        if (r.snapshot().length == 0) {
            // the certificate alone: enough when this replica executed that far and its own checkpoint matches
            if (joining || c.seq() == s.h) {
                return Refusal.MALFORMED;
            }
            stop();
            replica.checkpoints().learned(c, now);
            return null;
        }
        if (!java.util.Arrays.equals(SystemSnapshot.digest(source, r.snapshot()), c.stateDigest())) {
            return Refusal.DIGEST_MISMATCH;
        }
        final SystemSnapshot.Parts parts;
        try {
            parts = SystemSnapshot.decode(r.snapshot(), s.config.clientsMax(), s.config.snapshotBytesMax());
        } catch (final DecodeException e) {
            return e.reason;
        }
        if (parts.seq() != c.seq()) {
            return Refusal.MALFORMED;
        }
        if (joining) {
            if (parts.closing() == null || parts.closing().nextEpoch() != s.committee.epoch()
                || parts.closing().closingSeq() != c.seq()) {
                return Refusal.BAD_CERTIFICATE;
            }
            replica.joined(parts, now);
            return null;
        }
        install(c, parts, r.snapshot(), now);
        return null;
    }

    /**
     * A certified snapshot: restores it when this replica is behind it (or its own state diverged),
     * else only keeps it as the state at h; then the low watermark moves there.
     */
    private void install(final StableCertificate c, final SystemSnapshot.Parts parts, final byte[] snapshot, final long now) {
        stop();
        if (s.lastExecuted < c.seq() || s.stableSnapshot == null) {
            restore(parts);
            s.lastExecuted = c.seq();
            // what this replica executed above its old state is gone with it: those slots run again
            for (final Slot slot : s.slots.values()) {
                slot.executed = false;
            }
            s.counters.stateTransfers++;
            s.log.info(s.who() + ": state at " + c.seq() + " installed from a stable certificate of " + c.proofs().size());
        }
        if (c.seq() > s.h) {
            replica.checkpoints().advance(c, snapshot, now);
        } else {
            s.stable = c;
            s.stableSnapshot = snapshot;
            s.effects.persist(new LogRecord.Stable(c, snapshot));
            if (s.closing != null && c.seq() >= s.closing.closingSeq()) {
                replica.close(now);
            }
        }
        replica.execution().executeReady(now, false);
    }

    /** The replicated parts of a snapshot into this replica: client table, closing, state machine. */
    void restore(final SystemSnapshot.Parts parts) {
        s.clients.clear();
        for (final Map.Entry<Long, long[]> e : parts.clients().entries()) {
            s.clients.put(e.getKey(), e.getValue()[0], e.getValue()[1]);
        }
        s.closing = parts.closing();
        s.next = null;
        if (s.closing != null) {
            final CommitteeDirectory next = CommitteeDirectory.decode(s.closing.directory()).directory();
            s.next = next == null ? null : Committees.select(next, s.committee.shard(), s.config.fConfigured());
            s.pending.clear();
        }
        s.app.restore(parts.app());
        s.pending.dropExecuted(s.clients);
    }
}
