package dev.vigil.daemon.tree;

import dev.vigil.wire.MessageType;
import dev.vigil.wire.TreeChallengeBody;
import dev.vigil.wire.WireWriter;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.vigil.daemon.tree.TreeHarness.SELF;
import static dev.vigil.daemon.tree.TreeHarness.T0_MICROS;
import static dev.vigil.daemon.tree.TreeHarness.view;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A member counts the challenges against its head until a majority of the other members replaces it. The head's
 * own views (it sends one every refresh, and whenever it likes) must not wipe that count; a challenger that leaves
 * the cluster, or a new head, does.
 */
class HeadChallengesTest {
    private static final long LIAR = 0x0900;
    private static final long A = 0x2000;
    private static final long B = 0x3000;
    private static final long C = 0x4000;
    private static final long D = 0x5000;
    private static final long EPOCH = 7;

    /** SELF, a member of LIAR's level-0 cluster with four other members: a majority of the five others is three. */
    private final TreeHarness h = new TreeHarness(8, List.of("seed:7400"));
    private final Cluster c = h.cluster(0, LIAR, EPOCH, LIAR, SELF, A, B, C, D);

    @Test
    void challengesCountedBeforeTheHeadsRefreshedViewStillCountAfterIt() {
        final long at = T0_MICROS + 5_000_000;
        challenge(A, at);
        challenge(B, at + 1_000);
        refreshView(at + 2_000, LIAR, SELF, A, B, C, D);
        assertThat(h.node.quarantine().contains(LIAR)).isFalse();

        challenge(C, at + 3_000);

        assertThat(h.node.quarantine().contains(LIAR)).as("A, B and C are three of the five others").isTrue();
        // all at the origin, the medoid of the rest is the lowest id: this node takes over
        assertThat(c.isHead()).isTrue();
        assertThat(c.members).doesNotContainKey(LIAR);
    }

    @Test
    void aChallengerThatLeftTheClusterNoLongerCounts() {
        final long at = T0_MICROS + 5_000_000;
        challenge(A, at);
        challenge(B, at + 1_000);
        refreshView(at + 2_000, LIAR, SELF, B, C, D); // A left: three of the four others must challenge now
        challenge(C, at + 3_000); // B and C are two

        assertThat(h.node.quarantine().contains(LIAR)).isFalse();
        assertThat(c.challengers).containsExactlyInAnyOrder(B, C);
    }

    @Test
    void aNewHeadStartsWithNoChallengesAgainstIt() {
        final long at = T0_MICROS + 5_000_000;
        challenge(A, at);
        challenge(B, at + 1_000);
        c.setHead(D);

        assertThat(c.challengers).isEmpty();
    }

    private void challenge(final long from, final long nowMicros) {
        final UnsafeBuffer b = new UnsafeBuffer(new byte[TreeChallengeBody.LENGTH]);
        TreeChallengeBody.write(new WireWriter().wrap(b, 0), 0, LIAR, 42, EPOCH, c.members.size());
        h.node.onMessage(MessageType.TREE_CHALLENGE, from, TreeHarness.address(from), b, 0, b.capacity(), nowMicros);
    }

    private void refreshView(final long nowMicros, final long... members) {
        final ClusterViews.View v = view(LIAR, 0, EPOCH, LIAR, members);
        assertThat(h.node.views().accepts(v)).isTrue();
        h.node.views().apply(v, nowMicros);
    }
}
