package dev.vigil.simnet.tree;

import dev.vigil.crypto.SignatureScheme;
import dev.vigil.daemon.tree.TreeRules;
import dev.vigil.simnet.HostStats;
import dev.vigil.simnet.SimHost;
import dev.vigil.simnet.Simulator;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The fleet-tree scenarios: {@code tree} (N nodes join; statistics flow to the root),
 * {@code propagation} (one leaf's change, timed to the root against the path's latency),
 * {@code churn} (nodes join, leave and crash, heads included) and {@code lying-head} (a head
 * forges its aggregate and must be replaced). Every node runs the real node core; the checker
 * reads the nodes' own tree state and holds it to the tree's invariants.
 *
 * <p>This class runs the phases in order and assembles the report. The phases ({@link TreeShape},
 * {@link SteadyState}, {@link Propagation}, {@link Churn}, {@link LyingHead}) share one {@link TreeRun}: the fleet,
 * its simulator, every node's statistics with their {@link ExactReference}, and the failures. {@link TreeChecker}
 * holds the tree to its invariants on {@link TreePicture}s; {@link ScenarioTrace} prints {@code --progress} and
 * {@code --trace}.
 */
public final class TreeScenario {
    /** Which of the four. */
    public enum Kind { tree, propagation, churn, lying_head }

    /** Outsiders a run starts unless told otherwise. */
    public static final int OUTSIDERS_DEFAULT = 2;

    /** Inputs of one run. */
    public record Params(Kind kind, int nodes, long seed, int b, double loss, long startSpreadMicros, long timeLimitMicros,
                         double churnFraction, long churnMicros, int propagationSamples, long steadyMicros,
                         SignatureScheme signatures, int outsiders) {
        public Params {
            if (nodes < 2) {
                throw new IllegalArgumentException("tree scenarios need at least 2 nodes, got " + nodes);
            }
            if (outsiders < 0) {
                throw new IllegalArgumentException("outsiders must be 0 or more, got " + outsiders);
            }
        }

        /** Defaults: B from the tree's rules, no loss, 5 s start spread, 120 s limit, Ed25519, two outsiders. */
        public static Params of(final Kind kind, final int nodes, final long seed) {
            return new Params(kind, nodes, seed, TreeRules.B_DEFAULT, 0, 5_000_000, 120_000_000, 0.10, 30_000_000, 100,
                10_000_000, SignatureScheme.ED25519, OUTSIDERS_DEFAULT);
        }

        public Params withB(final int newB) {
            return new Params(kind, nodes, seed, newB, loss, startSpreadMicros, timeLimitMicros, churnFraction, churnMicros,
                propagationSamples, steadyMicros, signatures, outsiders);
        }

        public Params withSignatures(final SignatureScheme scheme) {
            return new Params(kind, nodes, seed, b, loss, startSpreadMicros, timeLimitMicros, churnFraction, churnMicros,
                propagationSamples, steadyMicros, scheme, outsiders);
        }

        public Params withLoss(final double newLoss) {
            return new Params(kind, nodes, seed, b, newLoss, startSpreadMicros, timeLimitMicros, churnFraction, churnMicros,
                propagationSamples, steadyMicros, signatures, outsiders);
        }

        public Params withTimeLimitMicros(final long micros) {
            return new Params(kind, nodes, seed, b, loss, startSpreadMicros, micros, churnFraction, churnMicros,
                propagationSamples, steadyMicros, signatures, outsiders);
        }

        /** Hosts certified by a CA the fleet does not trust, started among the nodes; they must stay out. */
        public Params withOutsiders(final int count) {
            return new Params(kind, nodes, seed, b, loss, startSpreadMicros, timeLimitMicros, churnFraction, churnMicros,
                propagationSamples, steadyMicros, signatures, count);
        }
    }

    private final Params params;
    private final TreeRun run;
    private final TreeChecker checker;

    private TreeScenario(final Params params, final TreeRun run) {
        this.params = params;
        this.run = run;
        this.checker = new TreeChecker(run);
    }

    /** Runs the scenario; the returned report depends only on {@code params} (and, under "host", on the machine). */
    public static Map<String, Object> run(final Params params, final HostStats host) {
        return new TreeScenario(params, new TreeRun(params, host, null, Set.of(), null)).run();
    }

