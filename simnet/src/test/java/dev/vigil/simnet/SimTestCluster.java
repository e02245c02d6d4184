package dev.vigil.simnet;

import dev.vigil.crypto.ClusterCa;
import dev.vigil.crypto.NodeIds;
import dev.vigil.daemon.core.CoreConfig;
import dev.vigil.daemon.core.NodeStatus;
import dev.vigil.daemon.scenario.TestCluster;
import dev.vigil.daemon.stats.Moments;
import dev.vigil.daemon.tree.TreeConfig;
import dev.vigil.daemon.tree.TreeNode;

import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.fail;

/** The test cluster on simnet: virtual time, so waiting costs no wall time and runs replay from the seed. */
final class SimTestCluster implements TestCluster {
    private static final long STEP_MICROS = 10_000;

    private final SimFleet fleet;
    private final ClusterCa foreignCa;
    private final TreeConfig tree;

    SimTestCluster(final long seed) {
        this(seed, null);
    }

    /** Every host gets {@code tree} ({@code null}: the defaults). */
    SimTestCluster(final long seed, final TreeConfig tree) {
        this.fleet = new SimFleet(seed, WorldMap.defaultMap());
        this.foreignCa = fleet.foreignCa();
        this.tree = tree;
    }

    @Override
    public int startNode() {
        return start(fleet.addHost(config()));
    }

    @Override
    public int startNodeFromForeignCa() {
        return start(fleet.addHost(config(), foreignCa));
    }

    private Function<String, CoreConfig> config() {
        final List<String> bootstrap = fleet.hosts().isEmpty() ? List.of() : List.of(SimFleet.addressOf(0));
        return address -> CoreConfig.defaults(address, bootstrap).withLiveness(
            50_000, LIVENESS.pingInterval().toNanos() / 1000, LIVENESS.suspectAfter().toNanos() / 1000,
            LIVENESS.deadAfter().toNanos() / 1000);
    }

    private int start(final SimHost host) {
        if (tree != null) {
            host.setTreeConfig(tree);
        }
        host.start();
        return host.index();
    }

    @Override
    public NodeStatus status(final int node) {
        return up(node).core().status();
    }

    @Override
    public <T> T onTree(final int node, final Function<TreeNode, T> read) {
        return read.apply(up(node).core().tree());
    }

    @Override
    public void publishSummary(final int node, final Moments moments, final long agents) {
        up(node).core().publishLocalSummary(moments, agents);
    }

    private SimHost up(final int node) {
        final SimHost h = fleet.host(node);
        if (!h.isUp()) {
            throw new IllegalStateException("host " + node + " is down");
        }
        return h;
    }

    @Override
    public String nodeId(final int node) {
        return NodeIds.toHex(fleet.host(node).nodeId());
    }

    @Override
    public void kill(final int node) {
        fleet.host(node).crash();
    }

    @Override
    public void stop(final int node) {
        fleet.host(node).stop();
    }

    @Override
    public void restart(final int node) {
        fleet.host(node).start();
    }

    @Override
    public void awaitUntil(final String what, final Duration atMost, final BooleanSupplier condition) {
        final long deadline = fleet.sim().nowMicros() + atMost.toNanos() / 1000;
        while (!condition.getAsBoolean()) {
            if (fleet.sim().nowMicros() >= deadline) {
                fail("not within " + atMost + " of virtual time: " + what + " (seed " + fleet.seed() + ")");
            }
            fleet.sim().runFor(STEP_MICROS);
        }
    }

    @Override
    public void holdsFor(final String what, final Duration period, final BooleanSupplier condition) {
        final long end = fleet.sim().nowMicros() + period.toNanos() / 1000;
        do {
            if (!condition.getAsBoolean()) {
                fail("stopped holding at t=" + fleet.sim().elapsedMicros() / 1e6 + " s: " + what + " (seed " + fleet.seed() + ")");
            }
            fleet.sim().runFor(STEP_MICROS);
        } while (fleet.sim().nowMicros() < end);
    }

    @Override
    public Duration slack() {
        return Duration.ZERO;
    }

    @Override
    public void close() {
        // nothing outside the process to release
    }
}
