package dev.vigil.daemon.tree;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TreeRulesTest {

    private static VivaldiCoordinate at(final double x, final double y) {
        return new VivaldiCoordinate(x, y, 0.1, 0.1);
    }

    private static Function<Long, VivaldiCoordinate> coordinates(final Map<Long, VivaldiCoordinate> map) {
        return map::get;
    }

    @Test
    void medoidIsTheMemberWithTheSmallestRttSum() {
        // On a line at 0, 1, 2, 10: node 1 sums 1 + 1 + 9 = 11, node 2 sums 2 + 1 + 8 = 11: a tie, the smaller id wins.
        final long[] position = {0, 1, 2, 10};
        final RttFunction rtt = (a, b) -> Math.abs(position[(int) a] - position[(int) b]) * 1000;
        assertThat(TreeRules.medoid(new long[] {3, 2, 1, 0}, rtt)).isEqualTo(1);
        final long[] skewed = {0, 1, 2, 3};
        final RttFunction rtt2 = (a, b) -> Math.abs(skewed[(int) a] - skewed[(int) b]) * 1000 + (a == 2 || b == 2 ? 0 : 5);
        // Node 2 has the cheapest links, which breaks the tie between the two middle nodes.
        assertThat(TreeRules.medoid(new long[] {0, 1, 2, 3}, rtt2)).isEqualTo(2);
    }

    @Test
    void medoidTiesGoToTheSmallestIdWhateverTheInputOrder() {
        final RttFunction equal = (a, b) -> 7_000;
        assertThat(TreeRules.medoid(new long[] {42, 17, 99, 23}, equal)).isEqualTo(17);
        assertThat(TreeRules.medoid(new long[] {99, 23, 17, 42}, equal)).isEqualTo(17);
        assertThat(TreeRules.medoid(new long[] {5}, equal)).isEqualTo(5);
    }

    @Test
    void medoidRejectsEmptyDuplicateAndNegativeInput() {
        assertThatThrownBy(() -> TreeRules.medoid(new long[0], (a, b) -> 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TreeRules.medoid(new long[] {1, 1}, (a, b) -> 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TreeRules.medoid(new long[] {1, 2}, (a, b) -> -1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void nearestUsesPositionAndBreaksTiesById() {
        final Map<Long, VivaldiCoordinate> map = Map.of(
            1L, at(10, 0), 2L, at(-10, 0), 3L, at(0, 50),
            // Same position as 1 but a huge height: height is the access link, not where the node is.
            4L, new VivaldiCoordinate(10, 0, 500, 0.1));
        assertThat(TreeRules.nearest(new long[] {3, 2, 1}, at(8, 0), coordinates(map))).isEqualTo(1);
        assertThat(TreeRules.nearest(new long[] {3, 2, 1}, at(0, 0), coordinates(map))).isEqualTo(1);
        assertThat(TreeRules.nearest(new long[] {4, 2}, at(8, 0), coordinates(map))).isEqualTo(4);
        assertThat(TreeRules.nearest(new long[] {4, 1}, at(8, 0), coordinates(map))).isEqualTo(1);
    }

    @Test
    void twoMeansSeparatesTwoObviousGroups() {
        final Map<Long, VivaldiCoordinate> map = new HashMap<>();
        for (long i = 0; i < 10; i++) {
            map.put(i, at(i % 3, i / 3.0));                 // group near the origin
            map.put(100 + i, at(200 + i % 3, 50 + i / 3.0)); // group far away
        }
        final long[] ids = map.keySet().stream().mapToLong(Long::longValue).toArray();
        final TreeRules.Split split = TreeRules.twoMeans(ids, coordinates(map), 5);
        assertThat(split.first()).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
        assertThat(split.second()).containsExactly(100, 101, 102, 103, 104, 105, 106, 107, 108, 109);
    }

    @Test
    void twoMeansRebalancesTheSmallHalfToMinSizeWithTheMembersNearestItsCentroid() {
        // 3 nodes at x = 100, 9 nodes spread over x = 0..8: 2-means alone gives 3 | 9.
        final Map<Long, VivaldiCoordinate> map = new HashMap<>();
        for (long i = 0; i < 9; i++) {
            map.put(i, at(i, 0));
        }
        map.put(20L, at(100, 0));
        map.put(21L, at(100, 1));
        map.put(22L, at(100, -1));
        final long[] ids = map.keySet().stream().mapToLong(Long::longValue).toArray();
        final TreeRules.Split split = TreeRules.twoMeans(ids, coordinates(map), 6);
        // The three far nodes pull in the three of the line nearest them: x = 8, 7, 6.
        assertThat(split.first()).containsExactly(0, 1, 2, 3, 4, 5);
        assertThat(split.second()).containsExactly(6, 7, 8, 20, 21, 22);
    }

    @Test
    void twoMeansSplitsCoincidentPointsIntoLegalHalves() {
        final Map<Long, VivaldiCoordinate> map = new HashMap<>();
        for (long i = 0; i < 11; i++) {
            map.put(i, at(5, 5));
        }
        final TreeRules.Split split = TreeRules.twoMeans(new long[] {10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0}, coordinates(map), 5);
        assertThat(split.first().length + split.second().length).isEqualTo(11);
        assertThat(split.first().length).isGreaterThanOrEqualTo(5);
        assertThat(split.second().length).isGreaterThanOrEqualTo(5);
        assertThat(split.first()[0]).isZero();
    }

    @Test
    void twoMeansIsDeterministicUnderPermutedInput() {
        final Random random = new Random(7);
        final Map<Long, VivaldiCoordinate> map = new HashMap<>();
        final List<Long> ids = new ArrayList<>();
        for (long i = 0; i < 33; i++) {
            // Integer-valued positions make exact distance ties common.
            map.put(i * 3 + 1, at(random.nextInt(6), random.nextInt(6)));
            ids.add(i * 3 + 1);
        }
        final TreeRules.Split reference = TreeRules.twoMeans(ids.stream().mapToLong(Long::longValue).toArray(), coordinates(map), 16);
        final long medoidReference = TreeRules.medoid(ids.stream().mapToLong(Long::longValue).toArray(), RttFunction.predicted(map::get));
        final long nearestReference = TreeRules.nearest(ids.stream().mapToLong(Long::longValue).toArray(), at(2, 2), coordinates(map));
        for (int round = 0; round < 50; round++) {
            Collections.shuffle(ids, random);
            final long[] permuted = ids.stream().mapToLong(Long::longValue).toArray();
            assertThat(TreeRules.twoMeans(permuted, coordinates(map), 16)).isEqualTo(reference);
            assertThat(TreeRules.medoid(permuted, RttFunction.predicted(map::get))).isEqualTo(medoidReference);
            assertThat(TreeRules.nearest(permuted, at(2, 2), coordinates(map))).isEqualTo(nearestReference);
        }
        assertThat(reference.first().length).isGreaterThanOrEqualTo(16);
        assertThat(reference.second().length).isGreaterThanOrEqualTo(16);
    }

    @Test
    void twoMeansRefusesWhatCannotBeSplitLegally() {
        final Map<Long, VivaldiCoordinate> map = Map.of(1L, at(0, 0), 2L, at(1, 1), 3L, at(2, 2));
        assertThatThrownBy(() -> TreeRules.twoMeans(new long[] {1, 2, 3}, coordinates(map), 2))
            .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void depthBoundIsCeilLogHalfBPlusOneExactAtPowers() {
        assertThat(TreeRules.depthBound(0, 32)).isEqualTo(1);
        assertThat(TreeRules.depthBound(1, 32)).isEqualTo(1);
        assertThat(TreeRules.depthBound(16, 32)).isEqualTo(2);
        assertThat(TreeRules.depthBound(17, 32)).isEqualTo(3);
        assertThat(TreeRules.depthBound(256, 32)).isEqualTo(3);
        assertThat(TreeRules.depthBound(257, 32)).isEqualTo(4);
        // ⌈log16 10 000⌉ = 4 (16^3 = 4 096 < 10 000 ≤ 65 536), plus one.
        assertThat(TreeRules.depthBound(10_000, 32)).isEqualTo(5);
        assertThat(TreeRules.depthBound(Long.MAX_VALUE, 10)).isEqualTo(29);
    }
}
