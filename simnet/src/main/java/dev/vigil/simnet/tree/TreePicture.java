package dev.vigil.simnet.tree;

import dev.vigil.crypto.NodeIds;
import dev.vigil.daemon.stats.Moments;
import dev.vigil.daemon.tree.TreeNode;
import dev.vigil.daemon.tree.TreeRules;
import dev.vigil.simnet.SimHost;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A consistent picture of the tree, read from the nodes' own state at one moment, and the tree's invariants checked
 * on it: what keeps the tree from having converged, in the order found. The tree has converged when the list of
 * problems is empty. Reading changes nothing in the nodes.
 */
final class TreePicture {
    /** Diagnosis lines stop once the picture holds this many problems: the first say where the counts go wrong. */
    private static final int DIAGNOSIS_PROBLEMS_MAX = 8;

    private final TreeRun run;
    private final List<SimHost> up;
    private final List<TreeProblem> problems = new ArrayList<>();
    private final List<long[]> leafClusters = new ArrayList<>();
    private SimHost root;
    private int depth;
    private int sizeMin = Integer.MAX_VALUE;
    private int sizeMax;

    TreePicture(final TreeRun run) {
        this(run, true);
    }

    /** A picture; without {@code withAggregate}, the root's aggregate is not held to the reference (a change in flight). */
    TreePicture(final TreeRun run, final boolean withAggregate) {
        this.run = run;
        this.up = run.upHosts();
        if (up.size() < run.params.nodes()) {
            // not converged before the fleet is all there (a tree of the first few nodes is trivially clean)
            problems.add(new TreeProblem.NodesMissing(up.size(), run.params.nodes()));
        }
        final List<SimHost> roots = new ArrayList<>();
        for (final SimHost h : up) {
            if (h.core().tree().isRoot()) {
                roots.add(h);
            }
        }
        if (roots.size() != 1) {
            problems.add(new TreeProblem.RootCount(roots.size()));
            return;
        }
        root = roots.get(0);
        final int top = root.core().tree().topLevel();
        depth = top + 1;
        for (final SimHost h : up) {
            checkPlace(h, top);
        }
        if (up.size() > 1 && depth > TreeRules.depthBound(up.size(), run.params.b())) {
            problems.add(new TreeProblem.DepthOverBound(depth, TreeRules.depthBound(up.size(), run.params.b())));
        }
        if (withAggregate) {
            checkRootAggregate(top);
        }
    }

    /** Hosts up when the picture was taken, in fleet order. */
    List<SimHost> up() {
        return up;
    }

    /** What keeps the tree from having converged; empty once it has. */
    List<TreeProblem> problems() {
        return problems;
    }

    /** The one root, or null when there is none or more than one. */
    SimHost root() {
        return root;
    }

    /** Levels below and including the root's (0 without a single root). */
    int depth() {
        return depth;
    }

    /** The smallest cluster below the top, or {@link Integer#MAX_VALUE} when there is none. */
    int sizeMin() {
        return sizeMin;
    }

    /** The largest cluster below the top, or 0 when there is none. */
    int sizeMax() {
        return sizeMax;
    }

    /** Member ids of every level-0 cluster, as its head lists them. */
    List<long[]> leafClusters() {
        return leafClusters;
    }

