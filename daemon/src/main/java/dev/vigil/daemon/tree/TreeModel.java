package dev.vigil.daemon.tree;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * A centralised, single-threaded reference model of the whole fleet tree: what the distributed
 * protocol must converge to, built from {@link TreeRules} alone. It is a test oracle and an
 * experiment bench, not the protocol: it sees every node at once and applies each join or leave
 * atomically.
 *
 * <p>Shape: level 0 clusters partition the nodes; the heads of level k's clusters are exactly the
 * members of level k+1's clusters; the top level holds one cluster, the root cluster, whose head is
 * the root. A cluster's parent is the level k+1 cluster holding its head; its siblings are the other
 * children of that parent. {@link #depth()} counts levels (one cluster = depth 1).
 *
 * <p>Rules (B-tree style, one change climbs at most one path): a join descends from the root to the
 * nearest head at each level and enters that leaf cluster. After a cluster changes, bottom up:
 * over B members → {@link TreeRules#twoMeans split} into two halves of at least B/2, both heads take
 * the old head's place in the parent (a split top cluster grows a new root level); under B/2 (not
 * at the top) → merge with the sibling whose head is nearest, splitting again if over B; otherwise
 * re-elect the medoid head and, if it changed, swap it into the parent. A top cluster left with a
 * single member at level > 0 is dropped, so its one child becomes the root cluster.
 *
 * <p>Determinism: clusters are kept in sorted sets and maps keyed by id; hash maps serve lookups
 * only. The same sequence of joins and leaves gives the same tree.
 */
public final class TreeModel {

    /** One cluster as a caller sees it: its level (0 = leaf), head and sorted members. */
    public record ClusterView(int level, long headId, long[] memberIds) {
        @Override
        public boolean equals(final Object other) {
            return other instanceof ClusterView v && level == v.level && headId == v.headId && Arrays.equals(memberIds, v.memberIds);
        }

        @Override
        public int hashCode() {
            return Objects.hash(level, headId, Arrays.hashCode(memberIds));
        }

        @Override
        public String toString() {
            return "Cluster[level " + level + ", head " + headId + ", " + Arrays.toString(memberIds) + "]";
        }
    }

    private static final class Cluster {
        final TreeSet<Long> members = new TreeSet<>();
        long head;

        long[] ids() {
            return members.stream().mapToLong(Long::longValue).toArray();
        }
    }

    private static final class Level {
        /** Iterated (sizes, invariants): sorted by head id. */
        final TreeMap<Long, Cluster> byHead = new TreeMap<>();
        /** Lookups only. */
        final Map<Long, Cluster> byMember = new HashMap<>();
    }

    private final int b;
    private final int sizeMin;
    private final Function<Long, VivaldiCoordinate> coordinates;
    private final RttFunction rtt;
    /** levels.get(0) = leaves; the last is the root level. Empty for an empty tree. */
    private final List<Level> levels = new ArrayList<>();
    private final TreeSet<Long> nodes = new TreeSet<>();

    /**
     * @param b           cluster size bound B, in [{@link TreeRules#B_MIN}, {@link TreeRules#B_MAX}]
     * @param coordinates every joined node's coordinate (joins, splits and merges read it)
     * @param rtt         RTTs for head election (measured, or {@link RttFunction#predicted})
     */
    public TreeModel(final int b, final Function<Long, VivaldiCoordinate> coordinates, final RttFunction rtt) {
        if (b < TreeRules.B_MIN || b > TreeRules.B_MAX) {
            throw new IllegalArgumentException("B must be in [" + TreeRules.B_MIN + ", " + TreeRules.B_MAX + "], was " + b);
        }
        this.b = b;
        this.sizeMin = b / 2;
        this.coordinates = Objects.requireNonNull(coordinates, "coordinates");
        this.rtt = Objects.requireNonNull(rtt, "rtt");
    }

    public int b() {
        return b;
    }

    public int size() {
        return nodes.size();
    }

    public boolean contains(final long id) {
        return nodes.contains(id);
    }

    /** Number of cluster levels; 0 for an empty tree, 1 for a single (root) cluster. */
    public int depth() {
        return levels.size();
    }

    /** Adds {@code id}: descend from the root to the nearest head at each level, then fix up the path. */
    public void join(final long id) {
        if (nodes.contains(id)) {
            throw new IllegalArgumentException("node " + id + " already joined");
        }
        final VivaldiCoordinate from = coordinates.apply(id);
        if (from == null || !from.isWithinBounds()) {
            throw new IllegalArgumentException("no in-bounds coordinate for node " + id + ": " + from);
        }
        nodes.add(id);
        if (levels.isEmpty()) {
            final Level leaves = new Level();
            final Cluster only = new Cluster();
            only.members.add(id);
            only.head = id;
            leaves.byHead.put(id, only);
            leaves.byMember.put(id, only);
            levels.add(leaves);
            return;
        }
        Cluster cluster = levels.get(levels.size() - 1).byHead.firstEntry().getValue();
        for (int level = levels.size() - 1; level > 0; level--) {
            final long head = TreeRules.nearest(cluster.ids(), from, coordinates);
            cluster = levels.get(level - 1).byHead.get(head);
        }
        final long headBefore = cluster.head;
        cluster.members.add(id);
        levels.get(0).byMember.put(id, cluster);
        settle(0, cluster, headBefore);
    }

    /** Removes {@code id} from its leaf cluster and from every level it heads, then fixes up the path. */
    public void leave(final long id) {
        if (!nodes.remove(id)) {
            throw new IllegalArgumentException("node " + id + " is not in the tree");
        }
        final Level leaves = levels.get(0);
        final Cluster cluster = leaves.byMember.remove(id);
        final long headBefore = cluster.head;
        cluster.members.remove(id);
        settle(0, cluster, headBefore);
    }

    /**
     * Restores the rules for {@code cluster} at {@code level}, whose members just changed and whose head
     * was {@code headBefore} (still its key in the level's byHead and a member of its parent), then
     * climbs to the parent if the parent's members change. Iterative: at most depth() steps.
     */
    private void settle(int level, Cluster cluster, long headBefore) {
        while (true) {
            final Level here = levels.get(level);
            final boolean top = level == levels.size() - 1;
            if (top) {
                settleTop(level, cluster, headBefore);
                return;
            }
            final Level up = levels.get(level + 1);
            final Cluster parent = up.byMember.get(headBefore);
            final long parentHeadBefore = parent.head;
            here.byHead.remove(headBefore);
            final List<Long> removed = new ArrayList<>(2);
            final List<Long> added = new ArrayList<>(2);
            removed.add(headBefore);
            if (cluster.members.size() > b) {
                for (final Cluster half : split(cluster, level)) {
                    added.add(half.head);
                }
            } else if (cluster.members.size() < sizeMin) {
                // The parent holds headBefore and, by the invariants, at least one sibling's head.
                final long self = headBefore;
                final long[] siblingHeads = parent.members.stream().mapToLong(Long::longValue)
                    .filter(h -> h != self).toArray();
                if (siblingHeads.length == 0) {
                    throw new IllegalStateException("no sibling for underfull cluster at level " + level);
                }
                final long ownHead = TreeRules.medoid(cluster.ids(), rtt);
                final long siblingHead = TreeRules.nearest(siblingHeads, coordinates.apply(ownHead), coordinates);
                final Cluster sibling = here.byHead.remove(siblingHead);
                removed.add(siblingHead);
                for (final long member : sibling.members) {
                    cluster.members.add(member);
                    here.byMember.put(member, cluster);
                }
                if (cluster.members.size() > b) {
                    for (final Cluster half : split(cluster, level)) {
                        added.add(half.head);
                    }
                } else {
                    cluster.head = TreeRules.medoid(cluster.ids(), rtt);
                    here.byHead.put(cluster.head, cluster);
                    added.add(cluster.head);
                }
            } else {
                cluster.head = TreeRules.medoid(cluster.ids(), rtt);
                here.byHead.put(cluster.head, cluster);
                if (cluster.head == headBefore) {
                    return; // the parent's members are unchanged: nothing above moves
                }
                added.add(cluster.head);
            }
            for (final long gone : removed) {
                parent.members.remove(gone);
                up.byMember.remove(gone);
            }
            for (final long head : added) {
                parent.members.add(head);
                up.byMember.put(head, parent);
            }
            level++;
            cluster = parent;
            headBefore = parentHeadBefore;
        }
    }

    /** The top cluster: split upward into a new root level, or drop the level when it has one member. */
    private void settleTop(final int level, final Cluster cluster, final long headBefore) {
        final Level here = levels.get(level);
        here.byHead.remove(headBefore);
        if (cluster.members.isEmpty()) {
            // Only the last node leaving a single-cluster tree empties the top cluster.
            levels.remove(level);
            return;
        }
        if (level > 0 && cluster.members.size() == 1) {
            // One child left: it becomes the root cluster (root level is exempt from B/2).
            levels.remove(level);
            return;
        }
        if (cluster.members.size() > b) {
            final List<Cluster> halves = split(cluster, level);
            final Level root = new Level();
            final Cluster rootCluster = new Cluster();
            for (final Cluster half : halves) {
                rootCluster.members.add(half.head);
                root.byMember.put(half.head, rootCluster);
            }
            rootCluster.head = TreeRules.medoid(rootCluster.ids(), rtt);
            root.byHead.put(rootCluster.head, rootCluster);
            levels.add(root);
            return;
        }
        cluster.head = TreeRules.medoid(cluster.ids(), rtt);
        here.byHead.put(cluster.head, cluster);
    }

    /** Replaces {@code cluster} (already out of byHead) by two halves registered at {@code level}. */
    private List<Cluster> split(final Cluster cluster, final int level) {
        final Level here = levels.get(level);
        final TreeRules.Split split = TreeRules.twoMeans(cluster.ids(), coordinates, sizeMin);
        final List<Cluster> halves = new ArrayList<>(2);
        for (final long[] ids : List.of(split.first(), split.second())) {
            final Cluster half = new Cluster();
            for (final long id : ids) {
                half.members.add(id);
                here.byMember.put(id, half);
            }
            half.head = TreeRules.medoid(ids, rtt);
            here.byHead.put(half.head, half);
            halves.add(half);
        }
        return halves;
    }

    /** Cluster sizes per level (index 0 = leaves), each level in order of head id. */
    public List<int[]> clusterSizes() {
        final List<int[]> sizes = new ArrayList<>(levels.size());
        for (final Level level : levels) {
            sizes.add(level.byHead.values().stream().mapToInt(c -> c.members.size()).toArray());
        }
        return sizes;
    }

    /** The heads above {@code id}: its leaf cluster's head first, the root last; length = depth(). */
    public long[] headChain(final long id) {
        requireJoined(id);
        final long[] chain = new long[levels.size()];
        long member = id;
        for (int level = 0; level < levels.size(); level++) {
            member = levels.get(level).byMember.get(member).head;
            chain[level] = member;
        }
        return chain;
    }

    /** The leaf cluster holding {@code id}. */
    public ClusterView clusterOf(final long id) {
        requireJoined(id);
        final Cluster cluster = levels.get(0).byMember.get(id);
        return new ClusterView(0, cluster.head, cluster.ids());
    }

    /** Every cluster, level by level from the leaves, each level in order of head id. */
    public List<ClusterView> clusters() {
        final List<ClusterView> views = new ArrayList<>();
        for (int level = 0; level < levels.size(); level++) {
            for (final Cluster cluster : levels.get(level).byHead.values()) {
                views.add(new ClusterView(level, cluster.head, cluster.ids()));
            }
        }
        return views;
    }

    private void requireJoined(final long id) {
        if (!nodes.contains(id)) {
            throw new IllegalArgumentException("node " + id + " is not in the tree");
        }
    }

    /**
     * Every rule the tree must satisfy, checked from scratch; returns one line per violation (empty when
     * the tree is well formed). Costs O(n·B) RTT look-ups for the medoid check.
     */
    public List<String> checkInvariants() {
        final List<String> violations = new ArrayList<>();
        if (nodes.isEmpty()) {
            if (!levels.isEmpty()) {
                violations.add("empty tree has " + levels.size() + " levels");
            }
            return violations;
        }
        final int depthMax = TreeRules.depthBound(nodes.size(), b);
        if (levels.size() > depthMax) {
            violations.add("depth " + levels.size() + " > bound " + depthMax + " for n = " + nodes.size() + ", B = " + b);
        }
        if (levels.isEmpty()) {
            violations.add("non-empty tree has no levels");
            return violations;
        }
        TreeSet<Long> expected = new TreeSet<>(nodes);
        for (int level = 0; level < levels.size(); level++) {
            final Level here = levels.get(level);
            final boolean top = level == levels.size() - 1;
            final TreeSet<Long> seen = new TreeSet<>();
            final TreeSet<Long> heads = new TreeSet<>();
            for (final Map.Entry<Long, Cluster> entry : here.byHead.entrySet()) {
                final Cluster cluster = entry.getValue();
                final String name = "level " + level + " cluster headed " + entry.getKey();
                if (entry.getKey() != cluster.head) {
                    violations.add(name + " is keyed under a stale head (actual " + cluster.head + ")");
                }
                final int size = cluster.members.size();
                if (size > b) {
                    violations.add(name + " has " + size + " > B = " + b + " members");
                }
                if (!top && size < sizeMin) {
                    violations.add(name + " has " + size + " < B/2 = " + sizeMin + " members");
                }
                if (top && level > 0 && size < 2) {
                    violations.add(name + " is a root cluster of one above level 0");
                }
                if (size == 0) {
                    violations.add(name + " is empty");
                    continue;
                }
                final long medoid = TreeRules.medoid(cluster.ids(), rtt);
                if (medoid != cluster.head) {
                    violations.add(name + " has head " + cluster.head + " but medoid " + medoid);
                }
                heads.add(cluster.head);
                for (final long member : cluster.members) {
                    if (!seen.add(member)) {
                        violations.add("node " + member + " is in more than one cluster at level " + level);
                    }
                    if (here.byMember.get(member) != cluster) {
                        violations.add("node " + member + " at level " + level + " is indexed to the wrong cluster");
                    }
                }
            }
            if (!seen.equals(expected)) {
                final String what = level == 0 ? "joined nodes" : "heads of level " + (level - 1);
                violations.add("members of level " + level + " differ from the " + what + ": " + diff(seen, expected));
            }
            if (here.byMember.size() != seen.size()) {
                violations.add("level " + level + " indexes " + here.byMember.size() + " members, holds " + seen.size());
            }
            if (top && here.byHead.size() != 1) {
                violations.add("top level " + level + " has " + here.byHead.size() + " clusters, not one");
            }
            expected = heads;
        }
        return violations;
    }

    private static String diff(final TreeSet<Long> actual, final TreeSet<Long> expected) {
        final TreeSet<Long> extra = new TreeSet<>(actual);
        extra.removeAll(expected);
        final TreeSet<Long> missing = new TreeSet<>(expected);
        missing.removeAll(actual);
        return "extra " + limit(extra) + ", missing " + limit(missing);
    }

    private static String limit(final TreeSet<Long> ids) {
        return ids.size() <= 8 ? ids.toString() : ids.stream().limit(8).toList() + "… (" + ids.size() + ")";
    }
}
