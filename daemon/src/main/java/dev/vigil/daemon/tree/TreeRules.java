package dev.vigil.daemon.tree;

import java.util.Arrays;
import java.util.Objects;
import java.util.function.Function;

/**
 * The shaping rules of the fleet tree (DESIGN §8) as pure, deterministic functions: a cluster's head
 * is its latency medoid, a joining node descends to the nearest head, an overfull cluster splits by
 * 2-means on coordinates, and depth stays within the B-tree bound. The distributed protocol and the
 * centralised {@link TreeModel} both call these, so every node that sees the same inputs decides the
 * same thing.
 *
 * <p>Determinism: every function sorts a copy of its id array and iterates in that order, breaks ties
 * by the smallest id, and sums in a fixed order; the result does not depend on the order of the input.
 *
 * <p>Distances on coordinates are <em>position only</em> (the 2-D Euclidean part, heights left out).
 * A Vivaldi height models a node's access link: it adds the same amount to that node's distance to
 * every other node, so it says nothing about <em>which</em> group or head a node is near. Counting it
 * in {@link #nearest} would only steer joins away from heads with slow links, and in 2-means it would
 * bias every assignment toward the group with the smaller mean height. Heights do matter for who
 * should be head, and they are counted there: {@link #medoid} uses RTTs, which include them.
 */
public final class TreeRules {
    /** Default cluster size bound B. */
    public static final int B_DEFAULT = 32;
    /** Smallest B allowed: below it clusters of B/2 are too small to probe and suspect within. */
    public static final int B_MIN = 10;
    /**
     * Smallest B a config may give: for small test fleets (a dozen daemons on one machine), where
     * B = 4 still builds a tree with several levels. Clusters of two cannot confirm a suspicion
     * through anyone, so production fleets should stay in [B_MIN, B_MAX].
     */
    public static final int B_TEST_MIN = 4;
    /** Largest B allowed: per node memory and probe load grow with B. */
    public static final int B_MAX = 50;
    /** Lloyd iterations at most; two groups of at most ~3B/2 points settle in a handful. */
    public static final int LLOYD_ITERATIONS_MAX = 16;

    private TreeRules() {
    }

    /** Two halves of a split cluster, each sorted ascending; {@code first} holds the smallest id. */
    public record Split(long[] first, long[] second) {
        public Split {
            Objects.requireNonNull(first, "first");
            Objects.requireNonNull(second, "second");
        }

        @Override
        public boolean equals(final Object other) {
            return other instanceof Split s && Arrays.equals(first, s.first) && Arrays.equals(second, s.second);
        }

        @Override
        public int hashCode() {
            return 31 * Arrays.hashCode(first) + Arrays.hashCode(second);
        }

        @Override
        public String toString() {
            return "Split[" + Arrays.toString(first) + " | " + Arrays.toString(second) + "]";
        }
    }

    /**
     * The member minimising the sum of RTTs from it to the other members; ties go to the smallest id.
     * Sums are exact ({@code long} microseconds), so a tie is a real tie, never a rounding accident.
     */
    public static long medoid(final long[] members, final RttFunction rtt) {
        final long[] sorted = sortedDistinct(members);
        if (sorted.length == 0) {
            throw new IllegalArgumentException("a medoid needs at least one member");
        }
        long best = sorted[0];
        long bestSumMicros = Long.MAX_VALUE;
        for (final long candidate : sorted) {
            long sumMicros = 0;
            for (final long other : sorted) {
                if (other != candidate) {
                    final long rttMicros = rtt.rttMicros(candidate, other);
                    if (rttMicros < 0) {
                        throw new IllegalArgumentException("negative RTT " + rttMicros + " from " + candidate + " to " + other);
                    }
                    sumMicros = Math.addExact(sumMicros, rttMicros);
                }
            }
            // Strict: an equal sum later in ascending order never displaces the smaller id.
            if (sumMicros < bestSumMicros) {
                bestSumMicros = sumMicros;
                best = candidate;
            }
        }
        return best;
    }

    /**
     * The head nearest {@code from} by position distance; ties go to the smallest id. Used by a joining
     * node at every level of its descent and by an underfull cluster choosing the sibling to merge with.
     */
    public static long nearest(final long[] heads, final VivaldiCoordinate from,
                               final Function<Long, VivaldiCoordinate> coordinates) {
        Objects.requireNonNull(from, "from");
        final long[] sorted = sortedDistinct(heads);
        if (sorted.length == 0) {
            throw new IllegalArgumentException("nearest needs at least one head");
        }
        long best = sorted[0];
        double bestSquared = Double.POSITIVE_INFINITY;
        for (final long head : sorted) {
            final double squared = squaredPositionDistance(from, coordinate(coordinates, head));
            if (squared < bestSquared) {
                bestSquared = squared;
                best = head;
            }
        }
        return best;
    }

    /**
     * Splits {@code members} in two by 2-means on positions: seeds are the two members farthest apart
     * (ties: the lexicographically smallest id pair), then Lloyd iterations (assign each member to
     * the nearer centroid, a tie to the first; recompute centroids as means summed in id order) until
     * no assignment changes or {@link #LLOYD_ITERATIONS_MAX}. Finally the smaller half is topped up to
     * {@code minSize} with the members of the larger half nearest the smaller half's centroid (ties by
     * id), so a B-tree split of B+1 or a merge-then-split of up to 3B/2 − 1 gives two legal clusters.
     */
    public static Split twoMeans(final long[] members, final Function<Long, VivaldiCoordinate> coordinates,
                                 final int minSize) {
        final long[] ids = sortedDistinct(members);
        final int n = ids.length;
        if (minSize < 1 || n < 2 * minSize) {
            throw new IllegalArgumentException("cannot split " + n + " members into halves of at least " + minSize);
        }
        final double[] x = new double[n];
        final double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            final VivaldiCoordinate c = coordinate(coordinates, ids[i]);
            x[i] = c.xMs();
            y[i] = c.yMs();
        }

