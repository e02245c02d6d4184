package dev.vigil.simnet.tree;

import dev.vigil.daemon.stats.Moments;
import dev.vigil.daemon.tree.TreeNode;
import dev.vigil.daemon.tree.TreeRules;
import dev.vigil.simnet.SimHost;
import dev.vigil.simnet.Simulator;

/**
 * Holds the tree to its invariants from the first event of a run to the last, on two cadences:
 * <ul>
 *   <li><b>Every event</b> (every timer or frame a node handles), on that node, cheap checks: no outsider is its peer,
 *       a member of one of its clusters or a contributor to one; no cluster it heads is over B after the input (the
 *       node measures that itself, after every input: a full head splits as it admits). On the root, at every change
 *       of the fleet aggregate: while nodes still move it may count more observations than the nodes made for at most
 *       {@link #OVER_COUNT_HOLD_MAX_MICROS} (two paths to the root racing), while a change is in flight never more,
 *       and once converged exactly theirs.</li>
 *   <li><b>Every {@value #CHECK_MICROS} µs of simulated time</b>, the whole fleet: the depth bound (one level of slack
 *       while splits settle), every node's peer table (bounded, certified nodes only) and, while the tree is meant to
 *       be converged, every invariant of a {@link TreePicture} at that one instant.</li>
 * </ul>
 * What holds depends on the phase ({@link Watch}), which the phases set as they go. Remembers the extremes seen
 * for the report.
 */
final class TreeChecker {
    /** How often the whole fleet is checked, in simulated time. */
    static final long CHECK_MICROS = 100_000;
    /**
     * How long the root may count more observations than the nodes made while nodes still move (joining, settling).
     * A node that moves to a head with a shorter path up can be counted by its new head's contribution before its old
     * head's retraction has climbed the longer path: no local rule orders two paths to the root. Such a race lasts
     * about one path's latency (under 0.5 s on the world map); an over-count that lasts longer is a defect.
     */
    static final long OVER_COUNT_HOLD_MAX_MICROS = 1_000_000;
    /** The root aggregate's relative error a converged tree may show against the exact reference. */
    static final double AGGREGATE_ERROR_MAX = 1e-12;

    /** What the tree is held to now. */
    enum Watch {
        /** Joining, or nodes leaving and joining: safety only; the root may not over-count unless nodes departed. */
        SAFETY,
        /** Nodes departed or a head forges its counts (churn, lying head): safety only, over-counting expected. */
        DEPARTURES,
        /** Converged and nothing changing: every invariant at every check, the root's aggregate exact on every change. */
        CONVERGED,
        /** Converged, one change on its way to the root: every invariant but the root's count, which may lag. */
        CHANGE_IN_FLIGHT
    }

    private final TreeRun run;
    private final Simulator sim;
    private Watch watch = Watch.SAFETY;
    /** Set by {@link #runUntilConverged}: the instant the picture first had no problem. */
    private long convergedAt = -1;
    private boolean waitingForConvergence;
    /** The largest cluster any node headed after any input, as the nodes count it themselves. */
    private int clusterSizeSeenMax;
    /** The deepest tree seen at any check. */
    private int depthSeenMax;
    private long eventChecks;
    private long fleetChecks;
    private long rootChecks;
    /** Outsider sightings already reported, as "node/outsider/as": each is reported once, when first seen. */
    private final java.util.Set<String> outsiderSeen = new java.util.HashSet<>();
    /** Since when the root has counted more than the nodes made (moves still racing), or -1. */
    private long overCountSince = -1;
    private boolean overCountReported;
    private long overCountEpisodes;
    private long overCountExcessMax;
    private long overCountLongestMicros;
    /** Failures of a converged picture: counted all, reported the first. */
    private long brokenPictures;

    TreeChecker(final TreeRun run) {
        this.run = run;
        this.sim = run.sim;
    }

    /** Starts checking: per event on every host, on every root change, and at the fixed cadence until the run ends. */
    void start() {
        run.fleet.setAfterInput(this::afterInput);
        run.addRootObserver(this::rootChanged);
        final Runnable[] check = new Runnable[1];
        check[0] = () -> {
            checkFleet();
            sim.schedule(CHECK_MICROS, check[0]);
        };
        sim.schedule(CHECK_MICROS, check[0]);
    }

    void watch(final Watch newWatch) {
        this.watch = newWatch;
    }

    int clusterSizeSeenMax() {
        return clusterSizeSeenMax;
    }

