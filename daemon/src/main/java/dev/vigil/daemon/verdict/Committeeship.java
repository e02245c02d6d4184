package dev.vigil.daemon.verdict;

import dev.vigil.crypto.Certificate;
import dev.vigil.crypto.CertificateStatus;
import dev.vigil.crypto.NodeIds;
import dev.vigil.crypto.PrivateKey;
import dev.vigil.crypto.PublicKey;
import dev.vigil.crypto.verdict.Verdict;
import dev.vigil.crypto.verdict.VerdictCertificate;
import dev.vigil.crypto.verdict.VerdictSignature;
import dev.vigil.daemon.consensus.Committee;
import dev.vigil.daemon.consensus.CommitteeDirectory;
import dev.vigil.daemon.consensus.Delivery;
import dev.vigil.daemon.consensus.KeySigner;
import dev.vigil.daemon.consensus.Replica;
import dev.vigil.daemon.consensus.ReplicaStatus;
import dev.vigil.daemon.consensus.Request;
import dev.vigil.daemon.consensus.Signer;
import dev.vigil.daemon.consensus.Verifier;
import dev.vigil.daemon.consensus.evidence.Decision;
import dev.vigil.daemon.consensus.evidence.EvidenceResult;
import dev.vigil.daemon.consensus.evidence.EvidenceState;
import dev.vigil.daemon.consensus.evidence.ReleaseRequest;
import dev.vigil.daemon.core.LogIds;
import dev.vigil.daemon.core.Scheduler;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * This node's seats on committees: for each shard whose committee (in the directory it holds)
 * includes it, a replica of the shard's evidence state. Routes replica messages and observers'
 * evidence to them; turns what they deliver into acknowledgements to observers and, for decisions,
 * into this member's signature of the verdict, sent to the other members (any member holding
 * 2f + 1 signatures assembles the certificate, see {@link Shares}). An operator release arrives as
 * a client's request like evidence; the seat's state decides it (see {@link EvidenceState}), and
 * this member logs and counts what it decided.
 *
 * <p>A new directory epoch: a member of the old committee submits the reconfiguration that closes
 * it and keeps serving its closing state; a member of the new one joins from that state when it
 * holds the previous epoch's directory, else (the first directory, or an epoch it could not follow)
 * starts empty. Seats older than the previous epoch are closed and their logs dropped.
 *
 * <p>Bounds: one seat per shard per epoch held (two epochs; a log the store has no room for leaves the seat untaken, counted); observers' keys
 * {@value #OBSERVER_KEYS_MAX} (least recently used dropped: its next request carries its
 * certificate again); observers' addresses the same.
 */
public final class Committeeship implements Seat.Host {
    static final int OBSERVER_KEYS_MAX = 8192;

    /** One seat as status shows it. */
    public record SeatStatus(int shard, long epoch, String committee, String mode, long view, long lastExecuted, long stable,
                             int agents, List<ReplicaStatus.Bound> bounds, List<String> recentBatches, long executedConflicts) {
    }

    /** One batch a seat of this node executed: its (shard, epoch, seq) and the batch's digest. */
    public record Executed(int shard, long epoch, long seq, String digest) {
    }

    private final FleetVerdicts host;
    private final VerdictConfig config;
    private final VerdictEnv env;
    private final Signer signer;
    private final PrivateKey key;
    private final PublicKey ca;
    private final VerdictTree tree;
    private final VerdictCounters counters;
    private final Shares shares;
    private final Map<Integer, TreeMap<Long, Seat>> seats = new HashMap<>();
    private final Map<Long, PublicKey> memberKeys = new HashMap<>();
    private final LinkedHashMap<Long, PublicKey> observerKeys = lru(OBSERVER_KEYS_MAX);
    private final LinkedHashMap<Long, String> observerAddresses = lru(OBSERVER_KEYS_MAX);
    private final Verifier verifier;
    private final EarlyReplicaMessages early = new EarlyReplicaMessages(EARLY_MESSAGES_MAX);
    private final Retired retired = new Retired();
    /** Replica messages held for an epoch whose directory has not arrived yet. */
    static final int EARLY_MESSAGES_MAX = 1024;