        int seedA = 0;
        int seedB = 1;
        double farthest = -1.0;
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                final double squared = squared(x[i] - x[j], y[i] - y[j]);
                if (squared > farthest) {
                    farthest = squared;
                    seedA = i;
                    seedB = j;
                }
            }
        }
        final double[] cx = {x[seedA], x[seedB]};
        final double[] cy = {y[seedA], y[seedB]};
        final int[] group = new int[n];
        Arrays.fill(group, -1);
        for (int iteration = 0; iteration < LLOYD_ITERATIONS_MAX; iteration++) {
            boolean changed = false;
            for (int i = 0; i < n; i++) {
                final int g = squared(x[i] - cx[1], y[i] - cy[1]) < squared(x[i] - cx[0], y[i] - cy[0]) ? 1 : 0;
                if (g != group[i]) {
                    group[i] = g;
                    changed = true;
                }
            }
            if (!changed) {
                break;
            }
            centroids(x, y, group, cx, cy);
        }
        centroids(x, y, group, cx, cy);

        int count1 = 0;
        for (final int g : group) {
            count1 += g;
        }
        final int small = count1 < n - count1 ? 1 : 0;
        final int missing = minSize - (small == 1 ? count1 : n - count1);
        if (missing > 0) {
            // Members of the larger half ordered by distance to the smaller half's centroid, ties by id.
            final Integer[] candidates = new Integer[n - (small == 1 ? count1 : n - count1)];
            int k = 0;
            for (int i = 0; i < n; i++) {
                if (group[i] != small) {
                    candidates[k++] = i;
                }
            }
            final double scx = cx[small];
            final double scy = cy[small];
            Arrays.sort(candidates, (a, b) -> {
                final int byDistance = Double.compare(squared(x[a] - scx, y[a] - scy), squared(x[b] - scx, y[b] - scy));
                return byDistance != 0 ? byDistance : Integer.compare(a, b);
            });
            for (int m = 0; m < missing; m++) {
                group[candidates[m]] = small;
            }
        }

        final long[] zero = select(ids, group, 0);
        final long[] one = select(ids, group, 1);
        // Canonical order: ids are sorted, so the half holding ids[0] comes first.
        final Split split = group[0] == 0 ? new Split(zero, one) : new Split(one, zero);
        assert split.first().length >= minSize && split.second().length >= minSize : split;
        return split;
    }

    /**
     * {@code ⌈log_{B/2} n⌉ + 1}, the depth (number of cluster levels) a B-tree of clusters of at least
     * B/2 never exceeds; computed in integers so the bound is exact at powers of B/2. 1 for n ≤ 1.
     */
    public static int depthBound(final long n, final int b) {
        if (n < 0) {
            throw new IllegalArgumentException("n must be >= 0, was " + n);
        }
        if (b < 4) {
            throw new IllegalArgumentException("b must be >= 4, was " + b);
        }
        final long fanoutMin = b / 2;
        int levels = 0;
        long reach = 1;
        while (reach < n) {
            // reach < n <= Long.MAX_VALUE and fanoutMin <= 25, so one overflow check per step suffices.
            reach = reach > Long.MAX_VALUE / fanoutMin ? Long.MAX_VALUE : reach * fanoutMin;
            levels++;
        }
        return levels + 1;
    }

    static double squaredPositionDistance(final VivaldiCoordinate a, final VivaldiCoordinate b) {
        return squared(a.xMs() - b.xMs(), a.yMs() - b.yMs());
    }

    private static double squared(final double dx, final double dy) {
        return dx * dx + dy * dy;
    }

    private static void centroids(final double[] x, final double[] y, final int[] group, final double[] cx, final double[] cy) {
        final double[] sx = new double[2];
        final double[] sy = new double[2];
        final int[] count = new int[2];
        for (int i = 0; i < x.length; i++) {
            sx[group[i]] += x[i];
            sy[group[i]] += y[i];
            count[group[i]]++;
        }
        for (int g = 0; g < 2; g++) {
            // An empty group (all positions coincide) keeps its seed; rebalancing fills it.
            if (count[g] > 0) {
                cx[g] = sx[g] / count[g];
                cy[g] = sy[g] / count[g];
            }
        }
    }

    private static long[] select(final long[] ids, final int[] group, final int g) {
        return java.util.stream.IntStream.range(0, ids.length).filter(i -> group[i] == g).mapToLong(i -> ids[i]).toArray();
    }

    private static VivaldiCoordinate coordinate(final Function<Long, VivaldiCoordinate> coordinates, final long id) {
        final VivaldiCoordinate c = coordinates.apply(id);
        if (c == null || !c.isWithinBounds()) {
            throw new IllegalArgumentException("no in-bounds coordinate for node " + id + ": " + c);
        }
        return c;
    }

    private static long[] sortedDistinct(final long[] ids) {
        final long[] sorted = ids.clone();
        Arrays.sort(sorted);
        for (int i = 1; i < sorted.length; i++) {
            if (sorted[i] == sorted[i - 1]) {
                throw new IllegalArgumentException("duplicate id " + sorted[i]);
            }
        }
        return sorted;
    }
}
