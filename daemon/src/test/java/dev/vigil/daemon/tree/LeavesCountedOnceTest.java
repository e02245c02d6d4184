package dev.vigil.daemon.tree;

import dev.vigil.daemon.aggregate.Summary;
import dev.vigil.daemon.stats.Moments;
import dev.vigil.wire.MessageType;
import dev.vigil.wire.TreeAdmitBody;
import dev.vigil.wire.WireWriter;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.vigil.daemon.tree.TreeHarness.SELF;
import static dev.vigil.daemon.tree.TreeHarness.T0_MICROS;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A leaf that leaves one head for another must not be counted under both on its way up: the head it left says so
 * at once, and the head it joins counts only what the leaf sent after joining.
 */
class LeavesCountedOnceTest {
    private static final long A = 0x2000;
    private static final long B = 0x3000;
    private static final long C = 0x4000;
    private static final long PARENT = 0x9000;

    @Test
    void aHeadAdmittingANodeIgnoresWhatThatNodeSentToAnotherClusterBefore() {
        final TreeHarness h = new TreeHarness(8, List.of());
        final Cluster c = h.state.levels[0];
        final long at = T0_MICROS + 5_000_000;
        // A's contribution to the cluster it was in, which we were a member of then: not ours, kept aside
        deliver(h, MessageType.STAT_UPDATE, A, statUpdate(leaf(A, 7)), at);
        assertThat(c.contributions.held(A)).isNull();

        deliver(h, MessageType.TREE_ADMIT, A, admit(0), at + 3_000_000);

        assertThat(c.members).containsKey(A);
        assertThat(c.contributions.held(A)).as("counted only from what A sends once our view lists it").isNull();
        deliver(h, MessageType.STAT_UPDATE, A, statUpdate(leaf(A, 8)), at + 3_100_000);
        assertThat(c.contributions.held(A).version()).isEqualTo(8);
    }

    @Test
    void aHeadWhoseMemberLeftSendsItsSmallerContributionUpAtOnceWhileAGrowingOneWaits() {
        final TreeHarness h = new TreeHarness(8, List.of());
        final Cluster c = h.state.levels[0];
        c.members.put(A, TreeHarness.member(A));
        c.members.put(B, TreeHarness.member(B));
        c.members.put(C, TreeHarness.member(C));
        c.contributions.offer(leaf(SELF, 1));
        c.contributions.offer(leaf(A, 1));
        c.contributions.offer(leaf(B, 1));
        h.cluster(1, PARENT, 1, PARENT, SELF);
        h.state.root = new TreeNode.NodeRef(PARENT, TreeHarness.address(PARENT));
        final long at = T0_MICROS + 5_000_000;
        h.node.contributions().flush(1, at);
        assertThat(leavesSentUp(h)).containsExactly(3L);

        // a new contributor within the coalescing interval waits for it
        h.node.contributions().onContribution(C, statUpdate(leaf(C, 1)), 0, leaf(C, 1).bodyLength(), at + 10_000);
        assertThat(leavesSentUp(h)).containsExactly(3L);
        // a member that leaves does not: the parent must stop counting it before another head can count it
        h.node.headDuties().removeMember(c, A, "left", at + 20_000);
        assertThat(leavesSentUp(h)).containsExactly(3L, 3L);
        assertThat(h.state.levels[0].contributions.leafCount()).isEqualTo(3);
        h.node.headDuties().removeMember(c, B, "left", at + 30_000);
        assertThat(leavesSentUp(h)).containsExactly(3L, 3L, 2L);
    }

    /** A level-1 summary from a contributor below (a level-0 head) reporting fewer leaves is passed on at once too. */
    @Test
    void aContributorBelowReportingFewerLeavesIsPassedUpAtOnce() {
        final TreeHarness h = new TreeHarness(8, List.of());
        final Cluster c = h.cluster(1, SELF, 1, SELF, A);
        c.contributions.offer(subtree(SELF, 1, 5));
        c.contributions.offer(subtree(A, 1, 6));
        h.cluster(2, PARENT, 1, PARENT, SELF);
        h.state.root = new TreeNode.NodeRef(PARENT, TreeHarness.address(PARENT));
        final long at = T0_MICROS + 5_000_000;
        h.node.contributions().flush(2, at);
        assertThat(leavesSentUp(h)).containsExactly(11L);

        final Summary grown = subtree(A, 2, 7);
        h.node.contributions().onContribution(A, statUpdate(grown), 0, grown.bodyLength(), at + 10_000);
        assertThat(leavesSentUp(h)).as("growth waits for the coalescing interval").containsExactly(11L);
        final Summary shrunk = subtree(A, 3, 5);
        h.node.contributions().onContribution(A, statUpdate(shrunk), 0, shrunk.bodyLength(), at + 20_000);
        assertThat(leavesSentUp(h)).containsExactly(11L, 10L);
    }

    private static Summary leaf(final long id, final long version) {
        final Moments m = new Moments(2);
        m.add(new double[] {id, version});
        return new Summary(id, version, 0, 1, 1, m);
    }

    private static Summary subtree(final long id, final long version, final long leaves) {
        final Moments m = new Moments(2);
        for (int i = 0; i < leaves; i++) {
            m.add(new double[] {i, id});
        }
        return new Summary(id, version, 1, leaves, leaves, m);
    }

    private static UnsafeBuffer statUpdate(final Summary s) {
        final UnsafeBuffer b = new UnsafeBuffer(new byte[s.bodyLength()]);
        s.writeBody(b, 0);
        return b;
    }

    private static UnsafeBuffer admit(final int level) {
        final UnsafeBuffer b = new UnsafeBuffer(new byte[TreeAdmitBody.LENGTH]);
        final WireWriter w = new WireWriter().wrap(b, 0);
        VivaldiCoordinate.ORIGIN.writeTo(b, TreeAdmitBody.write(w, level, 0));
        return b;
    }

    private static void deliver(final TreeHarness h, final MessageType type, final long from, final UnsafeBuffer body,
                                final long nowMicros) {
        h.node.onMessage(type, from, TreeHarness.address(from), body, 0, body.capacity(), nowMicros);
    }

    /** The leaf counts of the contributions this node sent its parent, in order. */
    private static List<Long> leavesSentUp(final TreeHarness h) {
        return h.sentOf(MessageType.STAT_UPDATE).stream()
            .filter(s -> s.address().equals(TreeHarness.address(PARENT)))
            .map(s -> Summary.readBody(new UnsafeBuffer(s.body()), 0, s.body().length, 2).contributorCount())
            .toList();
    }
}