    /** Node {@code h}'s place at every level it is in: membership is mutual, heads head, clusters are within bounds. */
    private void checkPlace(final SimHost h, final int top) {
        final TreeNode t = h.core().tree();
        if (!t.isPlaced()) {
            problems.add(new TreeProblem.Unplaced(h.index()));
            return;
        }
        if (t.root() == null || t.root().id() != root.nodeId()) {
            problems.add(new TreeProblem.WrongRoot(h.index()));
        }
        final int half = (run.params.b() + 1) / 2;
        for (int level = 0; level <= top; level++) {
            final long head = t.headAt(level);
            if (head == 0) {
                if (level == 0 || t.headAt(level - 1) == h.nodeId() && level <= top) {
                    problems.add(new TreeProblem.NoClusterAbove(h.index(), level - 1));
                }
                return;
            }
            final SimHost headHost = run.hostById(head);
            if (headHost == null || !headHost.isUp() || headHost.core().tree().headAt(level) != head
                || Arrays.binarySearch(sortedCopy(headHost.core().tree().membersAt(level)), h.nodeId()) < 0) {
                problems.add(new TreeProblem.NotInHeadsView(h.index(), level));
            }
            if (head != h.nodeId()) {
                if (level + 1 <= top && t.headAt(level + 1) != 0) {
                    problems.add(new TreeProblem.HeadsNothingBelow(h.index(), level));
                }
                return;
            }
            // a head: every member it lists counts it as head
            for (final long member : t.membersAt(level)) {
                final SimHost m = run.hostById(member);
                if (member != head && (m == null || !m.isUp() || m.core().tree().headAt(level) != head)) {
                    problems.add(new TreeProblem.ListedNotCounting(h.index(), m == null ? null : m.index(), level));
                }
            }
            // its cluster's size
            final int size = t.membersAt(level).length;
            if (level == top) {
                if (h != root) {
                    problems.add(new TreeProblem.TopNotRoot(h.index()));
                }
            } else {
                sizeMin = Math.min(sizeMin, size);
                sizeMax = Math.max(sizeMax, size);
                if (size < half || size > run.params.b()) {
                    problems.add(new TreeProblem.ClusterSize(h.index(), level, size, half, run.params.b()));
                }
            }
            if (level == 0) {
                leafClusters.add(t.membersAt(0));
            }
        }
    }

    /** The root's aggregate covers every node up and holds exactly their observations; if not, where the counts go wrong. */
    private void checkRootAggregate(final int top) {
        final TreeNode rootTree = root.core().tree();
        final Moments rootAggregate = rootTree.aggregateAt(top);
        final long made = run.reference.count();
        if (rootTree.leavesAt(top) == up.size()) {
            // every node counted; its latest data too? (one counted twice and another missing passes the counts)
            if (rootAggregate == null || rootAggregate.count() != made) {
                problems.add(new TreeProblem.RootAggregateCount(rootAggregate == null ? 0 : rootAggregate.count(), made));
            } else {
                final double error = run.reference.relativeError(rootAggregate);
                if (error > 1e-12) {
                    problems.add(new TreeProblem.RootAggregateError(error));
                }
            }
        }
        if (rootTree.leavesAt(top) != up.size()) {
            problems.add(new TreeProblem.RootCoverage(rootTree.leavesAt(top), up.size()));
            diagnoseCoverage(top);
        }
    }

    /** Where the counts first go wrong, level by level from the leaves: a cluster whose aggregate misses a member's subtree. */
    private void diagnoseCoverage(final int top) {
        for (int level = 0; level <= top && problems.size() < DIAGNOSIS_PROBLEMS_MAX; level++) {
            for (final SimHost h : up) {
                final TreeNode t = h.core().tree();
                if (t.headAt(level) != h.nodeId()) {
                    continue;
                }
                long expected = 0;
                for (final long m : t.membersAt(level)) {
                    final SimHost member = run.hostById(m);
                    if (!member.isUp()) {
                        problems.add(new TreeProblem.MemberDown(level, h.index(), member.index()));
                        continue;
                    }
                    final long theirs = level == 0 ? 1 : member.core().tree().leavesAt(level - 1);
                    expected += theirs;
                    if (level > 0 && problems.size() < DIAGNOSIS_PROBLEMS_MAX
                        && !t.describeContribution(level, m).contains("leaves " + theirs + ",")) {
                        final SimHost theirHead = run.hostById(member.core().tree().headAt(level));
                        problems.add(new TreeProblem.ContributionDiffers(member.index(), theirHead == null ? null : theirHead.index(),
                            theirs, "" + h.core().counters().snapshot().rejected()
                                + h.core().status().refusals().stream().filter(x -> x.nodeId().equals(NodeIds.toHex(m))).toList(),
                            t.describeContribution(level, m), member.core().tree().describeContribution(level, m)));
                    }
                }
                if (expected != t.leavesAt(level) && problems.size() < DIAGNOSIS_PROBLEMS_MAX) {
                    problems.add(new TreeProblem.AggregateDiffers(level, h.index(), t.leavesAt(level), expected,
                        "" + t.counters().snapshot()));
                }
            }
        }
    }

    private static long[] sortedCopy(final long[] ids) {
        final long[] copy = ids.clone();
        Arrays.sort(copy);
        return copy;
    }
}
