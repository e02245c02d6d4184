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

import java.util.EnumMap;

/**
 * This node's seat on one shard's committee in one directory epoch: the replica, its evidence
 * state, its durable log and its timers. The replica's effects land here and go on to the host
 * ({@link FleetVerdicts}) for sending and for what a delivery means.
 */
final class Seat implements ReplicaEffects {
    interface Host {
        void sendReplica(Committee committee, long to, byte[] message);

        void delivered(Seat seat, Delivery delivery);

        long nowMicros();

        Scheduler scheduler();
    }

    final long selfId;
    final Committee committee;
    final EvidenceState state;
    final ConsensusLog log;
    private final Host host;
    private final EnumMap<TimerKind, Scheduler.Timer> timers = new EnumMap<>(TimerKind.class);
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

    @Override
    public void deliver(final Delivery delivery) {
        host.delivered(this, delivery);
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
