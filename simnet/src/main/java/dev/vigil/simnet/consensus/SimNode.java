package dev.vigil.simnet.consensus;

import dev.vigil.crypto.PrivateKey;
import dev.vigil.daemon.consensus.KeySigner;
import dev.vigil.daemon.consensus.Limits;
import dev.vigil.daemon.consensus.MemoryLog;
import dev.vigil.daemon.consensus.Replica;
import dev.vigil.daemon.consensus.ReplicatedState;
import dev.vigil.daemon.consensus.Signer;
import dev.vigil.daemon.consensus.TimerKind;
import dev.vigil.daemon.core.NodeLog;

/** One committee member with its durable log; the replica object goes away while it is down. */
public final class SimNode {
    public final int index;
    public final PrivateKey key;
    final Signer signer;
    public final ConsensusSim.Behaviour behaviour;
    private final ConsensusSim sim;
    final MemoryLog store;
    final java.util.Set<String> persisted = new java.util.HashSet<>();
    final long[] timerAt = new long[TimerKind.values().length];
    /** The running replica; null while down. */
    public Replica replica;
    /** Its state machine; null while down. */
    public ReplicatedState state;
    public boolean up = true;
    public boolean restarted;
    final java.util.List<String> bugs = new java.util.ArrayList<>();
    final NodeLog log = new NodeLog() {
        @Override
        public void info(final String message) {
            if (ConsensusSim.TRACE) {
                System.out.println((sim.now() - ConsensusSim.T0_MICROS) / 1000 + " ms: " + message);
            }
        }

        @Override
        public void warn(final String message) {
            info(message);
        }

        @Override
        public boolean debugEnabled() {
            return ConsensusSim.TRACE_DEBUG;
        }

        @Override
        public void debug(final String message) {
            info(message);
        }

        @Override
        public void bug(final String message, final Throwable cause) {
            final java.io.StringWriter w = new java.io.StringWriter();
            cause.printStackTrace(new java.io.PrintWriter(w));
            bugs.add(message + "\n" + w.toString().lines().limit(12).reduce("", (a, b) -> a + "\n      " + b));
        }
    };
    /** The highest view this node persisted it is in or changing to. */
    long viewPromised;
    /** Bumped at every restart, so timers armed by an earlier incarnation never fire on a later one. */
    int incarnation;
    /** Effects this node may still perform in the current step before it crashes; -1: no crash pending. */
    int effectsBeforeCrash = -1;
    boolean crashing;

    SimNode(final ConsensusSim sim, final int index, final PrivateKey key, final ConsensusSim.Behaviour behaviour) {
        this.sim = sim;
        this.index = index;
        this.key = key;
        this.signer = new KeySigner(key);
        this.behaviour = behaviour;
        this.store = new MemoryLog(Limits.of(sim.scenario.config(), sim.scenario.n()));
    }

    public boolean honest() {
        return behaviour == ConsensusSim.Behaviour.HONEST;
    }
}