    int depthSeenMax() {
        return depthSeenMax;
    }

    /** How many checks of each cadence ran, for the report. */
    java.util.Map<String, Long> checksRun() {
        final java.util.Map<String, Long> m = new java.util.LinkedHashMap<>();
        m.put("per_event", eventChecks);
        m.put("per_root_change", rootChecks);
        m.put("every_100ms", fleetChecks);
        m.put("broken_converged_pictures", brokenPictures);
        return m;
    }

    /** Over-counts at the root while nodes still moved: how many, the largest excess, the longest in ms. */
    java.util.Map<String, Object> overCounts() {
        final java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("episodes", overCountEpisodes);
        m.put("excess_max", overCountExcessMax);
        m.put("longest_ms", TreeRun.round(overCountLongestMicros / 1000.0, 3));
        return m;
    }

    /** Runs until the tree has converged (all invariants hold at one check); returns the time, or -1 at the limit. */
    long runUntilConverged(final long untilMicros) {
        convergedAt = -1;
        waitingForConvergence = true;
        sim.runUntil(untilMicros, () -> convergedAt >= 0);
        waitingForConvergence = false;
        if (convergedAt < 0) {
            final TreePicture p = new TreePicture(run);
            run.fail(new TreeFailure.NotConverged(TreeRun.seconds(sim.nowMicros() - Simulator.EPOCH_MICROS), p.problems()));
        }
        return convergedAt;
    }

    /** Every event, on the host that handled it: outsiders stay out; the node's own count of its largest cluster. */
    private void afterInput(final SimHost h) {
        if (!h.isUp() || run.fleet.isOutsider(h.nodeId())) {
            return;
        }
        eventChecks++;
        final TreeNode tree = h.core().tree();
        if (tree.clusterSizeMax() > clusterSizeSeenMax) {
            clusterSizeSeenMax = tree.clusterSizeMax();
            if (clusterSizeSeenMax > run.params.b()) {
                // a full head splits as it admits: no input may leave a cluster over B
                run.fail(new TreeFailure.ClusterOverB(h.index(), clusterSizeSeenMax, run.params.b(),
                    TreeRun.seconds(sim.elapsedMicros())));
            }
        }
        for (final SimHost outsider : run.outsiders()) {
            final long id = outsider.nodeId();
            if (h.core().isPeer(id) && outsiderSeen.add(h.index() + "/" + outsider.index() + "/peer")) {
                run.fail(new TreeFailure.OutsiderAdmitted(h.index(), outsider.index(), "peer", TreeRun.seconds(sim.elapsedMicros())));
            }
            if (tree.holds(id) && outsiderSeen.add(h.index() + "/" + outsider.index() + "/tree")) {
                run.fail(new TreeFailure.OutsiderAdmitted(h.index(), outsider.index(), "tree member or contributor",
                    TreeRun.seconds(sim.elapsedMicros())));
            }
        }
    }

    /** Every change of the root's fleet aggregate: never more than the nodes made; exact while converged. */
    private void rootChanged(final TreeNode root, final long nowMicros) {
        rootChecks++;
        final Moments m = root.aggregateAt(root.topLevel());
        final long held = m == null ? 0 : m.count();
        final long made = run.reference.count();
        switch (watch) {
            case SAFETY -> {
                // nodes still move: an over-count may race for a moment (see OVER_COUNT_HOLD_MAX_MICROS)
                if (held > made) {
                    if (overCountSince < 0) {
                        overCountSince = nowMicros;
                        overCountEpisodes++;
                    }
                    overCountExcessMax = Math.max(overCountExcessMax, held - made);
                } else {
                    endOverCount(nowMicros);
                }
            }
            case CHANGE_IN_FLIGHT -> {
                if (held > made) {
                    run.fail(new TreeFailure.RootCountWrong(held, made, false, TreeRun.seconds(sim.elapsedMicros())));
                }
            }
            case CONVERGED -> {
                if (held != made) {
                    run.fail(new TreeFailure.RootCountWrong(held, made, true, TreeRun.seconds(sim.elapsedMicros())));
                } else if (run.reference.relativeError(m) > AGGREGATE_ERROR_MAX) {
                    run.fail(new TreeFailure.AggregateInexact(run.reference.relativeError(m),
                        "at " + TreeRun.seconds(sim.elapsedMicros()) + " s"));
                }
            }
            default -> { }
        }
    }

