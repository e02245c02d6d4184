package dev.vigil.daemon.core;

import dev.vigil.crypto.NodeIds;
import dev.vigil.wire.MessageType;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The membership layer followed frame by frame on a virtual clock: joins and accepts, probes and
 * round trips, the suspect and dead timeouts to the tick, re-joins with backoff, leaving, and a
 * full peer table. Default timing: ticks of 100 ms, probes every 1 s, suspect after 3 s of
 * silence, dead after 6 s.
 */
class MembershipTest {
    private static final long T0 = CoreNet.T0_MICROS;
    private static final long MS = 1_000;
    private static final long S = 1_000_000;

    private final CoreNet net = new CoreNet(11);

    private static String hex(final NodeCore core) {
        return NodeIds.toHex(core.nodeId());
    }

    private static NodeStatus.PeerView peer(final NodeCore at, final NodeCore peer) {
        return at.status().peer(hex(peer));
    }

    /** Like the defaults, with dead peers forgotten after 10 s. */
    private static CoreConfig config(final String address, final List<String> bootstrap, final int peersMax, final int peersTarget) {
        final CoreConfig d = CoreConfig.defaults(address, bootstrap);
        return new CoreConfig(address, bootstrap, peersMax, peersTarget, d.tickMicros(), d.pingIntervalMicros(),
            d.suspectAfterMicros(), d.deadAfterMicros(), 10 * S, d.joinRetryMicrosMin(), d.joinRetryMicrosMax(),
            d.clockSkewMicrosMax(), d.trustedMax(), d.knownMax(), d.schemaHash());
    }

    @Test
    void aJoinerIsAdmittedAndAcceptedOneLatencyApart() {
        net.latencyMicros = 2 * MS;
        final NodeCore a = net.add(CoreConfig.defaults("a:1", List.of()));
        final NodeCore b = net.add(CoreConfig.defaults("b:1", List.of("a:1")));
        a.start();
        b.start();
        assertThat(a.status().accepted()).as("a founder is accepted at once").isTrue();
        assertThat(a.status().acceptedMicros()).isEqualTo(T0);
        assertThat(b.status().accepted()).isFalse();
        assertThat(b.status().acceptedMicros()).isEqualTo(-1);
        assertThat(a.isJoined()).as("accepted, but no peer yet").isFalse();
        assertThat(net.sent("b:1", "a:1", MessageType.JOIN)).hasSize(1);
        assertThat(net.sent("a:1", "b:1", MessageType.JOIN)).isEmpty();

        net.runUntil(T0 + 10 * MS);
        assertThat(b.status().acceptedMicros()).isEqualTo(T0 + 4 * MS);
        assertThat(peer(a, b).sinceMicros()).isEqualTo(T0 + 2 * MS);
        assertThat(peer(a, b).address()).isEqualTo("b:1");
        assertThat(peer(b, a).sinceMicros()).isEqualTo(T0 + 4 * MS);
        assertThat(peer(b, a).state()).isEqualTo(PeerState.ALIVE);
        assertThat(a.isJoined()).isTrue();
        assertThat(b.isJoined()).isTrue();
        assertThat(a.peerIds()).containsExactly(b.nodeId());
        assertThat(a.peerCount()).isEqualTo(1);
        assertThat(a.status().frames().received().get("join").frames()).isEqualTo(1);
        assertThat(b.status().frames().received().get("join-accept").frames()).isEqualTo(1);
        assertThat(b.status().frames().sent().get("join").frames()).isEqualTo(1);
        assertThat(net.log).contains(
            "a:1 info: node " + hex(a) + " (a:1) founds the fleet (no bootstrap addresses)",
            "b:1 info: node " + hex(b) + " (b:1) joining through [a:1]",
            "a:1 info: peer " + hex(b) + " (b:1) joined",
            "b:1 info: node " + hex(b) + " accepted into the fleet by peer " + hex(a) + " (a:1)",
            "b:1 info: peer " + hex(a) + " (a:1) admitted us");
        assertThat(b.status().startedMicros()).isEqualTo(T0);
        assertThat(b.status().nowMicros()).isEqualTo(T0 + 10 * MS);
        assertThat(b.status().stopped()).isFalse();
        assertThat(b.status().refusals()).isEmpty();
    }

    @Test
    void aNodeListedAsItsOwnBootstrapFoundsTheFleet() {
        final NodeCore a = net.add(CoreConfig.defaults("a:1", List.of("a:1")));
        a.start();
        assertThat(a.status().acceptedMicros()).isEqualTo(T0);
        net.runFor(5 * S);
        assertThat(net.sent).isEmpty();
    }

