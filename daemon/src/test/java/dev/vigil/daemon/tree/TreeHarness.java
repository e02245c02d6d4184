package dev.vigil.daemon.tree;

import dev.vigil.daemon.core.NodeLog;
import dev.vigil.wire.MessageType;
import dev.vigil.wire.WireWriter;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/** One tree node with a recording outbox, for tests that arrange its state and look at what it sends. */
final class TreeHarness {
    static final long T0_MICROS = 1_767_225_600_000_000L;
    static final long SELF = 0x1000;

    /** A frame body the node sent. */
    record Sent(String address, MessageType type, byte[] body) {
    }

    final List<Sent> sent = new ArrayList<>();
    final TreeNode node;
    final TreeState state;
    private final UnsafeBuffer scratch = new UnsafeBuffer(new byte[64 * 1024]);
    private final WireWriter writer = new WireWriter();

    /** A node that founds the tree ({@code bootstrap} empty) or joins through it, with B = {@code b}. */
    TreeHarness(final int b, final List<String> bootstrap) {
        final TreeConfig config = TreeConfig.defaults(2).withB(b).withInvariantChecks(true);
        node = new TreeNode(config, SELF, address(SELF), bootstrap, new Vivaldi(new SplittableRandom(1)),
            new SplittableRandom(2), NodeLog.DISCARD, new TreeNode.Outbox() {
                @Override
                public WireWriter begin(final int bodyLengthMax, final boolean introduce) {
                    return writer.wrap(scratch, 0);
                }

                @Override
                public void send(final String address, final MessageType type, final WireWriter body) {
                    final byte[] bytes = new byte[body.length()];
                    scratch.getBytes(0, bytes);
                    sent.add(new Sent(address, type, bytes));
                }
            });
        state = node.state();
        node.start(T0_MICROS);
    }

    static String address(final long id) {
        return "n" + Long.toHexString(id) + ":7400";
    }

    /** A member known by id, alive, at the origin. */
    static Member member(final long id) {
        return new Member(id, address(id), VivaldiCoordinate.ORIGIN);
    }

    /** Our cluster at {@code level}, headed by {@code head}, with these members (ourselves included when listed). */
    Cluster cluster(final int level, final long head, final long epoch, final long... members) {
        final Cluster c = state.newCluster(level);
        c.setHead(head);
        c.headAddress = address(head);
        c.epoch = epoch;
        c.viewReceivedMicros = T0_MICROS;
        for (final long id : members) {
            c.members.put(id, member(id));
        }
        state.levels[level] = c;
        return c;
    }

    /** A view of a level-{@code level} cluster as {@code sender} would send it. */
    static ClusterViews.View view(final long sender, final int level, final long epoch, final long head, final long... members) {
        return new ClusterViews.View(sender, level, epoch, head, 0, null, List.of(),
            Arrays.stream(members).mapToObj(TreeHarness::member).toList());
    }

    List<Sent> sentOf(final MessageType type) {
        return sent.stream().filter(s -> s.type() == type).toList();
    }
}
