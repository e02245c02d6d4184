package dev.vigil.daemon.scenario;

import dev.vigil.daemon.core.NodeStatus;
import dev.vigil.daemon.core.PeerState;
import dev.vigil.wire.FrameStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Join and liveness behaviour, written once. Subclasses only say which environment to run in:
 * simnet's virtual network or real daemons over loopback.
 */
public abstract class JoinLivenessSuite {
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
        c.awaitUntil("every node sees the other two alive", Duration.ofSeconds(10), () -> allSeeEachOtherAlive(nodes));
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
        cluster.awaitUntil("every peer has a measured RTT", Duration.ofSeconds(5), () -> IntStream.of(nodes).allMatch(
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
        cluster.awaitUntil("the bootstrap node refuses the rogue's join", Duration.ofSeconds(5),
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
        cluster.awaitUntil("the restarted node is alive to everyone again", Duration.ofSeconds(10),
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
        cluster.awaitUntil("the others re-join the restarted bootstrap node", Duration.ofSeconds(15),
            () -> allSeeEachOtherAlive(nodes));
    }

    @Test
    void cleanShutdownRemovesThePeerBeforeAnyTimeoutCouldHave() {
        final int[] nodes = startThree();
        final String leaver = cluster.nodeId(nodes[1]);
        cluster.stop(nodes[1]);
        cluster.awaitUntil("the others drop the leaver", TestCluster.LIVENESS.suspectAfter(), () ->
            cluster.status(nodes[0]).peer(leaver) == null && cluster.status(nodes[2]).peer(leaver) == null);
    }
}
