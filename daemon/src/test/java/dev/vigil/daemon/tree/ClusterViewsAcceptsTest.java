package dev.vigil.daemon.tree;

import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.vigil.daemon.tree.TreeHarness.SELF;
import static dev.vigil.daemon.tree.TreeHarness.view;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link ClusterViews#accepts}: which views may replace what a node holds at their level. It is a
 * pure function of the view and the node's state, so every rule is pinned here by example.
 */
class ClusterViewsAcceptsTest {
    private static final long A = 0x2000;
    private static final long B = 0x3000;
    private static final long C = 0x4000;
    private static final long LOW = 0x0800; // below SELF (unsigned), wins ties

    private final TreeHarness h = new TreeHarness(8, List.of("seed:7400"));

    ClusterViewsAcceptsTest() {
        h.state.seeks[0] = null; // a joiner starts seeking at level 0; each test says when it seeks
    }

    private boolean accepts(final ClusterViews.View v) {
        return h.node.views().accepts(v);
    }

    @Test
    void withNothingAtTheLevelAViewIsTakenOnlyIfItListsUsAndWeMayBeThere() {
        assertThat(accepts(view(A, 0, 1, A, A, SELF))).as("level 0: everyone may be in one").isTrue();
        assertThat(accepts(view(A, 0, 1, A, A, B))).as("not listed").isFalse();
        assertThat(accepts(view(A, 1, 1, A, A, SELF))).as("level 1 without heading a level 0 cluster").isFalse();
        h.state.seeks[1] = new Seek(1);
        assertThat(accepts(view(A, 1, 1, A, A, SELF))).as("level 1 while seeking a place there").isTrue();
    }

    @Test
    void aLevelAboveIsForTheHeadOfAClusterBelow() {
        h.cluster(0, SELF, 1, SELF, B);
        assertThat(accepts(view(A, 1, 1, A, A, SELF))).isTrue();
        h.cluster(0, B, 1, SELF, B);
        assertThat(accepts(view(A, 1, 1, A, A, SELF))).isFalse();
    }

    @Test
    void onlyAHeadSpeaksForItsClusterUnlessItHandsUsOneWeSought() {
        assertThat(accepts(view(B, 0, 5, A, A, SELF))).as("B speaks for A's cluster").isFalse();
        // a split hands the half we landed in to us, to head: only while we seek and hold nothing there
        assertThat(accepts(view(B, 0, 5, SELF, SELF, C))).as("not seeking").isFalse();
        h.state.seeks[0] = new Seek(0);
        assertThat(accepts(view(B, 0, 5, SELF, SELF, C))).isTrue();
        assertThat(accepts(view(B, 0, 5, SELF, C))).as("a handover must list us").isFalse();
        h.cluster(0, A, 3, A, SELF);
        assertThat(accepts(view(B, 0, 5, SELF, SELF, C))).as("placed already at that level").isFalse();
    }

    @Test
    void ourHeadsViewsAreTakenUnlessOlderForTheSameHead() {
        h.cluster(0, A, 5, A, SELF, B);
        assertThat(accepts(view(A, 0, 5, A, A, SELF))).as("same epoch").isTrue();
        assertThat(accepts(view(A, 0, 6, A, A, SELF))).isTrue();
        assertThat(accepts(view(A, 0, 4, A, A, SELF))).as("older").isFalse();
        assertThat(accepts(view(A, 0, 4, B, B, SELF))).as("our head hands the cluster over").isTrue();
    }

    @Test
    void aMemberTakesAnotherHeadsViewWhenNewerOrOurHeadIsInDoubtOrWeSeek() {
        h.cluster(0, A, 5, A, SELF, B);
        assertThat(accepts(view(B, 0, 5, B, B, SELF))).isFalse();
        assertThat(accepts(view(B, 0, 6, B, B, SELF))).isTrue();
        h.state.levels[0].members.get(A).state = dev.vigil.wire.TreeWire.STATE_SUSPECT;
        assertThat(accepts(view(B, 0, 5, B, B, SELF))).as("our head is suspect").isTrue();
        h.state.levels[0].members.get(A).state = dev.vigil.wire.TreeWire.STATE_ALIVE;
        h.state.seeks[0] = new Seek(0);
        assertThat(accepts(view(B, 0, 5, B, B, SELF))).as("we are looking for a place").isTrue();
    }

    @Test
    void aHeadYieldsOnlyToARivalElectedInItsOwnCluster() {
        h.cluster(0, SELF, 5, SELF, A, LOW);
        assertThat(accepts(view(A, 0, 6, A, A, SELF))).as("a member with a newer epoch").isTrue();
        assertThat(accepts(view(A, 0, 5, A, A, SELF))).as("same epoch, higher id").isFalse();
        assertThat(accepts(view(LOW, 0, 5, LOW, LOW, SELF))).as("same epoch, lower id wins the tie").isTrue();
        assertThat(accepts(view(A, 0, 4, A, A, SELF))).as("older").isFalse();
        assertThat(accepts(view(C, 0, 9, C, C, SELF))).as("a head not in our cluster").isFalse();
    }

    @Test
    void aQuarantinedHeadOrSenderIsNeverFollowed() {
        h.node.quarantine().add(A, "test");
        assertThat(accepts(view(A, 0, 1, A, A, SELF))).isFalse();
        h.cluster(0, B, 5, B, SELF);
        assertThat(accepts(view(B, 0, 6, A, A, SELF))).as("handed to a quarantined head").isFalse();
    }

    @Test
    void decidingChangesNothing() {
        final Cluster c = h.cluster(0, A, 5, A, SELF, B);
        final var countersBefore = h.state.counters.snapshot();
        final long[] membersBefore = c.memberIds();
        for (final ClusterViews.View v : List.of(view(A, 0, 6, A, A, SELF), view(B, 0, 1, B, B), view(C, 0, 9, SELF, SELF, C))) {
            accepts(v);
        }
        assertThat(h.state.levels[0]).isSameAs(c);
        assertThat(c.epoch).isEqualTo(5);
        assertThat(c.headId()).isEqualTo(A);
        assertThat(c.memberIds()).containsExactly(membersBefore);
        assertThat(h.state.counters.snapshot()).isEqualTo(countersBefore);
        assertThat(h.sent).isEmpty();
    }
}
