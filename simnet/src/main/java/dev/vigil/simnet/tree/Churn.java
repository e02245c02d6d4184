package dev.vigil.simnet.tree;

import dev.vigil.simnet.SimHost;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The {@code churn} phase: a share of the nodes is replaced at an even pace (half crash, half leave; every third
 * victim is a head, the root included), each by a fresh node joining; the tree is held to safety throughout, and must
 * converge again with exact counts.
 */
final class Churn {
    private final TreeRun run;
    private final TreeChecker checker;

    Churn(final TreeRun run, final TreeChecker checker) {
        this.run = run;
        this.checker = checker;
    }

    void measure(final Map<String, Object> out) {
        final int replaced = Math.max(1, (int)Math.round(run.params.churnFraction() * run.params.nodes()));
        final long spacing = Math.max(1, run.params.churnMicros() / replaced);
        final SplittableRandom r = new SplittableRandom(run.params.seed() ^ 0xC2B2AE3D27D4EB4FL);
        // a departed node's statistics count at the root until its head notices: over-counting is expected for a while
        checker.watch(TreeChecker.Watch.DEPARTURES);
        int crashes = 0;
        int leaves = 0;
        int headsHit = 0;
        for (int k = 0; k < replaced; k++) {
            final List<SimHost> up = run.upHosts();
            // every third victim is a head (the root included), the rest anyone but the founder's bootstrap host
            SimHost victim = null;
            if (k % 3 == 0) {
                final List<SimHost> heads = new ArrayList<>();
                for (final SimHost h : up) {
                    if (h.index() != 0 && h.core().tree().headAt(0) == h.nodeId()) {
                        heads.add(h);
                    }
                }
                if (!heads.isEmpty()) {
                    victim = heads.get(r.nextInt(heads.size()));
                    headsHit++;
                }
            }
            while (victim == null || victim.index() == 0) {
                victim = up.get(r.nextInt(up.size()));
            }
            // the departed node's observations leave the reference
            for (final double[] x : run.observationsOf(victim.index())) {
                run.reference.subtract(x);
            }
            if (r.nextBoolean()) {
                victim.crash();
                crashes++;
            } else {
                victim.stop();
                leaves++;
            }
            final SimHost fresh = run.addNode(false);
            fresh.start();
            run.sim.runFor(spacing);
        }
        out.put("churn_replaced", replaced);
        out.put("churn_crashes", crashes);
        out.put("churn_leaves", leaves);
        out.put("churn_heads_hit", headsHit);
        final long start = run.sim.nowMicros();
        final long again = checker.runUntilConverged(start + run.params.timeLimitMicros());
        out.put("reconverged", again >= 0);
        out.put("reconverge_sim_s", again < 0 ? null : TreeRun.seconds(again - start));
        if (again >= 0) {
            checker.watch(TreeChecker.Watch.CONVERGED);
            final Map<String, Object> after = new LinkedHashMap<>();
            TreeShape.measure(run, after);
            out.put("after", after);
            out.put("aggregate_rel_error_after", checker.assertAggregateExact("after churn"));
        }
        out.put("depth_seen_max", checker.depthSeenMax());
    }
}
