package dev.vigil.simnet.tree;

import dev.vigil.daemon.stats.Moments;
import dev.vigil.daemon.tree.TreeNode;
import dev.vigil.daemon.tree.TreeRules;
import dev.vigil.simnet.SimHost;
import dev.vigil.simnet.Simulator;

/**
 * Holds the tree to its invariants while the phases run: what must hold at every moment (the depth bound, with one
 * level of slack), convergence (every invariant of {@link TreePicture}), and the root's fleet aggregate against the
 * exact reference. Remembers the extremes seen at the checks for the report.
 */
final class TreeChecker {
    /** How often a run that waits for convergence looks at the tree, in simulated time. */
    static final long CHECK_MICROS = 100_000;

    private final TreeRun run;
    private final Simulator sim;
    /** The largest cluster below the top seen at any convergence check, join storms included. */
    private int clusterSizeSeenMax;
    /** The deepest tree seen at any safety check. */
    private int depthSeenMax;

    TreeChecker(final TreeRun run) {
        this.run = run;
        this.sim = run.sim;
    }

    int clusterSizeSeenMax() {
        return clusterSizeSeenMax;
    }

    int depthSeenMax() {
        return depthSeenMax;
    }

    /** Runs until the tree has converged (all invariants hold); returns the time, or -1 at the limit. */
    long runUntilConverged(final long untilMicros) {
        final long[] convergedAt = {-1};
        final Runnable[] check = new Runnable[1];
        check[0] = () -> {
            run.host.sample();
            checkSafety();
            final TreePicture picture = new TreePicture(run);
            clusterSizeSeenMax = Math.max(clusterSizeSeenMax, picture.sizeMax());
            run.trace.progress(picture);
            if (picture.problems().isEmpty()) {
                convergedAt[0] = sim.nowMicros();
            } else {
                sim.schedule(CHECK_MICROS, check[0]);
            }
        };
        sim.schedule(CHECK_MICROS, check[0]);
        sim.runUntil(untilMicros, () -> convergedAt[0] >= 0);
        if (convergedAt[0] < 0) {
            final TreePicture p = new TreePicture(run);
            run.fail(new TreeFailure.NotConverged(TreeRun.seconds(sim.nowMicros() - Simulator.EPOCH_MICROS), p.problems()));
        }
        return convergedAt[0];
    }

    /** What must hold at every moment, converged or not: the depth bound (with one level of slack while splits settle). */
    void checkSafety() {
        int depth = 0;
        int up = 0;
        for (final SimHost h : run.fleet.hosts()) {
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
}
