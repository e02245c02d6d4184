package dev.vigil.daemon.tree;

import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.vigil.daemon.tree.TreeHarness.T0_MICROS;
import static org.assertj.core.api.Assertions.assertThat;

/** At a bound the tree forgets the oldest entry and counts it; it never forgets everything at once. */
class BoundsTest {
    @Test
    void aBoundedMapEvictsTheOldestInsertionAndCountsIt() {
        final BoundedMap<Integer, String> m = new BoundedMap<>("test", 3);
        m.put(1, "a");
        m.put(2, "b");
        m.put(3, "c");
        m.put(2, "b2"); // an update keeps its place and evicts nothing
        assertThat(m.evicted()).isZero();
        m.put(4, "d");
        assertThat(m.keySet()).containsExactly(2, 3, 4);
        assertThat(m.evicted()).isEqualTo(1);
        assertThat(m.status()).isEqualTo(new TreeStatus.Bound("test", 3, 3, 1));
    }

    @Test
    void introductionsBeyondTheirBoundForgetTheOldestNodeOnly() {
        final TreeHarness h = new TreeHarness(8, List.of());
        final Introductions intro = h.node.introductions();
        final int max = Introductions.REMEMBERED_MAX;
        for (long id = 1; id <= max + 1; id++) {
            assertThat(intro.shouldIntroduce(id, T0_MICROS)).isTrue();
        }
        // node 1 made room for node max + 1: it gets our certificate again; node 2 is still remembered
        assertThat(intro.shouldIntroduce(2, T0_MICROS + 1)).isFalse();
        assertThat(intro.shouldIntroduce(max + 1, T0_MICROS + 1)).isFalse();
        assertThat(intro.shouldIntroduce(1, T0_MICROS + 1)).isTrue();
        assertThat(h.node.status().bounds()).contains(new TreeStatus.Bound("introduced", max, max, 2));
    }

    @Test
    void everyBoundedMemoryOfTheTreeIsReportedWithItsBound() {
        final TreeHarness h = new TreeHarness(8, List.of());
        assertThat(h.node.status().bounds()).extracting(TreeStatus.Bound::name).containsExactlyInAnyOrder(
            "not-head", "relayed-probes", "measure-probes", "introduced", "introduce-asked", "introduce-pending",
            "early-contributions", "parent-challenges", "quarantined");
        assertThat(h.node.status().bounds()).allSatisfy(b -> assertThat(b.max()).isPositive());
    }
}