    Committeeship(final FleetVerdicts host, final VerdictConfig config, final VerdictEnv env, final Signer signer, final PrivateKey key,
                  final PublicKey ca, final VerdictTree tree, final VerdictCounters counters) {
        this.host = host;
        this.config = config;
        this.env = env;
        this.signer = signer;
        this.key = key;
        this.ca = ca;
        this.tree = tree;
        this.counters = counters;
        this.shares = new Shares(ca, config.sharesPendingMax());
        this.verifier = KeySigner.verifier(id -> {
            final PublicKey k = memberKeys.get(id);
            return k != null ? k : observerKeys.get(id);
        });
    }

    private static <V> LinkedHashMap<Long, V> lru(final int max) {
        return new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(final Map.Entry<Long, V> eldest) {
                return size() > max;
            }
        };
    }

    // ---------------------------------------------------------------- directory epochs

    /**
     * Each directory interval: a seat of an older epoch that is active now but was still joining
     * when the newer directory came (its replica refused the reconfiguration then) is asked to
     * close again; otherwise its epoch would never close and the next committee never join. A seat
     * that took it already refuses the copy as a replay.
     */
    void proposeReconfigurationAgain(final CommitteeDirectory current, final long now) {
        seats.values().forEach(byEpoch -> byEpoch.values().forEach(seat -> {
            if (seat.committee.epoch() < current.epoch() && seat.replica != null && seat.replica.status().mode().equals("active")) {
                seat.replica.proposeReconfiguration(current, now);
            }
        }));
    }

    void onDirectory(final CommitteeDirectory next, final CommitteeDirectory previous) {
        memberKeys.clear();
        for (final CommitteeDirectory d : previous == null ? List.of(next) : List.of(previous, next)) {
            for (final CommitteeDirectory.Candidate c : d.candidates()) {
                final PublicKey k = PublicKey.tryOfSchemeOf(ca, c.publicKey(), 0);
                if (k != null) {
                    memberKeys.put(c.nodeId(), k);
                }
            }
        }
        final long now = env.nowMicros();
        for (int shard = 0; shard < config.shards(); shard++) {
            final TreeMap<Long, Seat> mine = seats.get(shard);
            if (mine != null) {
                for (final Seat old : mine.values()) {
                    if (old.committee.epoch() < next.epoch() && old.replica != null) {
                        old.replica.proposeReconfiguration(next, now);
                    }
                }
                // keep the seat of the previous epoch (it serves its closing state to members still
                // joining), close older ones: unless this node's seat of the epoch after an older one
                // is itself still joining from it (a committee slow to close, e.g. after a view
                // change, when two epochs come quickly): dropping it then would strand that epoch
                final Iterator<Map.Entry<Long, Seat>> it = mine.entrySet().iterator();
                while (it.hasNext()) {
                    final Map.Entry<Long, Seat> e = it.next();
                    final Seat successor = mine.get(e.getKey() + 1);
                    final boolean feeding = successor != null && successor.replica != null
                        && successor.replica.status().mode().equals("joining");
                    if (e.getKey() < next.epoch() - 1 && !feeding) {
                        retire(e.getValue());
                        e.getValue().close();
                        env.dropConsensusLog(shard, e.getKey());
                        it.remove();
                    }
                }
            }
            final Committee committee = host.committee(shard);
            if (committee.indexOf(host.selfId()) < 0) {
                continue;
            }
            final TreeMap<Long, Seat> byEpoch = seats.computeIfAbsent(shard, s -> new TreeMap<>());
            if (byEpoch.containsKey(next.epoch())) {
                continue; // this epoch's directory again (a restart found it already): the seat runs
            }
            final dev.vigil.daemon.consensus.ConsensusLog log;
            try {
                log = env.consensusLog(shard, next.epoch());
            } catch (final dev.vigil.storage.StoreException e) {
                // without a durable log this member must not vote: the committee goes on with the others (it is one of the f)
                counters.seatsUntaken++;
                host.warnLimited("seat-no-log", host.selfId(), "takes no seat", "shard " + shard + " epoch " + next.epoch() + ": "
                    + e.getMessage());
                continue;
            }
            final Seat seat = new Seat(host.selfId(), committee, new EvidenceState(config.evidence(), env.kernels(), ca), log,
                this);
            byEpoch.put(next.epoch(), seat);
            final List<dev.vigil.daemon.consensus.LogRecord> persisted = seat.log.records();
            if (!persisted.isEmpty()) {
                // this node ran the seat before a restart: rebuild it from what it persisted
                seat.replica = Replica.recover(config.consensus(), committee, signer, verifier, seat.state, seat, env.log(), persisted, now);
                counters.seatsRecovered++;
            } else if (previous != null && previous.epoch() + 1 == next.epoch()) {
                seat.replica = Replica.join(config.consensus(), committee, host.committee(shard, previous.epoch()), signer, verifier,
                    seat.state, seat, env.log(), now);
            } else {
                seat.replica = Replica.start(config.consensus(), committee, signer, verifier, seat.state, seat, env.log(), now);
            }
        }
        dropOrphanLogs(next.epoch());
        for (final EarlyReplicaMessages.Held h : early.takeUpTo(next.epoch())) {
            onReplicaMessage(h.from(), h.message()); // counted when it arrived (held); the replicas count it now
        }
    }

    /**
     * Drops the logs of epochs before the previous one that no seat runs: a node killed in epoch e
     * and restarted once the fleet is past e + 1 never rebuilds those seats, and their logs would
     * otherwise hold places in the store (storage.consensus_replicas) for good.
     */
    private void dropOrphanLogs(final long epoch) {
        for (final dev.vigil.daemon.consensus.StoredLogs.Id id : env.consensusLogsHeld()) {
            final TreeMap<Long, Seat> mine = seats.get(id.shard());
            if (id.epoch() < epoch - 1 && (mine == null || !mine.containsKey(id.epoch()))) {
                env.dropConsensusLog(id.shard(), id.epoch());
                counters.orphanLogsDropped++;
            }
        }
    }

    void closeAll() {
        seats.values().forEach(m -> m.values().forEach(seat -> {
            retire(seat);
            seat.close();
        }));
        seats.clear();
    }

    // ---------------------------------------------------------------- inputs

    FleetVerdicts.Outcome onReplicaMessage(final long fromId, final FleetMessage.ReplicaMessage m) {
        final TreeMap<Long, Seat> mine = seats.get(m.shard());
        boolean any = false;
        if (mine != null) {
            // a state reply of epoch e also serves this node's joining replica of epoch e + 1
            final boolean stateReply = m.message().length > 0 && m.message()[0] == dev.vigil.daemon.consensus.MessageKind.STATE_REPLY.code;
            for (final Seat seat : mine.values()) {
                final long e = seat.committee.epoch();
                if ((e == m.epoch() || stateReply && e == m.epoch() + 1) && seat.replica != null) {
                    seat.replica.onMessage(m.message(), env.nowMicros());
                    any = true;
                }
            }
        }
        if (any) {
            return FleetVerdicts.Outcome.ACCEPTED;
        }
        final CommitteeDirectory held = host.directory();
        if (held != null && m.epoch() > held.epoch() + EARLY_EPOCHS_AHEAD) {
            // no directory that far ahead is on its way: holding it would only push out messages that are
            return host.refuse("epoch-ahead", fromId, "replica message for shard " + m.shard() + " epoch " + m.epoch()
                + ", this node holds epoch " + held.epoch());
        }
        if (held == null || m.epoch() > held.epoch()) {
            early.hold(fromId, m); // the directory of its epoch is on its way here
            return FleetVerdicts.Outcome.HELD;
        }
        return host.refuse("no-seat", fromId, "replica message for shard " + m.shard() + " epoch " + m.epoch()
            + ", where this node sits in epochs " + (mine == null ? "[]" : mine.keySet()));
    }

    /** Epochs ahead of the directory held that a replica message may name and be held (the root issues one epoch at a time). */
    static final int EARLY_EPOCHS_AHEAD = 2;

    FleetVerdicts.Outcome onEvidence(final long fromId, final String fromAddress, final FleetMessage.EvidenceMessage m) {
        final Certificate cert = m.observer();
        if (cert.nodeId() != fromId) {
            return host.refuse("evidence-observer", fromId, "evidence sent by " + NodeIds.toHex(fromId) + " under the certificate of "
                + NodeIds.toHex(cert.nodeId()) + " (observers send their own)");
        }
        final CertificateStatus status = cert.verify(ca, env.nowMicros() / 1_000_000);
        if (status != CertificateStatus.VALID) {
            return host.refuse("evidence-certificate", fromId, "observer certificate: " + status);
        }
        observerKeys.put(fromId, cert.publicKey());
        observerAddresses.put(fromId, fromAddress);
        final TreeMap<Long, Seat> mine = seats.get(m.shard());
        final Seat seat = mine == null ? null : mine.get(m.epoch());
        if (seat == null || seat.replica == null) {
            return host.refuse("no-seat", fromId, "evidence for shard " + m.shard() + " epoch " + m.epoch() + ", where this node has no seat");
        }
        seat.replica.onMessage(m.request(), env.nowMicros());
        return FleetVerdicts.Outcome.ACCEPTED;
    }

    FleetVerdicts.Outcome onShare(final long fromId, final FleetMessage.Share s) {
        final Shares.Result r = collect(s);
        if (r.status().reason != null) {
            return host.refuse(r.status().reason, fromId, "verdict share for " + s.verdict().agentId() + ": " + r.problem());
        }
        return r.status() == Shares.Status.TAKEN ? FleetVerdicts.Outcome.ACCEPTED : FleetVerdicts.Outcome.IGNORED;
    }

    /** Adds a share (a member's, or this node's own) and hands on the certificate it completes. */
    private Shares.Result collect(final FleetMessage.Share s) {
        final Verdict v = s.verdict();
        final Shares.Result r = shares.add(host.committee(v.shard(), v.epoch()), v, s.asSignature());
        if (r.certificate() != null) {
            host.onCertificate(host.selfId(), r.certificate());
        }
        return r;
    }

    void completed(final String verdictId) {
        shares.completed(verdictId);
    }

    // ---------------------------------------------------------------- what the replicas do

    @Override
    public void sendReplica(final Committee committee, final long to, final byte[] message) {
        final String address = addressOf(committee, to);
        if (address != null) {
            // a joining replica's state request names the previous epoch: the receiver routes by what the message names
            final long named = dev.vigil.daemon.consensus.Messages.epochOf(message);
            host.send(to, address, new FleetMessage.ReplicaMessage(committee.shard(), named >= 0 ? named : committee.epoch(), message)
                .encode());
        }
    }

    private String addressOf(final Committee committee, final long id) {
        for (final CommitteeDirectory.Candidate c : committee.members()) {
            if (c.nodeId() == id) {
                return c.address();
            }
        }
        // a joining member asks the previous committee; a closing one answers the next
        final Committee next = host.committee(committee.shard());
        if (next != null) {
            for (final CommitteeDirectory.Candidate c : next.members()) {
                if (c.nodeId() == id) {
                    return c.address();
                }
            }
        }
        final Committee prev = host.committee(committee.shard(), committee.epoch() - 1);
        if (prev != null) {
            for (final CommitteeDirectory.Candidate c : prev.members()) {
                if (c.nodeId() == id) {
                    return c.address();
                }
            }
        }
        return null;
    }

    @Override
    public void delivered(final Seat seat, final Delivery delivery) {
        for (final Delivery.Outcome o : delivery.outcomes()) {
            final Request r = o.request();
            if (r.isReconfiguration()) {
                continue;
            }
            if (o.status() == Delivery.Status.APPLIED) {
                final EvidenceResult result = EvidenceResult.decode(o.result());
                counters.evidenceRecordsApplied += result.applied();
                if (ReleaseRequest.isRelease(r.payload())) {
                    released(seat, r, result);
                }
                ack(seat, r, result.refusal() == null ? result.nextExpected() : seat.state.applied(r.client()) + 1,
                    result.duplicates());
                for (final Decision d : result.decisions()) {
                    signAndShare(seat, d);
                }
            } else if (o.status() == Delivery.Status.DUPLICATE) {
                ack(seat, r, seat.state.applied(r.client()) + 1, 0);
            }
        }
    }

    /** What an operator release did on this seat: every member executes it and says so, once per request. */
    private void released(final Seat seat, final Request r, final EvidenceResult result) {
        final String where = "shard " + seat.committee.shard() + " epoch " + seat.committee.epoch();
        if (result.released() != null) {
            counters.releasesApplied++;
            env.log().agentInfo(result.released(), "node " + NodeIds.toHex(host.selfId()) + ": " + where + " released "
                + LogIds.agent(result.released()) + " (operator release submitted by " + LogIds.peer(r.client(), null) + "); only new evidence convicts it again");
        } else {
            counters.releasesRefused++;
            host.warnLimited("release-refused", r.client(), where + " refused an operator release submitted by "
                + LogIds.peer(r.client(), null), result.refusal());
        }
    }

    private void ack(final Seat seat, final Request r, final long nextExpected, final int duplicates) {
        // a recovering replica delivers again what it executed before: the acks and shares it then sends are repeats, harmless
        final String address = observerAddresses.get(r.client());
        if (address != null) {
            counters.acksSent++;
            host.send(r.client(), address, new FleetMessage.Ack(seat.committee.shard(), seat.committee.epoch(), r.requestSeq(),
                nextExpected, duplicates).encode());
        }
    }

    private void signAndShare(final Seat seat, final Decision d) {
        final Committee c = seat.committee;
        final Verdict verdict = Verdict.convict(d.agent()).f(c.f()).shard(c.shard()).epoch(c.epoch()).view(0).sequence(d.seq())
            .issuedAtMicros(d.issuedAtMicros()).logOdds(d.logOdds()).posterior(d.posterior()).versionVectorDigest(d.versionDigest())
            .observers(d.kept().stream().mapToLong(Long::longValue).toArray()).build();
        final Certificate own = tree.selfCertificate();
        final VerdictSignature mine = VerdictSignature.sign(verdict, key, own);
        final FleetMessage.Share share = new FleetMessage.Share(own, mine.signature(), verdict);
        final byte[] bytes = share.encode();
        for (final CommitteeDirectory.Candidate m : c.members()) {
            if (m.nodeId() != host.selfId()) {
                host.send(m.nodeId(), m.address(), bytes);
                counters.sharesSent++;
            }
        }
        final Shares.Result r = collect(share);
        if (r.status().reason != null) {
            env.log().bug("node " + NodeIds.toHex(host.selfId()) + ": its own share of verdict " + verdict.id() + " refused: " + r.problem(),
                new IllegalStateException(r.status().name()));
        }
    }

    @Override
    public void executedConflict(final Seat seat, final long seq, final byte[] before, final byte[] now) {
        env.log().bug("node " + NodeIds.toHex(host.selfId()) + ": shard " + seat.committee.shard() + " epoch " + seat.committee.epoch()
            + " executed two different batches at " + seq + ": " + java.util.HexFormat.of().formatHex(before) + " then "
            + java.util.HexFormat.of().formatHex(now), new IllegalStateException("conflicting execution"));
    }

    @Override
    public long nowMicros() {
        return env.nowMicros();
    }

    @Override
    public Scheduler scheduler() {
        return env.scheduler();
    }

    // ---------------------------------------------------------------- views

    /** Messages refused by this node's replicas, by reason: the seats running now and those closed before. */
    Map<String, Long> refusals() {
        final long[] sum = retired.refused.clone();
        forEachReplica(r -> {
            for (final dev.vigil.daemon.consensus.Refusal reason : dev.vigil.daemon.consensus.Refusal.values()) {
                sum[reason.ordinal()] += r.counters().refused(reason);
            }
        });
        final TreeMap<String, Long> out = new TreeMap<>();
        for (final dev.vigil.daemon.consensus.Refusal reason : dev.vigil.daemon.consensus.Refusal.values()) {
            if (sum[reason.ordinal()] > 0) {
                out.put(reason.label, sum[reason.ordinal()]);
            }
        }
        return out;
    }

    /** View changes started by this node's replicas, closed seats included. */
    long viewChanges() {
        final long[] sum = {retired.viewChanges};
        forEachReplica(r -> sum[0] += r.counters().viewChangesStarted());
        return sum[0];
    }

    /** Committed batches (committee rounds) this node's replicas executed, closed seats included. */
    long executedBatches() {
        final long[] sum = {retired.executedBatches};
        forEachReplica(r -> sum[0] += r.counters().executedBatches());
        return sum[0];
    }

    /** Seats running now, by mode ({@code active}, {@code joining}, ...). */
    Map<String, Integer> seatsByMode() {
        final TreeMap<String, Integer> out = new TreeMap<>();
        forEachReplica(r -> out.merge(r.status().mode(), 1, Integer::sum));
        return out;
    }

    /** Keeps a closing seat's counters, so that the sums above never go down when a seat goes. */
    private void retire(final Seat seat) {
        if (seat.replica == null) {
            return;
        }
        final dev.vigil.daemon.consensus.ConsensusCounters c = seat.replica.counters();
        retired.viewChanges += c.viewChangesStarted();
        retired.executedBatches += c.executedBatches();
        for (final dev.vigil.daemon.consensus.Refusal reason : dev.vigil.daemon.consensus.Refusal.values()) {
            retired.refused[reason.ordinal()] += c.refused(reason);
        }
    }

    /** What the replicas of closed seats counted. */
    private static final class Retired {
        long viewChanges;
        long executedBatches;
        final long[] refused = new long[dev.vigil.daemon.consensus.Refusal.values().length];
    }

    private void forEachReplica(final java.util.function.Consumer<Replica> action) {
        seats.values().forEach(m -> m.values().forEach(seat -> {
            if (seat.replica != null) {
                action.accept(seat.replica);
            }
        }));
    }

    /** Whether each running seat's state holds the agent convicted, by (shard, epoch), for tests comparing members. */
    Map<String, Boolean> convictedBySeat(final String agent) {
        final TreeMap<String, Boolean> out = new TreeMap<>();
        seats.forEach((shard, byEpoch) -> byEpoch.forEach((epoch, seat) -> {
            if (seat.replica != null) {
                out.put(shard + "/" + epoch, seat.state.convicted(agent));
            }
        }));
        return out;
    }

    /** What every seat executed lately ({@link Seat#EXECUTED_MAX} per seat), for comparing members. */
    List<Executed> executed() {
        final List<Executed> out = new ArrayList<>();
        seats.forEach((shard, byEpoch) -> byEpoch.forEach((epoch, seat) -> seat.executed()
            .forEach((seq, digest) -> out.add(new Executed(shard, epoch, seq, digest)))));
        return out;
    }

    List<SeatStatus> status() {
        final List<SeatStatus> out = new ArrayList<>();
        seats.forEach((shard, byEpoch) -> byEpoch.forEach((epoch, seat) -> {
            if (seat.replica != null) {
                final ReplicaStatus s = seat.replica.status();
                out.add(new SeatStatus(shard, epoch, s.committee(), s.mode(), s.view(), s.lastExecuted(), s.h(), seat.state.agents(),
                    s.bounds(), seat.recent(Seat.RECENT_SHOWN), seat.executedConflicts));
            }
        }));
        out.sort((a, b) -> a.shard() != b.shard() ? Integer.compare(a.shard(), b.shard()) : Long.compare(a.epoch(), b.epoch()));
        return out;
    }
}
