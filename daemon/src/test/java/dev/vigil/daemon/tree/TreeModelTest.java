package dev.vigil.daemon.tree;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TreeModelTest {

    /** Nodes scattered around a few "regions" on a plane, positions in ms. */
    static Map<Long, VivaldiCoordinate> scatter(final int n, final long seed) {
        final SplittableRandom random = new SplittableRandom(seed);
        final double[][] centres = {{0, 0}, {80, 10}, {30, 90}, {-60, 40}};
        final Map<Long, VivaldiCoordinate> map = new HashMap<>();
        for (long id = 0; id < n; id++) {
            final double[] c = centres[random.nextInt(centres.length)];
            map.put(id, new VivaldiCoordinate(c[0] + random.nextDouble(-5, 5), c[1] + random.nextDouble(-5, 5),
                random.nextDouble(0.1, 2), 0.2));
        }
        return map;
    }

    private static TreeModel model(final int b, final Map<Long, VivaldiCoordinate> map) {
        return new TreeModel(b, map::get, RttFunction.predicted(map::get));
    }

    @Test
    void aSmallTreeIsOneRootClusterHeadedByItsMedoid() {
        final Map<Long, VivaldiCoordinate> map = scatter(5, 1);
        final TreeModel tree = model(10, map);
        for (long id = 0; id < 5; id++) {
            tree.join(id);
        }
        assertThat(tree.depth()).isEqualTo(1);
        assertThat(tree.clusterOf(3).memberIds()).containsExactly(0, 1, 2, 3, 4);
        assertThat(tree.headChain(3)).containsExactly(TreeRules.medoid(new long[] {0, 1, 2, 3, 4}, RttFunction.predicted(map::get)));
        assertThat(tree.checkInvariants()).isEmpty();
    }

    @Test
    void theEleventhJoinSplitsTheRootIntoTwoLeavesUnderANewRoot() {
        final Map<Long, VivaldiCoordinate> map = scatter(11, 2);
        final TreeModel tree = model(10, map);
        for (long id = 0; id < 10; id++) {
            tree.join(id);
        }
        assertThat(tree.depth()).isEqualTo(1);
        tree.join(10);
        assertThat(tree.depth()).isEqualTo(2);
        assertThat(Arrays.stream(tree.clusterSizes().get(0)).boxed().toList()).hasSize(2).allSatisfy(size -> assertThat(size).isBetween(5, 10));
        assertThat(tree.clusterSizes().get(1)).containsExactly(2);
        assertThat(tree.checkInvariants()).isEmpty();
    }

    @Test
    void leavingBelowHalfMergesWithTheSiblingAndCollapsesTheRoot() {
        final Map<Long, VivaldiCoordinate> map = scatter(11, 3);
        final TreeModel tree = model(10, map);
        for (long id = 0; id < 11; id++) {
            tree.join(id);
        }
        // 11 splits into 5 + 6: one leave from the half of five makes it underfull.
        final long[] small = tree.clusters().stream()
            .filter(c -> c.level() == 0 && c.memberIds().length == 5).findFirst().orElseThrow().memberIds();
        tree.leave(small[0]);
        // 10 nodes in clusters of at least 5: one merged root cluster.
        assertThat(tree.depth()).isEqualTo(1);
        assertThat(tree.clusterSizes().get(0)).containsExactly(10);
        assertThat(tree.checkInvariants()).isEmpty();
        for (final long id : tree.clusterOf(small[1]).memberIds()) {
            tree.leave(id);
        }
        assertThat(tree.depth()).isZero();
        assertThat(tree.size()).isZero();
        assertThat(tree.checkInvariants()).isEmpty();
    }

    @Test
    void aLeavingHeadIsReplacedAtEveryLevelItHeaded() {
        final Map<Long, VivaldiCoordinate> map = scatter(600, 4);
        final TreeModel tree = model(10, map);
        for (long id = 0; id < 600; id++) {
            tree.join(id);
        }
        assertThat(tree.depth()).isGreaterThanOrEqualTo(3);
        final long root = tree.headChain(0)[tree.depth() - 1];
        tree.leave(root);
        for (long id = 0; id < 600; id++) {
            if (id != root) {
                assertThat(tree.headChain(id)).doesNotContain(root);
            }
        }
        assertThat(tree.checkInvariants()).isEmpty();
    }

    @Test
    void joinsAndLeavesKeepTheShapeAndTheBound() {
        final int n = 3000;
        final Map<Long, VivaldiCoordinate> map = scatter(n, 5);
        final TreeModel tree = model(TreeRules.B_DEFAULT, map);
        final List<Long> order = new ArrayList<>(map.keySet());
        order.sort(Long::compare);
        final SplittableRandom random = new SplittableRandom(5);
        for (int i = order.size() - 1; i > 0; i--) {
            final int j = random.nextInt(i + 1);
            final Long t = order.get(i);
            order.set(i, order.get(j));
            order.set(j, t);
        }
        order.forEach(tree::join);
        assertThat(tree.checkInvariants()).isEmpty();
        assertThat(tree.depth()).isLessThanOrEqualTo(TreeRules.depthBound(n, TreeRules.B_DEFAULT));
        for (int i = 0; i < n / 2; i++) {
            tree.leave(order.get(i));
        }
        assertThat(tree.size()).isEqualTo(n - n / 2);
        assertThat(tree.checkInvariants()).isEmpty();
    }

    @Test
    void theSameSequenceBuildsTheSameTree() {
        final Map<Long, VivaldiCoordinate> map = scatter(500, 6);
        final TreeModel a = model(12, map);
        final TreeModel b = model(12, map);
        for (long id = 0; id < 500; id++) {
            a.join(id);
            b.join(id);
        }
        for (long id = 0; id < 500; id += 3) {
            a.leave(id);
            b.leave(id);
        }
        assertThat(a.clusters()).isEqualTo(b.clusters());
        assertThat(a.clusters().stream().map(c -> Arrays.toString(c.memberIds())).toList())
            .isEqualTo(b.clusters().stream().map(c -> Arrays.toString(c.memberIds())).toList());
    }

    @Test
    void misuseIsRefused() {
        final Map<Long, VivaldiCoordinate> map = scatter(3, 7);
        assertThatThrownBy(() -> model(9, map)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> model(51, map)).isInstanceOf(IllegalArgumentException.class);
        final TreeModel tree = model(10, map);
        tree.join(1);
        assertThatThrownBy(() -> tree.join(1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> tree.leave(2)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> tree.join(99)).isInstanceOf(IllegalArgumentException.class);
        assertThat(tree.contains(99)).isFalse();
        assertThatThrownBy(() -> tree.headChain(2)).isInstanceOf(IllegalArgumentException.class);
    }
}
