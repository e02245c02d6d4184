package dev.vigil.daemon.tree;

import dev.vigil.wire.MessageType;
import dev.vigil.wire.TreeViewBody;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.vigil.daemon.tree.TreeHarness.SELF;
import static dev.vigil.daemon.tree.TreeHarness.T0_MICROS;
import static dev.vigil.daemon.tree.TreeHarness.view;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two members that each elected themselves head of the same cluster: the one with the higher id yields to the other
 * at the same epoch. Members that took the yielding head's view must not keep following a head that heads nothing.
 */
class RivalHeadsTest {
    private static final long LOW = 0x0800; // below SELF (unsigned): wins the tie
    private static final long A = 0x2000;
    private static final long B = 0x3000;
    private static final long PARENT = 0x9000;
    private static final long EPOCH = 7;

    @Test
    void aHeadThatYieldsToARivalHandsItsMembersTheRivalsView() {
        final TreeHarness h = new TreeHarness(8, List.of("seed:7400"));
        h.cluster(0, SELF, EPOCH, SELF, LOW, A, B);
        h.cluster(1, PARENT, 3, PARENT, SELF, LOW);
        final ClusterViews.View rivals = view(LOW, 0, EPOCH, LOW, LOW, SELF, A, B);
        assertThat(h.node.views().accepts(rivals)).as("same epoch, lower id").isTrue();
        h.sent.clear();

        h.node.views().apply(rivals, T0_MICROS + 5_000_000);

        assertThat(h.state.levels[0].headId()).isEqualTo(LOW);
        assertThat(h.state.levels[1]).as("the rival speaks for the cluster one level up").isNull();
        final TreeViewBody body = new TreeViewBody();
        final List<TreeHarness.Sent> handed = h.sentOf(MessageType.TREE_VIEW);
        assertThat(handed).extracting(TreeHarness.Sent::address)
            .containsExactlyInAnyOrder(TreeHarness.address(A), TreeHarness.address(B));
        for (final TreeHarness.Sent sent : handed) {
            final TreeViewBody v = body.wrap(new UnsafeBuffer(sent.body()), 0, sent.body().length);
            assertThat(v.level()).isZero();
            assertThat(v.head()).isEqualTo(LOW);
            assertThat(v.epoch()).isEqualTo(EPOCH);
            assertThat(v.members().count()).isEqualTo(4);
        }
    }

    @Test
    void aMemberTakesTheViewItsHeadHandsOnNamingTheRival() {
        final TreeHarness h = new TreeHarness(8, List.of("seed:7400"));
        h.cluster(0, A, EPOCH, A, LOW, SELF, B);
        final ClusterViews.View handedOn = view(A, 0, EPOCH, LOW, LOW, A, SELF, B);

        assertThat(h.node.views().accepts(handedOn)).isTrue();
        h.node.views().apply(handedOn, T0_MICROS + 5_000_000);

        assertThat(h.state.levels[0].headId()).isEqualTo(LOW);
        assertThat(h.state.levels[0].members).containsKeys(LOW, A, SELF, B);
    }
}
