package dev.vigil.simnet.consensus;

import dev.vigil.daemon.consensus.Delivery;
import dev.vigil.daemon.consensus.LogRecord;
import dev.vigil.daemon.consensus.ReplicaEffects;
import dev.vigil.daemon.consensus.TimerKind;

import java.util.SplittableRandom;

/**
 * One simulated member's {@link ReplicaEffects}: its log (which outlives the replica), the
 * persist-before-send check on every message it sends, the network (through its {@link Byzantine}
 * filter), the safety check on every delivery of an honest member, its timers, and a crash that
 * cuts a step short after a given number of effects.
 */
final class SimEffects implements ReplicaEffects {
    private final ConsensusSim sim;
    private final SimNode node;
    private final Byzantine byzantine;

    SimEffects(final ConsensusSim sim, final SimNode node) {
        this.sim = sim;
        this.node = node;
        this.byzantine = new Byzantine(sim, node, new SplittableRandom(sim.scenario.seed() * 31 + node.index));
    }

    private boolean dead() {
        if (node.effectsBeforeCrash == 0) {
            node.crashing = true;
        }
        if (node.crashing) {
            return true;
        }
        if (node.effectsBeforeCrash > 0) {
            node.effectsBeforeCrash--;
        }
        return false;
    }

    @Override
    public void persist(final LogRecord record) {
        if (dead()) {
            return;
        }
        node.store.append(record);
        node.persisted.add(PersistOrder.key(record));
        if (record instanceof LogRecord.View v) {
            node.viewPromised = Math.max(node.viewPromised, v.view());
        }
        if (record instanceof LogRecord.OwnCheckpoint cp && node.honest()) {
            sim.agree(sim.checkpointDigests, cp.seq(), cp.stateDigest(), "checkpoint");
        }
    }

    @Override
    public void truncate(final long stableSeq) {
        if (!dead()) {
            node.store.truncate(stableSeq);
        }
    }

    @Override
    public void send(final long nodeId, final byte[] message) {
        if (dead()) {
            return;
        }
        PersistOrder.check(node, message, sim);
        byzantine.send(nodeId, message);
    }

    @Override
    public void broadcast(final byte[] message) {
        if (dead()) {
            return;
        }
        PersistOrder.check(node, message, sim);
        byzantine.broadcast(message);
    }

    @Override
    public void deliver(final Delivery d) {
        if (dead()) {
            return;
        }
        if (node.honest()) {
            sim.agree(sim.decided, d.seq(), d.batch().digest(), "batch");
            sim.delivered(node, d);
        }
    }

    @Override
    public void setTimer(final TimerKind kind, final long atMicros) {
        if (dead()) {
            return;
        }
        node.timerAt[kind.ordinal()] = atMicros;
        if (atMicros != NEVER) {
            final int incarnation = node.incarnation;
            sim.at(Math.max(atMicros, sim.now()), () -> {
                if (node.up && node.incarnation == incarnation && node.timerAt[kind.ordinal()] == atMicros) {
                    sim.step(node, () -> node.replica.onTimer(kind, sim.now()));
                }
            });
        }
    }
}
