package dev.vigil.daemon.scenario;

import dev.vigil.daemon.aggregate.Summary;
import dev.vigil.daemon.stats.Moments;
import dev.vigil.daemon.tree.TreeConfig;
import dev.vigil.daemon.tree.TreeNode;
import dev.vigil.daemon.tree.TreeRules;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * simnet's tree scenarios at a small size, written once against {@link TestCluster}: twelve nodes
 * with B = 4 build a tree and aggregate exactly ({@code tree}), a changed leaf reaches the root
 * ({@code propagation}), killed nodes (a head among them) are replaced ({@code churn}), and a head
 * that forges its aggregate is replaced ({@code lying-head}). Subclasses say where the nodes run:
 * simnet's virtual network or real daemons on loopback.
 *
 * <p>Every wait is bounded by an allowance built from the tree's timers in {@link #TREE} and
 * {@link TestCluster#ROUND_TRIP_MAX}, worked out below, plus the environment's
 * {@link TestCluster#slack() slack} (none in simulation, where time is virtual): a protocol that
 * stalls or waits out a longer timer fails, a slow machine gets the slack.
 */
public abstract class TreeSuite {
    protected static final int NODES = 12;
    protected static final int DIMENSION = 10;
    /** B = 4 and a quick pace, so a dozen nodes build a tree of three levels in seconds. */
    protected static final TreeConfig TREE = TreeConfig.defaults(DIMENSION).withB(4).withTiming(500_000, 500_000, 1_500_000);
    private static final Duration ROUND_TRIP = TestCluster.ROUND_TRIP_MAX;
    private static final Duration SWIM_PERIOD = micros(TREE.pingIntervalMicros());
    /**
     * Until twelve fresh nodes have formed the tree: each waits the join delay, then descends; a step the
     * tree is too busy to answer is retried after the seek timeout, the delay doubling up to its cap, and
     * four retries are allowed (1 + 2 + 4 s, then 8 s at the cap); a cluster left underfull merges once it
     * has not changed for the merge delay; views settle within two refreshes. 20.5 s in all, an allowance
     * rather than a proof: simnet takes 7.5 s of virtual time, loopback 1.5-2.5 s.
     */
    private static final Duration FORMED = micros(TREE.joinDelayMicros() + 7 * TREE.seekTimeoutMicros()
        + TREE.seekBackoffMaxMicros() + TREE.mergeDelayMicros() + 2 * TREE.viewRefreshMicros());
    /**
     * Until a killed node is noticed: the members of a silent head give up on it after three view
     * refreshes and a seek timeout; a member is probed in turn, one of at most B + 1 each SWIM period, and
     * confirmed dead after the longest Lifeguard suspicion (suspicionMin × suspicionMaxFactor; log10 of
     * a cluster size under 10 adds nothing).
     */
    private static final Duration NOTICED = micros(Math.max(3 * TREE.viewRefreshMicros() + TREE.seekTimeoutMicros(),
        (TREE.b() + 1) * TREE.pingIntervalMicros() + TREE.suspicionMinMicros() * TREE.suspicionMaxFactor()));
    /**
     * Until a forging head is replaced: its next contribution carries the forgery, at once or after the flush
     * interval at the next core tick, both shorter than a SWIM period, and is announced to its members; they
     * check it on arrival and challenge it to each other and to the parent, within a round trip; a majority
     * elects the next medoid at once and the parent drops the liar. A view refresh more for the new head's view.
     */
    private static final Duration REPLACED = SWIM_PERIOD.plus(micros(TREE.viewRefreshMicros())).plus(ROUND_TRIP.multipliedBy(2));
    /**
     * Until the forgery has left the root's aggregate once the liar is dropped: each head on the way up passes
     * the change on within a SWIM period (as {@link #REPLACED}) and a hop, allowed a round trip, over at most
     * depthBound levels.
     */
    private static final Duration TRUTHFUL = SWIM_PERIOD.plus(ROUND_TRIP).multipliedBy(TreeRules.depthBound(NODES, TREE.b()));

    private TestCluster cluster;
    /** What each running node contributes, by node index. */
    private final Map<Integer, Moments> data = new LinkedHashMap<>();
    private final Map<Integer, Long> agents = new HashMap<>();

    protected abstract TestCluster newCluster(TreeConfig tree);

    @AfterEach
    void closeCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    /** A node's observations: a few dozen vectors around a node-specific centre, so merges are not trivial. */
    private static Moments dataFor(final int node, final int observations) {
        final SplittableRandom r = new SplittableRandom(1000 + node);
        final Moments m = new Moments(DIMENSION);
        final double[] x = new double[DIMENSION];
        for (int i = 0; i < observations; i++) {
            for (int f = 0; f < DIMENSION; f++) {
                x[f] = node + f * 0.5 + r.nextGaussian();
            }
            m.add(x);
        }
        return m;
    }

    private int startAndPublish() {
        final int node = cluster.startNode();
        final Moments m = dataFor(node, 10 + 3 * node);
        data.put(node, m);
        agents.put(node, 1L + node % 3);
        cluster.publishSummary(node, m, agents.get(node));
        return node;
    }

    private void startFleet() {
        cluster = newCluster(TREE);
        for (int i = 0; i < NODES; i++) {
            startAndPublish();
        }
    }

    private long trueCount() {
        return data.values().stream().mapToLong(Moments::count).sum();
    }

    // ---------------------------------------------------------------- the picture

    /** One node's place, read on its own thread. */
    private record Place(long id, boolean placed, long rootId, int top, long[] heads, List<long[]> members,
                         long fleetCount, long fleetLeaves, long topCount) {
    }

    private Place place(final int node) {
        return cluster.onTree(node, t -> {
            // the levels this node is in: 0 up to the highest it heads, plus the one above (as a member)
            final int top = t.topLevel();
            int own = 0;
            while (own <= top && t.headAt(own) != 0) {
                own++;
            }
            final long[] heads = new long[own];
            final List<long[]> members = new ArrayList<>();
            for (int l = 0; l < own; l++) {
                heads[l] = t.headAt(l);
                members.add(t.membersAt(l));
            }
            final Summary fleet = t.fleetBaseline();
            final Moments topAggregate = t.isRoot() ? t.aggregateAt(top) : null;
            return new Place(t.selfId(), t.isPlaced(), t.root() == null ? 0 : t.root().id(), top, heads, members,
                fleet == null ? -1 : fleet.moments().count(), fleet == null ? -1 : fleet.contributorCount(),
                topAggregate == null ? -1 : topAggregate.count());
        });
    }

    /**
     * Why the running nodes are not a converged tree, or {@code null} when they are: everyone placed
     * under one root, every head's cluster within [B/2, B] (the top one within [2, B]), every member
     * listed by its head, depth within the bound, and every node holding a fleet baseline that
     * counts exactly what the nodes contribute.
     */
    private String notConverged() {
        final Map<Long, Place> byId = new HashMap<>();
        for (final int node : data.keySet()) {
            final Place p = place(node);
            byId.put(p.id, p);
        }
        final long expected = trueCount();
        long rootId = 0;
        for (final Place p : byId.values()) {
            if (!p.placed || p.rootId == 0) {
                return Long.toHexString(p.id) + " is not placed";
            }
            if (rootId != 0 && p.rootId != rootId) {
                return "two roots: " + Long.toHexString(rootId) + " and " + Long.toHexString(p.rootId);
            }
            rootId = p.rootId;
        }
        final Place root = byId.get(rootId);
        if (root == null) {
            return "the root " + Long.toHexString(rootId) + " is not a running node";
        }
        final int depth = root.top + 1;
        if (depth > TreeRules.depthBound(byId.size(), TREE.b())) {
            return "depth " + depth + " over the bound " + TreeRules.depthBound(byId.size(), TREE.b());
        }
        for (final Place p : byId.values()) {
            for (int l = 0; l < p.heads.length; l++) {
                final Place head = byId.get(p.heads[l]);
                if (head == null) {
                    return Long.toHexString(p.id) + "'s level " + l + " head " + Long.toHexString(p.heads[l]) + " is not running";
                }
                if (head.heads.length <= l || !contains(head.members.get(l), p.id)) {
                    return Long.toHexString(p.id) + " is not listed by its level " + l + " head";
                }
                if (head == p) {
                    final int size = p.members.get(l).length;
                    final int min = l == root.top ? 2 : TREE.b() / 2;
                    if (size < min || size > TREE.b()) {
                        return "level " + l + " cluster of " + Long.toHexString(p.id) + " holds " + size;
                    }
                }
            }
            if (p.fleetCount != expected || p.fleetLeaves != byId.size()) {
                return Long.toHexString(p.id) + "'s fleet baseline counts " + p.fleetCount + " observations of "
                    + p.fleetLeaves + " nodes, not " + expected + " of " + byId.size();
            }
        }
        if (root.topCount != expected) {
            return "the root's aggregate counts " + root.topCount + ", not " + expected;
        }
        return null;
    }

    private static Duration micros(final long micros) {
        return Duration.ofNanos(micros * 1000);
    }

    private static List<String> hex(final long... ids) {
        return java.util.Arrays.stream(ids).mapToObj(Long::toHexString).toList();
    }

    private static boolean contains(final long[] ids, final long id) {
        for (final long x : ids) {
            if (x == id) {
                return true;
            }
        }
        return false;
    }

    private void awaitConverged(final String what, final Duration atMost) {
        final String[] last = {null};
        try {
            cluster.awaitUntil(what, atMost, () -> (last[0] = notConverged()) == null);
        } catch (final AssertionError e) {
            throw new AssertionError(e.getMessage() + "; last: " + last[0], e);
        }
    }

    private int rootIndex() {
        for (final int node : data.keySet()) {
            if (cluster.onTree(node, TreeNode::isRoot)) {
                return node;
            }
        }
        throw new AssertionError("no root among the running nodes");
    }

    /** A node that heads a level-0 cluster and is not the root, or -1. */
    private int nonRootHead() {
        for (final int node : data.keySet()) {
            if (cluster.onTree(node, t -> !t.isRoot() && t.headAt(0) == t.selfId())) {
                return node;
            }
        }
        return -1;
    }

    // ---------------------------------------------------------------- scenarios

    @Test
    void tree_twelveNodesBuildABalancedTreeWhoseRootAggregatesExactly() {
        startFleet();
        awaitConverged("twelve nodes form one tree with the exact fleet aggregate", FORMED.plus(cluster.slack()));

        final Place root = place(rootIndex());
        assertThat(root.top).as("top level with B = 4 and 12 nodes").isGreaterThanOrEqualTo(1);
        // the merge is exact, not only the count: compare the root's means with a direct merge
        final Moments direct = Moments.mergeInOrder(DIMENSION, data.values());
        final double[] fleetMean = cluster.onTree(rootIndex(), t -> t.aggregateAt(t.topLevel()).mean());
        for (int f = 0; f < DIMENSION; f++) {
            assertThat(fleetMean[f]).as("fleet mean of feature %d", f).isCloseTo(direct.mean(f), org.assertj.core.data.Offset.offset(1e-9));
        }
    }

    @Test
    void propagation_aChangedLeafReachesTheRootAndComesBackDown() {
        startFleet();
        awaitConverged("the tree forms", FORMED.plus(cluster.slack()));
        final int leaf = data.keySet().stream().filter(n -> n != rootIndex()).reduce((a, b) -> b).orElseThrow();
        final Moments changed = dataFor(leaf, 500);
        data.put(leaf, changed);
        cluster.publishSummary(leaf, changed, agents.get(leaf));
        // coalescing (100 ms) per level plus a few loopback hops: far under the view refresh
        awaitConverged("the root and every node see the leaf's new count", Duration.ofSeconds(5).plus(cluster.slack()));
    }

    @Test
    void churn_killedNodesAndAHeadAreReplacedAndTheTreeReconverges() {
        startFleet();
        awaitConverged("the tree forms", FORMED.plus(cluster.slack()));
        final int head = nonRootHead();
        assertThat(head).as("a level-0 head other than the root").isNotNegative();
        final int other = data.keySet().stream().filter(n -> n != head && n != rootIndex()
            && !cluster.onTree(n, t -> t.headAt(0) == t.selfId())).findFirst().orElseThrow();
        final long[] killed = {cluster.onTree(head, TreeNode::selfId), cluster.onTree(other, TreeNode::selfId)};
        cluster.kill(head);
        cluster.kill(other);
        data.remove(head);
        data.remove(other);
        startAndPublish();
        startAndPublish();
        // the newcomers join while the killed nodes are being noticed; allow the two one after the other
        awaitConverged("the tree re-forms without the killed nodes and with the new ones", NOTICED.plus(FORMED).plus(cluster.slack()));
        // as the nodes report it: no cluster anywhere still lists a killed node, and every node's fleet
        // baseline counts twelve contributing nodes, the ten survivors and the two newcomers. A killed
        // member of an upper-level cluster can outlive the convergence the check above sees (its
        // level-0 replacement is found first), so it gets one more NOTICED to be dropped there too.
        cluster.awaitUntil("no cluster lists a killed node", NOTICED.plus(cluster.slack()), () -> {
            for (final int node : data.keySet()) {
                final Place p = place(node);
                for (int l = 0; l < p.members.size(); l++) {
                    for (final long k : killed) {
                        if (contains(p.members.get(l), k)) {
                            return false;
                        }
                    }
                }
            }
            return true;
        });
        for (final int node : data.keySet()) {
            final Place p = place(node);
            for (int l = 0; l < p.members.size(); l++) {
                assertThat(hex(p.members.get(l))).as("%s's level %d cluster", Long.toHexString(p.id), l)
                    .doesNotContainAnyElementsOf(hex(killed));
            }
            assertThat(p.fleetLeaves).as("nodes in %s's fleet baseline", Long.toHexString(p.id)).isEqualTo(NODES);
        }
    }

    @Test
    void lyingHead_aHeadThatForgesItsAggregateIsReplacedAndTheFleetCountIsTrueAgain() {
        startFleet();
        awaitConverged("the tree forms", FORMED.plus(cluster.slack()));
        final int liar = nonRootHead();
        assertThat(liar).as("a level-0 head other than the root").isNotNegative();
        final long liarId = cluster.onTree(liar, TreeNode::selfId);
        cluster.onTree(liar, t -> {
            t.forgeUpwardCounts(10);
            return null;
        });
        cluster.publishSummary(liar, data.get(liar), agents.get(liar));
        cluster.awaitUntil("no honest node follows the liar as head", REPLACED.plus(cluster.slack()), () -> {
            for (final int node : data.keySet()) {
                if (node == liar) {
                    continue;
                }
                final Place p = place(node);
                for (int l = 0; l < p.heads.length; l++) {
                    if (p.heads[l] == liarId || (l > 0 && p.heads[l] == p.id && contains(p.members.get(l), liarId))) {
                        return false;
                    }
                }
            }
            return true;
        });
        // afterwards the fleet aggregate holds no forged observations; the liar's own may still count
        final long expected = trueCount();
        final long liarOwn = data.get(liar).count();
        final long[] last = {-1};
        final java.util.function.BooleanSupplier truthful = () -> {
            final long count = cluster.onTree(rootIndex(), t -> t.aggregateAt(t.topLevel()) == null ? 0 : t.aggregateAt(t.topLevel()).count());
            last[0] = count;
            return count <= expected && count >= expected - liarOwn;
        };
        final String bounds = " (between " + (expected - liarOwn) + " and " + expected + "; last count: ";
        // Known gap: quarantine is local to the nodes that saw the challenges, so a replaced liar that
        // still claims its old cluster can be admitted under another parent and forge again later;
        // this checks that replacing it removes the forgery, not that it can never come back.
        try {
            cluster.awaitUntil("the fleet aggregate counts no forged observations", TRUTHFUL.plus(cluster.slack()), truthful);
        } catch (final AssertionError e) {
            final Place p = place(liar);
            throw new AssertionError(e.getMessage() + bounds + last[0] + "; the liar's heads by level: "
                + java.util.Arrays.toString(java.util.Arrays.stream(p.heads).mapToObj(Long::toHexString).toArray())
                + ", it is " + Long.toHexString(liarId) + ")", e);
        }
    }
}
