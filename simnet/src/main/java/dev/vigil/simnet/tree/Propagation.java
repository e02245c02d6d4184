package dev.vigil.simnet.tree;

import dev.vigil.daemon.stats.Moments;
import dev.vigil.daemon.tree.TreeNode;
import dev.vigil.simnet.SimHost;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The {@code propagation} phase: one random node's statistics change, again and again; each time, how long until the
 * root's aggregate holds the new count, divided by the sum of one-way latencies up that node's head chain (the least
 * time the change could take). While a change is on its way, the tree is held to every invariant but the root's count,
 * which may lag but never exceed the truth; between changes, to all of them.
 */
final class Propagation {
    /** How long one change may take to reach the root before the phase fails. */
    private static final long REACH_MICROS_MAX = 10_000_000;
    /** Quiet time between two changes. */
    private static final long PAUSE_MICROS = 500_000;
    /** Tree levels a head chain is followed up (more than any tree of this simulator has). */
    private static final int LEVELS_MAX = 16;

    private final TreeRun run;
    private final TreeChecker checker;

    Propagation(final TreeRun run, final TreeChecker checker) {
        this.run = run;
        this.checker = checker;
    }

    void measure(final Map<String, Object> out) {
        final SplittableRandom r = new SplittableRandom(run.params.seed() ^ 0x2545F4914F6CDD1DL);
        final List<Double> ratios = new ArrayList<>();
        final TreePicture p = new TreePicture(run);
        if (p.root() == null) {
            return;
        }
        final long[] reflectedAt = {-1};
        final long[] expected = {0};
        final TreeNode.Observer reached = (node, now) -> {
            final Moments m = node.aggregateAt(node.topLevel());
            if (reflectedAt[0] < 0 && m != null && m.count() == expected[0]) {
                reflectedAt[0] = now;
            }
        };
        run.addRootObserver(reached);
        final double[] extra = new double[run.dimension];
        for (int k = 0; k < run.params.propagationSamples(); k++) {
            final SimHost leaf = p.up().get(r.nextInt(p.up().size()));
            if (leaf == p.root()) {
                continue;
            }
            final long pathMicros = pathLatencyMicros(leaf);
            for (int i = 0; i < run.dimension; i++) {
                extra[i] = 1 + r.nextDouble();
            }
            final Moments data = run.dataOf(leaf);
            data.add(extra);
            run.reference.add(extra);
            expected[0] = run.reference.count();
            reflectedAt[0] = -1;
            final long t0 = run.sim.nowMicros();
            checker.watch(TreeChecker.Watch.CHANGE_IN_FLIGHT);
            leaf.core().publishLocalSummary(data, 1 + leaf.index() % 7);
            run.sim.runUntil(t0 + REACH_MICROS_MAX, () -> reflectedAt[0] >= 0);
            checker.watch(TreeChecker.Watch.CONVERGED);
            if (reflectedAt[0] < 0) {
                run.fail(new TreeFailure.ChangeNotAtRoot(leaf.index(), REACH_MICROS_MAX / 1_000_000));
                break;
            }
            ratios.add((reflectedAt[0] - t0) / (double)pathMicros);
            run.sim.runFor(PAUSE_MICROS);
        }
        run.removeRootObserver(reached);
        ratios.sort(Double::compare);
        out.put("propagation_samples", ratios.size());
        out.put("propagation_ratio_p50", ratios.isEmpty() ? null : TreeRun.round(percentile(ratios, 0.50), 3));
        out.put("propagation_ratio_p99", ratios.isEmpty() ? null : TreeRun.round(percentile(ratios, 0.99), 3));
        out.put("propagation_ratio_max", ratios.isEmpty() ? null : TreeRun.round(ratios.get(ratios.size() - 1), 3));
        out.put("aggregate_rel_error_after", checker.assertAggregateExact("after the changes"));
    }

    /** One-way latency summed over the hops from {@code leaf} up its head chain to the root. */
    private long pathLatencyMicros(final SimHost leaf) {
        long sum = 0;
        SimHost current = leaf;
        for (int level = 0; level < LEVELS_MAX; level++) {
            final TreeNode t = current.core().tree();
            final long head = t.headAt(level);
            if (head == 0) {
                break;
            }
            final SimHost next = run.hostById(head);
            if (next != current) {
                sum += run.oneWayMicros(current, next);
                current = next;
            }
        }
        return sum;
    }

    private static double percentile(final List<Double> sorted, final double q) {
        final int i = (int)Math.ceil(q * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, i)));
    }
}