    /** As {@link #run(Params, HostStats)}, printing a line per simulated second to {@code progress} while converging. */
    public static Map<String, Object> run(final Params params, final HostStats host, final PrintStream progress) {
        return new TreeScenario(params, new TreeRun(params, host, progress, Set.of(), null)).run();
    }

    /**
     * As {@link #run(Params, HostStats, PrintStream)}, also printing the tree log of the nodes with the given
     * indexes to {@code trace} (node ids shown as {@code n<index>}): a debugging aid for one seed's replay.
     */
    public static Map<String, Object> run(final Params params, final HostStats host, final PrintStream progress,
                                          final Set<Integer> traced, final PrintStream trace) {
        return new TreeScenario(params, new TreeRun(params, host, progress, traced, trace)).run();
    }

    /**
     * The phases in order: the fleet (and its outsiders) joins and converges, its shape and steady state are measured,
     * then the kind's own phase. The checker watches from the first event to the last.
     */
    private Map<String, Object> run() {
        for (int i = 0; i < params.nodes(); i++) {
            run.addNode(i == 0);
        }
        for (int i = 0; i < params.outsiders(); i++) {
            run.addOutsider();
        }
        for (final SimHost h : run.fleet.hosts()) {
            final long at = h.index() == 0 ? 0 : run.fleet.random().nextLong(params.startSpreadMicros());
            run.sim.schedule(at, h::start);
        }
        checker.start();
        final Map<String, Object> out = new LinkedHashMap<>();
        out.put("scenario", params.kind().name().replace('_', '-'));
        out.put("nodes", params.nodes());
        out.put("outsiders", params.outsiders());
        out.put("seed", params.seed());
        out.put("b", params.b());
        out.put("signatures", params.signatures().label);
        final long convergedAt = checker.runUntilConverged(Simulator.EPOCH_MICROS + params.timeLimitMicros());
        out.put("converged", convergedAt >= 0);
        out.put("converge_sim_s", convergedAt < 0 ? null : TreeRun.seconds(convergedAt - Simulator.EPOCH_MICROS));
        if (convergedAt >= 0) {
            run.host.sampleLive(); // the converged fleet's own footprint, garbage collected
            TreeShape.measure(run, out);
            out.put("aggregate_rel_error", checker.assertAggregateExact("at convergence"));
            SteadyState.measure(run, checker, out);
            out.put("aggregate_rel_error_steady", checker.assertAggregateExact("after the steady window"));
            switch (params.kind()) {
                case propagation -> new Propagation(run, checker).measure(out);
                case churn -> new Churn(run, checker).measure(out);
                case lying_head -> new LyingHead(run, checker).measure(out);
                default -> { }
            }
        }
        out.put("cluster_size_seen_max", checker.clusterSizeSeenMax());
        out.put("state_bytes_per_node_max", stateBytesMax());
        final Map<String, Long> counters = new LinkedHashMap<>();
        for (final SimHost h : run.nodes()) {
            if (h.isUp()) {
                h.core().tree().counters().snapshot().forEach((k, v) -> counters.merge(k, v, Long::sum));
            }
        }
        out.put("tree_counters", counters);
        // what the nodes refused lately, by kind (the peer's id left out)
        final Map<String, Integer> refusals = new TreeMap<>();
        for (final SimHost h : run.nodes()) {
            if (h.isUp()) {
                for (final String r : h.core().tree().refusals()) {
                    refusals.merge(ScenarioTrace.HEX_ID.matcher(r).replaceAll("N").replaceAll("[0-9]+", "#"), 1, Integer::sum);
                }
            }
        }
        out.put("tree_refusals_recent", refusals);
        out.put("max_frame_bytes", run.fleet.network().frameBytesMax());
        out.put("max_frame_type", run.fleet.network().frameTypeMax());
        out.put("sim_s", TreeRun.seconds(run.sim.elapsedMicros()));
        out.put("events", run.sim.eventsRun());
        out.put("invariant_checks", checker.checksRun());
        out.put("root_over_counts_while_moving", checker.overCounts());
        out.put("invariants_failed", run.failures());
        run.host.sample();
        return out;
    }

    private long stateBytesMax() {
        long max = 0;
        for (final SimHost h : run.nodes()) {
            if (h.isUp()) {
                max = Math.max(max, h.core().tree().stateBytes());
            }
        }
        return max;
    }
}
