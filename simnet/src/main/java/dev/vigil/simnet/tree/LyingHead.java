package dev.vigil.simnet.tree;

import dev.vigil.daemon.stats.Moments;
import dev.vigil.daemon.tree.TreeNode;
import dev.vigil.simnet.SimHost;

import java.util.Arrays;
import java.util.Map;

/**
 * The {@code lying-head} phase: the lowest-indexed head other than the root inflates the aggregate it sends up
 * tenfold. Its members recompute, challenge and elect another head, its parent drops it; the phase times that, then
 * holds the fleet aggregate to hold no forged observation.
 */
final class LyingHead {
    /** How much the liar inflates the counts it sends up. */
    private static final int FORGERY_FACTOR = 10;
    /** How long the fleet has to replace the liar. */
    private static final long REPLACE_MICROS_MAX = 60_000_000;
    /** Quiet time after the replacement, before the fleet aggregate is checked. */
    private static final long SETTLE_MICROS = 10_000_000;
    /**
     * After the quiet time, how long the fleet aggregate may still take to count every honest observation. The liar's
     * old cluster comes apart: its members relocate, an underfull cluster merges and the merge splits again, and each
     * handover retracts the movers' leaves at once and counts them again only once their new head has a place, a
     * second or so later. One such handover can fall on the instant the settle ends.
     */
    private static final long COMPLETE_MICROS_MAX = 5_000_000;
    /** Tree levels looked at on every node (more than any tree of this simulator has). */
    private static final int LEVELS_MAX = 16;

    private final TreeRun run;
    private final TreeChecker checker;

    LyingHead(final TreeRun run, final TreeChecker checker) {
        this.run = run;
        this.checker = checker;
    }

    void measure(final Map<String, Object> out) {
        final TreePicture p = new TreePicture(run);
        SimHost liar = null;
        for (final SimHost h : p.up()) {
            final TreeNode t = h.core().tree();
            if (h != p.root() && t.headAt(0) == h.nodeId() && (liar == null || h.index() < liar.index())) {
                liar = h;
            }
        }
        if (liar == null) {
            run.fail(new TreeFailure.NoLiar());
            return;
        }
        out.put("liar", liar.index());
        final long t0 = run.sim.nowMicros();
        // the root over-counts until the liar is out; the liar may come back as a member, so no exact count after
        checker.watch(TreeChecker.Watch.DEPARTURES);
        liar.core().tree().forgeUpwardCounts(FORGERY_FACTOR);
        // make the liar's cluster send fresh statistics so the forgery goes up at once
        liar.core().publishLocalSummary(run.dataOf(liar), 1 + liar.index() % 7);
        final long liarId = liar.nodeId();
        final long[] replacedAt = {-1};
        final Runnable[] check = new Runnable[1];
        check[0] = () -> {
            if (liarReplaced(liarId)) {
                replacedAt[0] = run.sim.nowMicros();
            } else {
                run.sim.schedule(TreeChecker.CHECK_MICROS, check[0]);
            }
        };
        run.sim.schedule(TreeChecker.CHECK_MICROS, check[0]);
        run.sim.runUntil(t0 + REPLACE_MICROS_MAX, () -> replacedAt[0] >= 0);
        out.put("liar_replaced", replacedAt[0] >= 0);
        out.put("detect_sim_s", replacedAt[0] < 0 ? null : TreeRun.seconds(replacedAt[0] - t0));
        if (replacedAt[0] < 0) {
            run.fail(new TreeFailure.LiarKept(liar.index(), REPLACE_MICROS_MAX / 1_000_000));
            return;
        }
        // settle: the fleet aggregate must hold no forged observations. The liar's own statistics may
        // still count (it can rejoin as an ordinary member); its inflated aggregate must not.
        run.sim.runFor(SETTLE_MICROS);
        final long liarOwn = run.dataOf(liar).count();
        // the first instant, within the bound, at which the root counts every honest observation, or one that counts
        // more than the nodes made (a forged count is never waited out)
        final long settledAt = run.sim.nowMicros();
        final long[] count = {fleetCount()};
        final Runnable[] look = new Runnable[1];
        look[0] = () -> {
            count[0] = fleetCount();
            if (count[0] < run.reference.count() - liarOwn) {
                run.sim.schedule(TreeChecker.CHECK_MICROS, look[0]);
            }
        };
        if (count[0] < run.reference.count() - liarOwn) {
            run.sim.schedule(TreeChecker.CHECK_MICROS, look[0]);
            run.sim.runUntil(settledAt + COMPLETE_MICROS_MAX, () -> count[0] >= run.reference.count() - liarOwn);
        }
        final long made = run.reference.count();
        out.put("fleet_count_after", count[0]);
        out.put("true_count", made);
        if (count[0] > made || count[0] < made - liarOwn) {
            run.fail(new TreeFailure.ForgedCount(count[0], made, liarOwn));
        }
    }

    /** What the root's fleet aggregate counts now (0 without a root). */
    private long fleetCount() {
        final TreePicture p = new TreePicture(run);
        final TreeNode rootTree = p.root() == null ? null : p.root().core().tree();
        final Moments fleetMoments = rootTree == null ? null : rootTree.aggregateAt(rootTree.topLevel());
        return fleetMoments == null ? 0 : fleetMoments.count();
    }

    /** The liar heads no cluster any honest node follows, and no honest head keeps it as a member above level 0. */
    private boolean liarReplaced(final long liarId) {
        for (final SimHost h : run.nodes()) {
            if (!h.isUp() || h.nodeId() == liarId) {
                continue;
            }
            final TreeNode t = h.core().tree();
            for (int level = 0; level < LEVELS_MAX; level++) {
                if (t.headAt(level) == liarId) {
                    return false;
                }
                if (level > 0 && t.headAt(level) == h.nodeId()
                    && Arrays.stream(t.membersAt(level)).anyMatch(id -> id == liarId)) {
                    return false;
                }
            }
        }
        return true;
    }
}
