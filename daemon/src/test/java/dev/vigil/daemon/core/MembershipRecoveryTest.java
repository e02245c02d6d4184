package dev.vigil.daemon.core;

import dev.vigil.crypto.ClusterCa;
import dev.vigil.crypto.NodeIds;
import dev.vigil.crypto.PrivateKey;
import dev.vigil.daemon.detect.FeatureSchema;
import dev.vigil.wire.FrameHeader;
import dev.vigil.wire.FrameStatus;
import dev.vigil.wire.MessageType;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How a node finds its way back: bootstrap retries with backoff, a dead peer's slot given to a
 * newcomer, a forgotten peer re-admitted by its probe; and what the core does with frames it
 * refuses or stamps ahead of its clock.
 */
class MembershipRecoveryTest {
    private static final long T0 = CoreNet.T0_MICROS;
    private static final long MS = 1_000;
    private static final long S = 1_000_000;

    private final CoreNet net = new CoreNet(17);

    private static String hex(final NodeCore core) {
        return NodeIds.toHex(core.nodeId());
    }

    private static CoreConfig config(final String address, final List<String> bootstrap, final int peersMax, final int peersTarget,
                                     final long suspectMicros, final long deadMicros, final long forgetMicros) {
        final CoreConfig d = CoreConfig.defaults(address, bootstrap);
        return new CoreConfig(address, bootstrap, peersMax, peersTarget, d.tickMicros(), d.pingIntervalMicros(), suspectMicros,
            deadMicros, forgetMicros, d.joinRetryMicrosMin(), d.joinRetryMicrosMax(), d.clockSkewMicrosMax(), d.trustedMax(),
            d.knownMax(), d.schemaHash());
    }

    @Test
    void anUnansweredBootstrapIsRetriedWithDoublingBackoffUpToItsCapPlusAQuarterOfJitter() {
        final NodeCore b = net.add(CoreConfig.defaults("b:1", List.of("nowhere:1")));
        b.start();
        net.runFor(60 * S);
        final List<Long> times = net.sent("b:1", "nowhere:1", MessageType.JOIN).stream().map(CoreNet.Sent::atMicros).toList();
        assertThat(times.get(0)).isEqualTo(T0);
        assertThat(times).hasSizeGreaterThan(6);
        long backoff = 500 * MS;
        for (int k = 1; k < times.size(); k++) {
            final long gap = times.get(k) - times.get(k - 1);
            assertThat(gap).as("gap %d", k).isBetween(backoff, backoff + backoff / 4 + 100 * MS);
            backoff = Math.min(2 * backoff, 10 * S);
        }
        assertThat(b.status().accepted()).isFalse();
    }

    @Test
    void aFullTableGivesTheLongestDeadPeersSlotToANewcomer() {
        final NodeCore a = net.add(config("a:1", List.of(), 1, 1, 3 * S, 6 * S, 600 * S));
        final NodeCore b = net.add(CoreConfig.defaults("b:1", List.of("a:1")));
        final NodeCore c = net.add(CoreConfig.defaults("c:1", List.of("a:1")));
        a.start();
        b.start();
        net.runFor(S);
        net.isolated.add("b:1");
        net.runFor(7 * S);
        assertThat(a.status().peerState(hex(b))).isEqualTo(PeerState.DEAD);
        c.start();
        net.runFor(10 * MS);
        assertThat(a.peerIds()).containsExactly(c.nodeId());
        assertThat(c.status().peerState(hex(a))).isEqualTo(PeerState.ALIVE);
    }

    @Test
    void aForgottenPeerThatStillProbesIsReadmittedByItsProbe() {
        final NodeCore a = net.add(config("a:1", List.of(), 8, 4, 1_500 * MS, 2 * S, 2 * S));
        final NodeCore b = net.add(CoreConfig.defaults("b:1", List.of("a:1")));
        a.start();
        b.start();
        net.runFor(S);
        net.isolated.add("b:1");
        net.runFor(5 * S);
        assertThat(a.peerCount()).as("forgotten").isZero();
        assertThat(b.status().peerState(hex(a))).as("b still probes a").isEqualTo(PeerState.SUSPECT);
        net.isolated.clear();
        net.hold = s -> s.type() == MessageType.JOIN; // only the probe may bring b back
        final long back = net.now();
        net.runFor(1_100 * MS);
        assertThat(a.peerIds()).containsExactly(b.nodeId());
        assertThat(net.log).contains("a:1 info: peer " + hex(b) + " (b:1) re-admitted on probe");
        assertThat(net.sent("a:1", "b:1", MessageType.ACK).stream().filter(s -> s.atMicros() >= back)).isNotEmpty();
        assertThat(b.status().peerState(hex(a))).isEqualTo(PeerState.ALIVE);
    }

    @Test
    void aNodeOfAnotherCaIsRefusedListedAndTracedAtDebug() {
        net.debug = true;
        final NodeCore a = net.add(CoreConfig.defaults("a:1", List.of()));
        final NodeCore rogue = net.add(CoreConfig.defaults("r:1", List.of("a:1")), new ClusterCa(net.key()));
        a.start();
        rogue.start();
        net.runFor(10 * MS);
        assertThat(a.peerCount()).isZero();
        assertThat(a.counters().rejected(FrameStatus.BAD_CERTIFICATE)).isEqualTo(1);
        assertThat(a.status().refusals()).containsExactly(new NodeStatus.Refusal(hex(rogue), "r:1", "bad-certificate",
            "certificate wrong-ca", 1, T0));
        assertThat(net.log).contains("a:1 debug: refused a JOIN frame from peer " + hex(rogue) + ": BAD_CERTIFICATE");
        assertThat(net.sent("a:1", "r:1", MessageType.JOIN_ACCEPT)).isEmpty();
    }

    @Test
    void aFrameStampedAheadPushesTheNodesOwnStampsPastIt() {
        final NodeCore a = net.add(CoreConfig.defaults("a:1", List.of()));
        a.start();
        final PrivateKey key = net.key();
        final Frames.Sender s = new Frames.Sender(key, net.certify(key), "s:1", 1);
        s.schemaHash = FeatureSchema.agentDefault().hash();
        final long ahead = T0 + 10 * S;
        net.deliver("a:1", s.join(ahead));
        final List<CoreNet.Sent> accepts = net.sent("a:1", "s:1", MessageType.JOIN_ACCEPT);
        assertThat(accepts).hasSize(1);
        assertThat(FrameHeader.hlc(new UnsafeBuffer(accepts.get(0).frame()), 0)).isEqualTo(((ahead / 1000) << 16) + 2);
    }
}
