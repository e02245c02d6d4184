package dev.vigil.simnet;

import dev.vigil.crypto.Certificate;
import dev.vigil.crypto.PrivateKey;
import dev.vigil.crypto.PublicKey;
import dev.vigil.daemon.core.CoreConfig;
import dev.vigil.daemon.core.NodeCore;
import dev.vigil.daemon.core.NodeEnv;
import dev.vigil.daemon.core.NodeLog;
import dev.vigil.daemon.core.Scheduler;
import dev.vigil.daemon.detect.FeatureSchema;
import dev.vigil.daemon.tree.TreeConfig;

import java.util.SplittableRandom;

/**
 * One simulated host: a place on the map, a key and certificate, and (while up) one
 * {@link NodeCore} driven by the simulator. Crashing a host drops its core and every timer and
 * in-flight delivery to it; restarting builds a fresh core with the same identity, as a daemon
 * restarted with the same key files would be.
 */
public final class SimHost {
    private final Simulator sim;
    private final SimNetwork network;
    private final int index;
    private final String address;
    private final String region;
    private final double latitudeDeg;
    private final double longitudeDeg;
    private final PrivateKey key;
    private final Certificate certificate;
    private final PublicKey caKey;
    private final long seed;
    private CoreConfig config;
    private TreeConfig treeConfig = TreeConfig.defaults(FeatureSchema.agentDefault().size());
    private java.util.function.Consumer<NodeCore> onStart = core -> { };
    private NodeLog log = NodeLog.DISCARD;
    /** Run after every input this host's core handles (a timer or a delivered frame): the fleet's per-event checks. */
    private java.util.function.Consumer<SimHost> afterInput = h -> { };
    private long clockSkewMicros;
    private NodeCore core;
    private boolean up;
    private int generation;
    private int starts;

    SimHost(
        final Simulator sim, final SimNetwork network, final int index, final String region,
        final double latitudeDeg, final double longitudeDeg, final PrivateKey key, final Certificate certificate,
        final PublicKey caKey, final CoreConfig config, final long seed) {
        this.sim = sim;
        this.network = network;
        this.index = index;
        this.address = config.advertiseAddress();
        this.region = region;
        this.latitudeDeg = latitudeDeg;
        this.longitudeDeg = longitudeDeg;
        this.key = key;
        this.certificate = certificate;
        this.caKey = caKey;
        this.config = config;
        this.seed = seed;
    }

    /** Starts (or restarts) the host's node core. */
    public void start() {
        if (up) {
            throw new IllegalStateException("host " + index + " is already up");
        }
        up = true;
        final int myGeneration = ++generation;
        final Scheduler scheduler = (delayMicros, action) -> sim.schedule(delayMicros, () -> {
            if (up && generation == myGeneration) {
                action.run();
                afterInput.accept(this);
            }
        });
        final NodeEnv env = new NodeEnv(
            () -> sim.nowMicros() + clockSkewMicros,
            scheduler,
            (to, frame, offset, length) -> network.send(this, to, frame, offset, length),
            new SplittableRandom(seed ^ (0x9E3779B97F4A7C15L * ++starts)),
            new BugTrap(log));
        // in the simulator every tree invariant is checked after every input: a broken one fails the run
        core = new NodeCore(config, treeConfig.withInvariantChecks(true), key, certificate, caKey, env);
        core.start();
        onStart.accept(core);
    }

    /** The host's log, except that a bug the core reports stops the run (see {@link SimulatedBug}). */
    private final class BugTrap implements NodeLog {
        private final NodeLog inner;

        BugTrap(final NodeLog inner) {
            this.inner = inner;
        }

        @Override
        public void info(final String message) {
            inner.info(message);
        }

        @Override
        public void warn(final String message) {
            inner.warn(message);
        }

        @Override
        public boolean debugEnabled() {
            return inner.debugEnabled();
        }

        @Override
        public void debug(final String message) {
            inner.debug(message);
        }

        @Override
        public void bug(final String message, final Throwable cause) {
            throw new SimulatedBug(index, sim.nowMicros(), message, cause);
        }
    }

    /** Stops at once: no leave, timers and in-flight frames to it are lost (kill -9). */
    public void crash() {
        up = false;
        generation++;
        core = null;
    }

    /** Stops cleanly: the core tells its peers it is leaving. */
    public void stop() {
        if (core != null) {
            core.shutdown();
        }
        crash();
    }

    void deliver(final byte[] frame) {
        if (up) {
            core.onFrame(frame, 0, frame.length);
            afterInput.accept(this);
        }
    }

    public boolean isUp() {
        return up;
    }

    /** The running core, or {@code null} while the host is down. */
    public NodeCore core() {
        return core;
    }

    public int index() {
        return index;
    }

    public String address() {
        return address;
    }

    public String region() {
        return region;
    }

    public double latitudeDeg() {
        return latitudeDeg;
    }

    public double longitudeDeg() {
        return longitudeDeg;
    }

    public long nodeId() {
        return key.nodeId();
    }

    public CoreConfig config() {
        return config;
    }

    /** Takes effect at the next start. */
    public void setConfig(final CoreConfig config) {
        if (!config.advertiseAddress().equals(address)) {
            throw new IllegalArgumentException("a host keeps its address " + address);
        }
        this.config = config;
    }

    /** Takes effect at the next start. */
    public void setTreeConfig(final TreeConfig treeConfig) {
        this.treeConfig = treeConfig;
    }

    /** Runs right after every (re)start, e.g. to give the new core its statistics. */
    public void setOnStart(final java.util.function.Consumer<NodeCore> onStart) {
        this.onStart = onStart;
    }

    void setAfterInput(final java.util.function.Consumer<SimHost> afterInput) {
        this.afterInput = afterInput;
    }

    /** Takes effect at the next start. */
    public void setLog(final NodeLog log) {
        this.log = log;
    }

    /** This host's clock runs {@code skewMicros} ahead of virtual time (negative: behind). */
    public void setClockSkewMicros(final long skewMicros) {
        this.clockSkewMicros = skewMicros;
    }
}
