package dev.vigil.daemon.tree;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.constraints.IntRange;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Whatever order nodes join and leave in, and whatever B, the tree keeps every invariant after every
 * single step: size bounds, medoid heads, one leaf cluster per node, levels consistent, depth bound.
 */
class TreeModelProperties {

    /** An operation: join the next new id, or leave the (index mod size)-th present node. */
    record Op(boolean join, int index) {
    }

    @Provide
    Arbitrary<List<Op>> ops() {
        // Joins weighted 3:2 over leaves so trees grow deep enough to split and merge at several levels.
        final Arbitrary<Op> op = Arbitraries.integers().between(0, 4).flatMap(kind ->
            Arbitraries.integers().between(0, 10_000).map(index -> new Op(kind < 3, index)));
        return op.list().ofMinSize(100).ofMaxSize(800);
    }

    @Property(tries = 200)
    void randomJoinsAndLeavesKeepEveryInvariant(@ForAll("ops") final List<Op> ops,
                                                @ForAll @IntRange(min = TreeRules.B_MIN, max = 14) final int b,
                                                @ForAll final long seed) {
        final Map<Long, VivaldiCoordinate> map = TreeModelTest.scatter(ops.size(), seed);
        final TreeModel tree = new TreeModel(b, map::get, RttFunction.predicted(map::get));
        final List<Long> present = new ArrayList<>();
        long next = 0;
        for (final Op op : ops) {
            if (op.join() || present.isEmpty()) {
                tree.join(next);
                present.add(next++);
            } else {
                tree.leave(present.remove(op.index() % present.size()));
            }
            assertThat(tree.checkInvariants()).as("after %s with B = %d", op, b).isEmpty();
        }
        assertThat(tree.size()).isEqualTo(present.size());
        Statistics.collect("depth " + tree.depth());
    }
}
