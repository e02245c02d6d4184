package dev.vigil.daemon.scenario;

import dev.vigil.daemon.core.CoreConfig;
import dev.vigil.daemon.core.NodeStatus;
import dev.vigil.daemon.core.PeerState;
import dev.vigil.wire.FrameStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Join and liveness behaviour, written once. Subclasses only say which environment to run in:
 * simnet's virtual network or real daemons over loopback.
 *
 * <p>Every wait is bounded by what the protocol's timers allow, worked out below from
 * {@link TestCluster#LIVENESS}, the join retry delay every node uses and
 * {@link TestCluster#ROUND_TRIP_MAX}, plus the environment's {@link TestCluster#slack() slack}
 * (none in simulation, where time is virtual): a protocol that stalls or waits out a longer timer
 * fails, a slow machine gets the slack.
 */
public abstract class JoinLivenessSuite {
    /** A join without an answer is sent again after this, then after twice as long, and so on. */
    private static final Duration JOIN_RETRY_MIN =
        Duration.ofNanos(CoreConfig.defaults("127.0.0.1:1", List.of()).joinRetryMicrosMin() * 1000);
    private static final Duration PING = TestCluster.LIVENESS.pingInterval();
    private static final Duration ROUND_TRIP = TestCluster.ROUND_TRIP_MAX;
    /**
     * Until nodes that joined through one bootstrap node see each other alive: a join is answered within a
     * round trip, and the node answered second learns the first from that answer and joins it, a second
     * round trip. One join may go unanswered: it is sent again after the retry delay and up to a quarter of
     * it in jitter, and answered within a third round trip.
     */
    private static final Duration JOINED = JOIN_RETRY_MIN.multipliedBy(5).dividedBy(4).plus(ROUND_TRIP.multipliedBy(3));

    private TestCluster cluster;

    protected abstract TestCluster newCluster();

    private TestCluster cluster() {
        if (cluster == null) {
            cluster = newCluster();
        }
        return cluster;
    }

    @AfterEach
    void closeCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    private int[] startThree() {
        final TestCluster c = cluster();
        final int[] nodes = {c.startNode(), c.startNode(), c.startNode()};
        c.awaitUntil("every node sees the other two alive", JOINED.plus(c.slack()), () -> allSeeEachOtherAlive(nodes));
        return nodes;
    }

    private boolean allSeeEachOtherAlive(final int... nodes) {
        for (final int a : nodes) {
            final NodeStatus s = cluster.status(a);
            for (final int b : nodes) {
                if (a != b && s.peerState(cluster.nodeId(b)) != PeerState.ALIVE) {
                    return false;
                }
            }
        }
        return true;
    }

    @Test
    void threeNodesJoiningThroughOneBootstrapSeeEachOtherAliveWithRoundTripTimes() {
        final int[] nodes = startThree();
        // A new peer's first probe goes at the first tick after a random moment within one ping interval of its
        // admission, and its ack comes a round trip later; an ack that comes after the next probe went out
        // does not count, so allow one more interval.
        final Duration measured = PING.multipliedBy(2).plus(ROUND_TRIP).plus(cluster.slack());
        cluster.awaitUntil("every peer has a measured RTT", measured, () -> IntStream.of(nodes).allMatch(
            n -> cluster.status(n).peers().stream().allMatch(p -> p.rttMicrosSmoothed() >= 0)));
        for (final int n : nodes) {
            final NodeStatus s = cluster.status(n);
            assertThat(s.accepted()).as("node %d accepted", n).isTrue();
            assertThat(s.peers()).hasSize(2);
            assertThat(s.frames().rejectedTotal()).as("frames refused among honest nodes").isZero();
        }
    }

    @Test
    void nodeCertifiedByAForeignCaIsRefusedCountedAndNeverBecomesAPeer() {
        final int[] nodes = startThree();
        final int rogue = cluster.startNodeFromForeignCa();
        final String rogueId = cluster.nodeId(rogue);
        // the rogue's join is refused as it arrives; if the first one is lost, the retry comes after the retry
        // delay and up to a quarter of it in jitter
        cluster.awaitUntil("the bootstrap node refuses the rogue's join",
            JOIN_RETRY_MIN.multipliedBy(5).dividedBy(4).plus(ROUND_TRIP).plus(cluster.slack()),
            () -> cluster.status(nodes[0]).frames().rejected(FrameStatus.BAD_CERTIFICATE) > 0);
        cluster.holdsFor("no honest node lists the rogue as a peer", Duration.ofSeconds(3),
            () -> IntStream.of(nodes).allMatch(n -> cluster.status(n).peer(rogueId) == null));
        final NodeStatus bootstrap = cluster.status(nodes[0]);
        assertThat(bootstrap.refusals()).anySatisfy(r -> {
            assertThat(r.nodeId()).isEqualTo(rogueId);
            assertThat(r.reason()).isEqualTo(FrameStatus.BAD_CERTIFICATE.label);
            assertThat(r.detail()).isEqualTo("certificate wrong-ca");
        });
        assertThat(cluster.status(rogue).accepted()).as("rogue accepted").isFalse();
        assertThat(cluster.status(rogue).peers()).as("rogue's peers").isEmpty();
        assertThat(allSeeEachOtherAlive(nodes)).isTrue();
    }

    @Test
    void killedNodeIsMarkedDeadWithinTheTimeoutAndRejoinsAfterRestart() {
        final int[] nodes = startThree();
        final String victim = cluster.nodeId(nodes[2]);
        cluster.kill(nodes[2]);
        // Dead once silent for deadAfter; the last frame came at most one ping interval before the kill.
        final Duration bound = TestCluster.LIVENESS.deadAfter().plus(TestCluster.LIVENESS.pingInterval()).plus(cluster.slack());
        cluster.awaitUntil("both survivors mark the killed node dead", bound, () ->
            cluster.status(nodes[0]).peerState(victim) == PeerState.DEAD
                && cluster.status(nodes[1]).peerState(victim) == PeerState.DEAD);
        assertThat(cluster.status(nodes[0]).peerState(cluster.nodeId(nodes[1]))).isEqualTo(PeerState.ALIVE);

        cluster.restart(nodes[2]);
        // it joins through the bootstrap node as it did the first time, and the other survivor from the answer;
        // the survivors' answers may wait for their connection to it, which failed while it was down
        cluster.awaitUntil("the restarted node is alive to everyone again", JOINED.plus(cluster.reconnectMax()).plus(cluster.slack()),
            () -> allSeeEachOtherAlive(nodes));
    }

    @Test
    void restartedBootstrapNodeIsFoundAgainByThePeersThatKnewIt() {
        final int[] nodes = startThree();
        cluster.kill(nodes[0]);
        cluster.awaitUntil("the bootstrap node is marked dead",
            TestCluster.LIVENESS.deadAfter().plus(TestCluster.LIVENESS.pingInterval()).plus(cluster.slack()),
            () -> cluster.status(nodes[1]).peerState(cluster.nodeId(nodes[0])) == PeerState.DEAD);
        cluster.restart(nodes[0]);
        // A restarted founder has no bootstrap address: the survivors find it. They send a join to a dead peer
        // one retry delay after marking it dead and then at doubling intervals, 1, 3, 7 and 15 retry delays
        // after. The restart follows the dead mark at once here, but a real one takes time: allow it to miss
        // three attempts, so the fourth reaches it, plus one ping interval by which the other survivor may have
        // marked it dead later, a round trip for the answer, and the survivors' reconnection to it.
        final Duration rejoined = JOIN_RETRY_MIN.multipliedBy(1 + 2 + 4 + 8).plus(PING).plus(ROUND_TRIP)
            .plus(cluster.reconnectMax()).plus(cluster.slack());
        cluster.awaitUntil("the others re-join the restarted bootstrap node", rejoined,
            () -> allSeeEachOtherAlive(nodes));
    }

    @Test
    void cleanShutdownRemovesThePeerBeforeAnyTimeoutCouldHave() {
        final int[] nodes = startThree();
        final String leaver = cluster.nodeId(nodes[1]);
        cluster.stop(nodes[1]);
        // Only the leaver's LEAVE takes it out of a peer table this soon: silence alone makes a peer suspect
        // after suspectAfter, dead after deadAfter, and drops it after forgetAfter (ten minutes). Waiting for
        // the suspect timeout and the environment's slack still tells the two apart.
        cluster.awaitUntil("the others drop the leaver", TestCluster.LIVENESS.suspectAfter().plus(cluster.slack()), () ->
            cluster.status(nodes[0]).peer(leaver) == null && cluster.status(nodes[2]).peer(leaver) == null);
    }
}
