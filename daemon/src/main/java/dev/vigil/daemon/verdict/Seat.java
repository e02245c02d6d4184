package dev.vigil.daemon.verdict;

import dev.vigil.daemon.consensus.Committee;
import dev.vigil.daemon.consensus.CommitteeDirectory;
import dev.vigil.daemon.consensus.ConsensusLog;
import dev.vigil.daemon.consensus.Delivery;
import dev.vigil.daemon.consensus.LogRecord;
import dev.vigil.daemon.consensus.Replica;
import dev.vigil.daemon.consensus.ReplicaEffects;
import dev.vigil.daemon.consensus.TimerKind;
import dev.vigil.daemon.consensus.evidence.EvidenceState;
import dev.vigil.daemon.core.Scheduler;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * This node's seat on one shard's committee in one directory epoch: the replica, its evidence
 * state, its durable log and its timers. The replica's effects land here and go on to the host
 * ({@link FleetVerdicts}) for sending and for what a delivery means.
 */
final class Seat implements ReplicaEffects {
    interface Host {
        void sendReplica(Committee committee, long to, byte[] message);

        void delivered(Seat seat, Delivery delivery);

        /** This seat executed a different batch at a sequence it had executed before: never expected. */
        void executedConflict(Seat seat, long seq, byte[] before, byte[] now);

        long nowMicros();

        Scheduler scheduler();
    }

    final long selfId;
    final Committee committee;
    final EvidenceState state;
    final ConsensusLog log;
    private final Host host;
    private final EnumMap<TimerKind, Scheduler.Timer> timers = new EnumMap<>(TimerKind.class);
    /**
     * The digest of the batch executed at each of the last {@link #EXECUTED_MAX} sequence numbers
     * (lowest dropped at the bound): what lets anyone compare, member by member, that one
     * (shard, epoch, seq) never executed two different batches. A recovering replica executes again
     * what it had committed; the digest it then delivers must be the one it delivered before.
     */
    private final TreeMap<Long, byte[]> executed = new TreeMap<>();
    /** Deliveries at a sequence this seat had executed with a different batch: must stay 0 (a safety violation). */
    long executedConflicts;
    Replica replica;

    Seat(final long selfId, final Committee committee, final EvidenceState state, final ConsensusLog log, final Host host) {
        this.selfId = selfId;
        this.committee = committee;
        this.state = state;
        this.log = log;
        this.host = host;
    }

    @Override
    public void persist(final LogRecord record) {
        log.append(record);
    }

    @Override
    public void truncate(final long stableSeq) {
        log.truncate(stableSeq);
    }

    @Override
    public void send(final long nodeId, final byte[] message) {
        host.sendReplica(committee, nodeId, message);
    }

    @Override
    public void broadcast(final byte[] message) {
        for (final CommitteeDirectory.Candidate c : committee.members()) {
            if (c.nodeId() != selfId) {
                host.sendReplica(committee, c.nodeId(), message);
            }
        }
    }

    /** Batch digests remembered per seat for comparison across members (status shows the newest {@link #RECENT_SHOWN}). */
    static final int EXECUTED_MAX = 256;
    static final int RECENT_SHOWN = 16;

    @Override
    public void deliver(final Delivery delivery) {
        final byte[] digest = delivery.batch().digest();
        final byte[] before = executed.put(delivery.seq(), digest);
        if (before != null && !java.util.Arrays.equals(before, digest)) {
            executedConflicts++;
            host.executedConflict(this, delivery.seq(), before, digest);
        }
        while (executed.size() > EXECUTED_MAX) {
            executed.pollFirstEntry();
        }
        host.delivered(this, delivery);
    }

    /** seq → hex digest of the batch executed there, for the last {@link #EXECUTED_MAX} executed. */
    Map<Long, String> executed() {
        final TreeMap<Long, String> out = new TreeMap<>();
        executed.forEach((seq, d) -> out.put(seq, HexFormat.of().formatHex(d)));
        return out;
    }

    /** The newest {@code n} executed as "seq:first 8 bytes of the digest in hex", oldest first. */
    List<String> recent(final int n) {
        final List<String> out = new ArrayList<>();
        for (final Map.Entry<Long, byte[]> e : executed.descendingMap().entrySet()) {
            if (out.size() == n) {
                break;
            }
            out.add(0, e.getKey() + ":" + HexFormat.of().formatHex(e.getValue(), 0, 8));
        }
        return out;
    }

    @Override
    public void setTimer(final TimerKind kind, final long atMicros) {
        final Scheduler.Timer old = timers.remove(kind);
        if (old != null) {
            old.cancel();
        }
        if (atMicros == NEVER) {
            return;
        }
        final long delay = Math.max(0, atMicros - host.nowMicros());
        timers.put(kind, host.scheduler().schedule(delay, () -> {
            timers.remove(kind);
            if (replica != null) {
                replica.onTimer(kind, host.nowMicros());
            }
        }));
    }

    /** Stops every timer: the seat is left (a later epoch no longer has this node, or the node stops). */
    void close() {
        timers.values().forEach(Scheduler.Timer::cancel);
        timers.clear();
    }
}