    private void endOverCount(final long nowMicros) {
        if (overCountSince >= 0) {
            overCountLongestMicros = Math.max(overCountLongestMicros, nowMicros - overCountSince);
            overCountSince = -1;
            overCountReported = false;
        }
    }

    /** Every {@value #CHECK_MICROS} µs: the whole fleet, and the whole picture while converged or converging. */
    private void checkFleet() {
        fleetChecks++;
        if (overCountSince >= 0 && watch != Watch.SAFETY) {
            endOverCount(sim.nowMicros()); // the phase changed; what holds now is checked on its own terms
        }
        if (overCountSince >= 0 && sim.nowMicros() - overCountSince > OVER_COUNT_HOLD_MAX_MICROS && !overCountReported) {
            overCountReported = true;
            run.fail(new TreeFailure.OverCountHeld(TreeRun.seconds(overCountSince - Simulator.EPOCH_MICROS),
                OVER_COUNT_HOLD_MAX_MICROS / 1000, overCountExcessMax));
        }
        run.host.sample();
        checkSafety();
        checkPeers();
        if (waitingForConvergence || watch == Watch.CONVERGED || watch == Watch.CHANGE_IN_FLIGHT) {
            final TreePicture picture = new TreePicture(run, watch != Watch.CHANGE_IN_FLIGHT);
            run.trace.progress(picture);
            if (waitingForConvergence) {
                if (picture.problems().isEmpty() && convergedAt < 0) {
                    convergedAt = sim.nowMicros();
                }
            } else if (!picture.problems().isEmpty()) {
                brokenPictures++;
                run.fail(new TreeFailure.ConvergenceLost(TreeRun.seconds(sim.elapsedMicros()), watch.name().toLowerCase(java.util.Locale.ROOT),
                    picture.problems()));
            }
        }
    }

    /** The depth bound, with one level of slack while splits settle. */
    private void checkSafety() {
        int depth = 0;
        int up = 0;
        for (final SimHost h : run.nodes()) {
            if (h.isUp()) {
                up++;
                depth = Math.max(depth, h.core().tree().topLevel() + 1);
            }
        }
        depthSeenMax = Math.max(depthSeenMax, depth);
        if (up > 1 && depth > TreeRules.depthBound(up, run.params.b()) + 1) {
            run.fail(new TreeFailure.DepthUnsafe(depth, up, TreeRules.depthBound(up, run.params.b())));
        }
    }

    /** Every node's peer table: within its bound, never itself, never an id of no node (each such entry reported once). */
    private void checkPeers() {
        for (final SimHost h : run.nodes()) {
            if (!h.isUp()) {
                continue;
            }
            final long[] peers = h.core().peerIds();
            if (peers.length > h.config().peersMax()) {
                run.fail(new TreeFailure.PeerTable(h.index(), "holds " + peers.length + " peers, bound " + h.config().peersMax()));
            }
            for (final long id : peers) {
                // outsiders are caught on the event that lets them in; here, ids that are no node at all, or itself
                if ((id == h.nodeId() || run.hostById(id) == null && !run.fleet.isOutsider(id))
                    && outsiderSeen.add(h.index() + "/" + id + "/table")) {
                    run.fail(new TreeFailure.PeerTable(h.index(), "lists " + dev.vigil.crypto.NodeIds.toHex(id)
                        + (id == h.nodeId() ? " (itself)" : ", which the cluster CA never certified")));
                }
            }
        }
    }

    /** The root's fleet aggregate against the exact (BigDecimal) merge of every node's observations; NaN without one root. */
    double aggregateRelativeError() {
        final TreePicture p = new TreePicture(run);
        if (p.root() == null) {
            return Double.NaN;
        }
        final TreeNode rootTree = p.root().core().tree();
        final Moments m = rootTree.aggregateAt(rootTree.topLevel());
        if (m == null || m.count() != run.reference.count()) {
            run.fail(new TreeFailure.FleetCountWrong(m == null ? 0 : m.count(), run.reference.count()));
            return Double.NaN;
        }
        return run.reference.relativeError(m);
    }

    /**
     * As {@link #aggregateRelativeError()}, failing the run when there is no single root or the error is over
     * {@link #AGGREGATE_ERROR_MAX}; {@code when} names the moment in the failure.
     */
    double assertAggregateExact(final String when) {
        final double error = aggregateRelativeError();
        if (!(error <= AGGREGATE_ERROR_MAX)) {
            run.fail(new TreeFailure.AggregateInexact(error, when));
        }
        return error;
    }
}
