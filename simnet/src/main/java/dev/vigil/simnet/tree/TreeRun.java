package dev.vigil.simnet.tree;

import dev.vigil.daemon.core.CoreConfig;
import dev.vigil.daemon.detect.FeatureSchema;
import dev.vigil.daemon.stats.Moments;
import dev.vigil.daemon.tree.TreeConfig;
import dev.vigil.daemon.tree.TreeNode;
import dev.vigil.simnet.HostStats;
import dev.vigil.simnet.SimFleet;
import dev.vigil.simnet.SimHost;
import dev.vigil.simnet.Simulator;
import dev.vigil.simnet.WorldMap;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * What the phases of one tree scenario share: its inputs, the fleet and the simulator that drives it, every node's
 * statistics with their exact reference, and the failures found so far. No phase keeps a clock or a random generator
 * of its own: time is the simulator's, and each phase's random generator is derived from the seed.
 */
final class TreeRun {
    /** Observations each node holds (a departed node's are drawn again from the seed to take them out of the reference). */
    private static final int OBSERVATIONS_PER_NODE = 16;
    /** Failures kept for the report: the first ones say what went wrong, later ones mostly repeat it. */
    private static final int FAILURES_MAX = 20;

    final TreeScenario.Params params;
    final HostStats host;
    final SimFleet fleet;
    final Simulator sim;
    final ScenarioTrace trace;
    final int dimension = FeatureSchema.agentDefault().size();
    /** The exact sum of every observation of the nodes now in the fleet. */
    final ExactReference reference = new ExactReference(dimension);
    private final Map<Long, SimHost> byId = new HashMap<>();
    /** The fleet's certified nodes, in the order they were added (departed ones included). */
    private final List<SimHost> nodes = new ArrayList<>();
    /** Hosts certified by a CA the fleet does not trust: they try to join and must stay out. */
    private final List<SimHost> outsiders = new ArrayList<>();
    /** Told on the root whenever the fleet aggregate changes (whichever node is root then). */
    private final List<TreeNode.Observer> rootObservers = new ArrayList<>();
    private final Map<Long, Moments> dataById = new HashMap<>();
    private final List<TreeFailure> failures = new ArrayList<>();

    TreeRun(final TreeScenario.Params params, final HostStats host, final java.io.PrintStream progress,
            final java.util.Set<Integer> traced, final java.io.PrintStream trace) {
        this.params = params;
        this.host = host;
        this.fleet = new SimFleet(params.seed(), WorldMap.defaultMap(), params.signatures());
        this.sim = fleet.sim();
        fleet.network().setLoss(params.loss());
        host.watch(fleet);
        this.trace = new ScenarioTrace(sim, progress, traced, trace);
    }

    /** Adds a node (not started) that joins through the founder, node 0, and publishes its statistics once started. */
    SimHost addNode(final boolean founder) {
        final String bootstrap = SimFleet.addressOf(0);
        final SimHost h = fleet.addHost(address -> CoreConfig.defaults(address, founder ? List.of() : List.of(bootstrap)));
        h.setTreeConfig(TreeConfig.defaults(dimension).withB(params.b()));
        final Moments data = dataFor(h.index());
        dataById.put(h.nodeId(), data);
        byId.put(h.nodeId(), h);
        h.setOnStart(core -> {
            core.tree().setObserver((node, now) -> {
                for (final TreeNode.Observer o : List.copyOf(rootObservers)) {
                    o.fleetChanged(node, now);
                }
            });
            core.publishLocalSummary(dataById.get(h.nodeId()), 1 + h.index() % 7);
        });
        trace.attach(h);
        nodes.add(h);
        return h;
    }

    /**
     * Adds an outsider (not started): a host whose certificate comes from a CA the fleet does not trust, joining
     * through the founder and publishing statistics like any node. None of it may ever reach the fleet.
     */
    SimHost addOutsider() {
        return addOutsider(false);
    }

    /** As {@link #addOutsider()}; {@code admitted}: certified by the fleet's own CA after all (tests of the checks). */
    SimHost addOutsider(final boolean admitted) {
        final String bootstrap = SimFleet.addressOf(0);
        final SimHost h = admitted ? fleet.addAdmittedOutsider(address -> CoreConfig.defaults(address, List.of(bootstrap)))
            : fleet.addOutsider(address -> CoreConfig.defaults(address, List.of(bootstrap)));
        h.setTreeConfig(TreeConfig.defaults(dimension).withB(params.b()));
        final Moments data = new Moments(dimension);
        for (final double[] x : observationsOf(h.index())) {
            data.add(x);
        }
        h.setOnStart(core -> core.publishLocalSummary(data, 1));
        outsiders.add(h);
        return h;
    }

    /** The certified nodes, departed ones included. */
    List<SimHost> nodes() {
        return nodes;
    }

    List<SimHost> outsiders() {
        return outsiders;
    }

    /** {@code observer} hears of every change of the root's fleet aggregate, whichever node is root. */
    void addRootObserver(final TreeNode.Observer observer) {
        rootObservers.add(observer);
    }

    void removeRootObserver(final TreeNode.Observer observer) {
        rootObservers.remove(observer);
    }

    /** Each node's statistics: observations on very different scales, summed exactly for the reference. */
    private Moments dataFor(final int index) {
        final Moments m = new Moments(dimension);
        for (final double[] x : observationsOf(index)) {
            m.add(x);
            reference.add(x);
        }
        return m;
    }

    /** Node {@code index}'s observations, drawn from the seed (so a departed node's can be taken out of the reference again). */
    double[][] observationsOf(final int index) {
        final SplittableRandom r = new SplittableRandom(params.seed() * 0x9E3779B97F4A7C15L + index);
        final double[][] out = new double[OBSERVATIONS_PER_NODE][dimension];
        for (final double[] x : out) {
            for (int i = 0; i < dimension; i++) {
                x[i] = Math.exp(i * 0.8 + r.nextGaussian()) + (i % 3 == 0 ? 1e6 : 0);
            }
        }
        return out;
    }

    /** The statistics node {@code h} publishes (phases add to them and publish again). */
    Moments dataOf(final SimHost h) {
        return dataById.get(h.nodeId());
    }

    /** The host with node id {@code id}, or null for an id that is no node of the fleet. */
    SimHost hostById(final long id) {
        return byId.get(id);
    }

    /** The certified nodes now up (outsiders never count). */
    List<SimHost> upHosts() {
        final List<SimHost> up = new ArrayList<>();
        for (final SimHost h : nodes) {
            if (h.isUp()) {
                up.add(h);
            }
        }
        return up;
    }

    long oneWayMicros(final SimHost a, final SimHost b) {
        return fleet.network().map().latencyMicros(a.latitudeDeg(), a.longitudeDeg(), b.latitudeDeg(), b.longitudeDeg());
    }

    long rttMicros(final SimHost a, final SimHost b) {
        return a == b ? 0 : 2 * oneWayMicros(a, b);
    }

    /** Records a broken invariant for the report's {@code invariants_failed}. */
    void fail(final TreeFailure failure) {
        if (failures.size() < FAILURES_MAX) {
            failures.add(failure);
        }
    }

    /** The report's {@code invariants_failed}: each failure's line with the seed that replays it. */
    List<String> failures() {
        return failures.stream().map(f -> f.text() + " (seed " + params.seed() + ")").toList();
    }

    static double seconds(final long micros) {
        return micros / 1e6;
    }

    static double round(final double x, final int digits) {
        final double f = Math.pow(10, digits);
        return Math.round(x * f) / f;
    }
}