    @Test
    void roundTripsAreMeasuredPerProbeAndSmoothedWithGainOneEighth() {
        net.latencyMicros = 2 * MS;
        final NodeCore a = net.add(CoreConfig.defaults("a:1", List.of()));
        final NodeCore b = net.add(CoreConfig.defaults("b:1", List.of("a:1")));
        a.start();
        b.start();
        assertThat(peer(b, a)).isNull();
        net.runUntil(T0 + 3 * S + 50 * MS);
        assertThat(peer(b, a).rttMicrosLast()).isEqualTo(4 * MS);
        assertThat(peer(b, a).rttMicrosSmoothed()).isEqualTo(4 * MS);
        assertThat(peer(b, a).coordinate()).as("pings and acks carry the sender's coordinate").isNotNull();

        net.latencyMicros = 10 * MS;
        net.runFor(S);
        assertThat(peer(b, a).rttMicrosLast()).isEqualTo(20 * MS);
        assertThat(peer(b, a).rttMicrosSmoothed()).isEqualTo(4 * MS + (20 * MS - 4 * MS) / 8);
    }

    @Test
    void aSilentPeerTurnsSuspectThenDeadToTheTickIsRejoinedWithBackoffAndForgotten() {
        final NodeCore a = net.add(config("a:1", List.of(), 8, 4));
        final NodeCore b = net.add(config("b:1", List.of("a:1"), 8, 4));
        a.start();
        b.start();
        net.runUntil(T0 + 2 * S + 50 * MS);
        net.isolated.add("b:1");
        final long heard = peer(a, b).lastHeardMicros();
        assertThat(heard % (100 * MS)).as("latency 0: heard on a tick").isEqualTo(T0 % (100 * MS));

        net.runUntil(heard + 3 * S);
        assertThat(peer(a, b).state()).isEqualTo(PeerState.ALIVE);
        net.runUntil(heard + 3 * S + 100 * MS);
        assertThat(peer(a, b).state()).isEqualTo(PeerState.SUSPECT);
        assertThat(peer(a, b).sinceMicros()).isEqualTo(heard + 3 * S + 100 * MS);
        assertThat(a.isJoined()).as("no peer alive").isFalse();
        net.runUntil(heard + 6 * S);
        assertThat(peer(a, b).state()).isEqualTo(PeerState.SUSPECT);
        final long dead = heard + 6 * S + 100 * MS;
        net.runUntil(dead);
        assertThat(peer(a, b).state()).isEqualTo(PeerState.DEAD);
        assertThat(peer(a, b).sinceMicros()).isEqualTo(dead);
        assertThat(net.log).contains(
            "a:1 info: peer " + hex(b) + " (b:1) is suspect: silent for 3100 ms",
            "a:1 warn: peer " + hex(b) + " (b:1) is dead: silent for 6100 ms");

        final long pingsBefore = net.sent("a:1", "b:1", MessageType.PING).size();
        net.runUntil(dead + 10 * S);
        assertThat(net.sent("a:1", "b:1", MessageType.PING)).as("a dead peer is not probed").hasSize((int)pingsBefore);
        assertThat(net.sent("a:1", "b:1", MessageType.JOIN).stream().map(s -> s.atMicros() - dead))
            .as("re-joins: after 0.5 s, then doubling").containsExactly(500 * MS, 1500 * MS, 3500 * MS, 7500 * MS);
        assertThat(a.peerCount()).as("kept until 10 s dead").isEqualTo(1);
        net.runUntil(dead + 10 * S + 100 * MS);
        assertThat(a.peerCount()).isZero();
        assertThat(net.log).contains("a:1 info: peer " + hex(b) + " (b:1) forgotten after 10 s dead");
    }

    @Test
    void aDeadPeerThatAnswersARejoinIsAliveAgain() {
        final NodeCore a = net.add(config("a:1", List.of(), 8, 4));
        final NodeCore b = net.add(config("b:1", List.of("a:1"), 8, 4));
        a.start();
        b.start();
        net.runFor(2 * S);
        net.isolated.add("b:1");
        net.runFor(7 * S);
        assertThat(peer(a, b).state()).isEqualTo(PeerState.DEAD);
        net.isolated.clear();
        net.runFor(2 * S);
        assertThat(peer(a, b).state()).isEqualTo(PeerState.ALIVE);
        assertThat(peer(b, a).state()).isEqualTo(PeerState.ALIVE);
        assertThat(net.log).anyMatch(l -> l.endsWith("peer " + hex(b) + " (b:1) is alive again"));
    }

