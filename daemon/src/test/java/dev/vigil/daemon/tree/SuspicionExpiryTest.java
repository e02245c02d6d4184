package dev.vigil.daemon.tree;

import dev.vigil.wire.MessageType;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.vigil.daemon.tree.TreeHarness.SELF;
import static dev.vigil.daemon.tree.TreeHarness.T0_MICROS;
import static org.assertj.core.api.Assertions.assertThat;

/** A suspicion outlives its timeout and the head drops the member; one refuted in time changes nothing. */
class SuspicionExpiryTest {
    private static final long A = 0x2000;
    private static final long B = 0x3000;

    @Test
    void aHeadDropsAMemberWhoseSuspicionWasNotRefutedWithinItsTimeout() {
        final TreeHarness h = new TreeHarness(8, List.of());
        final Cluster c = headingAAndB(h);
        final long suspectedAt = T0_MICROS + 10_000_000;
        h.node.suspicion().suspect(c.members.get(A), SELF, suspectedAt);
        final long timeout = Suspicion.timeoutMicros(h.state.config, 3, 1);

        h.node.suspicion().expire(c, suspectedAt + timeout - 1);
        assertThat(c.members).containsKey(A);
        h.node.suspicion().expire(c, suspectedAt + timeout);
        assertThat(c.members).doesNotContainKey(A).containsKey(B);
        assertThat(h.state.counters.snapshot().get("removed")).isEqualTo(1);
        // the dropped member hears the view without it at once
        assertThat(h.sentOf(MessageType.TREE_VIEW)).anyMatch(s -> s.address().equals(TreeHarness.address(A)));
    }

    @Test
    void anotherSuspectorShortensTheWaitAndARefutationEndsIt() {
        final TreeHarness h = new TreeHarness(8, List.of());
        final Cluster c = headingAAndB(h);
        final long at = T0_MICROS + 10_000_000;
        final Member a = c.members.get(A);
        h.node.suspicion().suspect(a, SELF, at);
        h.node.suspicion().suspect(a, B, at + 1);
        assertThat(a.suspectSinceMicros).as("a second suspector adds a confirmation, not a new start").isEqualTo(at);
        final long twoConfirmations = Suspicion.timeoutMicros(h.state.config, 3, 2);
        assertThat(twoConfirmations).isLessThan(Suspicion.timeoutMicros(h.state.config, 3, 1));

        Suspicion.clear(a);
        h.node.suspicion().expire(c, at + 10 * twoConfirmations);
        assertThat(c.members).containsKey(A);
        assertThat(a.isAlive()).isTrue();
    }

    /** The founder's level-0 cluster with members A and B added. */
    private static Cluster headingAAndB(final TreeHarness h) {
        final Cluster c = h.state.levels[0];
        c.members.put(A, TreeHarness.member(A));
        c.members.put(B, TreeHarness.member(B));
        return c;
    }
}