    @Test
    void aLeavingPeerIsDroppedAtOnceAndItsEarlierProbesDoNotBringItBack() {
        final NodeCore a = net.add(CoreConfig.defaults("a:1", List.of()));
        final NodeCore b = net.add(CoreConfig.defaults("b:1", List.of("a:1")));
        a.start();
        b.start();
        net.runFor(S);
        net.hold = s -> s.from().equals("b:1") && s.type() == MessageType.PING;
        net.runFor(2 * S);
        assertThat(net.held).isNotEmpty();
        net.hold = s -> false;

        b.shutdown();
        assertThat(b.isStopped()).isTrue();
        assertThat(net.log).contains("b:1 info: node " + hex(b) + " left the fleet (told 1 peers)");
        net.runFor(10 * MS);
        assertThat(a.peerCount()).isZero();
        assertThat(net.log).contains("a:1 info: peer " + hex(b) + " (b:1) left (shutdown)");

        final int acks = net.sent("a:1", "b:1", MessageType.ACK).size();
        net.deliver("a:1", net.held.get(0));
        assertThat(a.peerCount()).as("a probe sent before the leave").isZero();
        assertThat(net.sent("a:1", "b:1", MessageType.ACK)).hasSize(acks);

        final int sentBefore = net.sent.size();
        b.shutdown();
        assertThat(b.probeNow(a.nodeId(), 1)).isZero();
        assertThat(b.sendReplica("a:1", 1, 1, new byte[] {1})).isZero();
        net.runFor(5 * S);
        assertThat(net.sent.stream().skip(sentBefore).filter(s -> s.from().equals("b:1"))).as("a stopped node is silent").isEmpty();
    }

    @Test
    void aNodeWithAFullTableRefusesAJoinerAndHandsItTheOthers() {
        final NodeCore a = net.add(config("a:1", List.of(), 1, 1));
        final NodeCore b = net.add(config("b:1", List.of("a:1"), 8, 4));
        final NodeCore c = net.add(config("c:1", List.of("a:1"), 8, 4));
        a.start();
        b.start();
        net.runFor(10 * MS);
        c.start();
        net.runFor(10 * MS);
        assertThat(a.peerIds()).containsExactly(b.nodeId());
        assertThat(c.status().accepted()).as("refused a slot, but accepted").isTrue();
        assertThat(net.sent("c:1", "b:1", MessageType.JOIN)).as("c joins b from a's sample").hasSize(1);
        assertThat(c.peerIds()).containsExactly(b.nodeId());
        assertThat(b.peerIds()).containsExactlyInAnyOrder(a.nodeId(), c.nodeId());

        net.runFor(5 * S);
        assertThat(a.peerIds()).as("still full").containsExactly(b.nodeId());
        assertThat(peer(c, b).state()).isEqualTo(PeerState.ALIVE);
    }

    @Test
    void probeNowSendsThatManyPingsToALivePeerOnly() {
        final NodeCore a = net.add(CoreConfig.defaults("a:1", List.of()));
        final NodeCore b = net.add(CoreConfig.defaults("b:1", List.of("a:1")));
        assertThat(a.probeNow(b.nodeId(), 1)).as("not started").isZero();
        a.start();
        b.start();
        net.runFor(10 * MS);
        final int pings = net.sent("a:1", "b:1", MessageType.PING).size();
        assertThat(a.probeNow(b.nodeId(), 3)).isEqualTo(3);
        assertThat(net.sent("a:1", "b:1", MessageType.PING)).hasSize(pings + 3);
        assertThat(a.probeNow(0x1234L, 1)).as("not a peer").isZero();
        assertThat(a.probeNow(b.nodeId(), NodeCore.PROBE_NOW_MAX)).isEqualTo(NodeCore.PROBE_NOW_MAX);
        assertThatThrownBy(() -> a.probeNow(b.nodeId(), 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> a.probeNow(b.nodeId(), NodeCore.PROBE_NOW_MAX + 1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aReplicaReachesTheSinkIntroducedAndExact() {
        final NodeCore a = net.add(CoreConfig.defaults("a:1", List.of()));
        final NodeCore b = net.add(CoreConfig.defaults("b:1", List.of()));
        final List<String> got = new ArrayList<>();
        a.setReplicaSink((from, key, version, payload) -> got.add(NodeIds.toHex(from) + " " + key + " v" + version + " "
            + java.util.Arrays.toString(payload)));
        assertThat(b.sendReplica("a:1", 7, 3, new byte[] {1, 2, 3})).as("not started").isZero();
        a.start();
        b.start();
        final int length = b.sendReplica("a:1", 7, 3, new byte[] {1, 2, 3});
        net.runFor(MS);
        assertThat(got).containsExactly(hex(b) + " 7 v3 [1, 2, 3]");
        assertThat(a.status().frames().received().get("baseline-replica").bytes()).isEqualTo(length);
        assertThat(a.peerCount()).as("a replica makes no peer").isZero();
    }

    @Test
    void aCoreStartsOnceAndIgnoresFramesBeforeItStarts() {
        final NodeCore a = net.add(CoreConfig.defaults("a:1", List.of()));
        final NodeCore b = net.add(CoreConfig.defaults("b:1", List.of("a:1")));
        b.start();
        net.runFor(10 * MS);
        assertThat(a.counters().receivedTotal() + a.counters().rejectedTotal()).isZero();
        a.start();
        assertThatThrownBy(a::start).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> new NodeCore(CoreConfig.defaults("x:1", List.of()), net.key(), net.certify(net.key()),
            net.ca().publicKey(), new NodeEnv(net::now, (d, r) -> () -> { }, (t, f, o, l) -> { }, new java.util.SplittableRandom(1),
            NodeLog.DISCARD))).isInstanceOf(IllegalArgumentException.class);
    }
}
