package dev.vigil.daemon.core;

import dev.vigil.crypto.NodeIds;
import dev.vigil.wire.FrameHeader;
import dev.vigil.wire.MessageType;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Consensus messages between two cores: split into introduced frames, put back together, bounded. */
class ConsensusTransportTest {
    private static final long MS = 1_000;
    private static final long S = 1_000_000;

    private final CoreNet net = new CoreNet(48);
    private final List<String> got = new ArrayList<>();
    private final List<byte[]> gotBytes = new ArrayList<>();

    private NodeCore[] pair(final CoreConfig a, final CoreConfig b) {
        final NodeCore na = net.add(a);
        final NodeCore nb = net.add(b);
        na.setConsensusSink((from, message) -> {
            got.add(NodeIds.toHex(from) + " " + message.length);
            gotBytes.add(message);
        });
        return new NodeCore[] {na, nb};
    }

    private static byte[] message(final int length, final int seed) {
        final byte[] m = new byte[length];
        new Random(seed).nextBytes(m);
        return m;
    }

    @Test
    void aMegabyteAndAHundredBytesReachTheSinkExactlyFromANodeNeverSeenBefore() {
        final NodeCore[] n = pair(CoreConfig.defaults("a:1", List.of()), CoreConfig.defaults("b:1", List.of()));
        final NodeCore a = n[0];
        final NodeCore b = n[1];
        a.start();
        b.start();
        final byte[] big = message(1_000_000, 1);
        final byte[] small = message(100, 2);

        final int bigWire = b.sendConsensus("a:1", big);
        final int smallWire = b.sendConsensus("a:1", small);
        net.runFor(10 * MS);

        assertThat(got).containsExactly(NodeIds.toHex(b.nodeId()) + " 1000000", NodeIds.toHex(b.nodeId()) + " 100");
        assertThat(gotBytes.get(0)).isEqualTo(big);
        assertThat(gotBytes.get(1)).isEqualTo(small);
        final List<CoreNet.Sent> frames = net.sent("b:1", "a:1", MessageType.CONSENSUS);
        // an introduction of 4 + 136 (certificate) + 3 ("b:1") bytes leaves 16,117 fragment bytes a frame: 63 frames for 1 MB
        assertThat(frames).hasSize(63 + 1);
        assertThat(frames).allSatisfy(f -> {
            assertThat(f.frame().length).isLessThanOrEqualTo(FrameHeader.FRAME_LENGTH_MAX);
            assertThat(f.frame()[FrameHeader.FLAGS_OFFSET]).as("introduced").isEqualTo((byte)FrameHeader.FLAG_INTRODUCTION);
        });
        assertThat(frames.subList(0, 62)).allSatisfy(f -> assertThat(f.frame().length).isEqualTo(FrameHeader.FRAME_LENGTH_MAX));
        assertThat(bigWire + smallWire).isEqualTo(frames.stream().mapToInt(f -> f.frame().length).sum());

        final FrameCounters.Snapshot bs = b.status().frames();
        final FrameCounters.Snapshot as = a.status().frames();
        assertThat(bs.sent().get("consensus").bytes()).isEqualTo(bigWire + smallWire);
        assertThat(bs.consensus().messagesSent()).isEqualTo(2);
        assertThat(bs.consensus().messageBytesSent()).isEqualTo(1_000_100);
        assertThat(as.received().get("consensus").frames()).isEqualTo(64);
        assertThat(as.consensus().messagesDelivered()).isEqualTo(2);
        assertThat(as.consensus().messageBytesDelivered()).isEqualTo(1_000_100);
        assertThat(as.consensus().fragments("buffered")).isEqualTo(62);
        assertThat(as.consensus().fragments("delivered")).isEqualTo(2);
        assertThat(as.consensus().fragmentsRefused()).isZero();
        assertThat(as.consensus().partialMessages()).isZero();
        assertThat(as.consensus().bytesHeld()).isZero();
        assertThat(a.peerCount()).as("a consensus message makes no peer").isZero();
    }

    @Test
    void framesDeliveredBackwardsAndTwiceStillMakeOneMessage() {
        final NodeCore[] n = pair(CoreConfig.defaults("a:1", List.of()), CoreConfig.defaults("b:1", List.of()));
        net.hold = s -> s.type() == MessageType.CONSENSUS;
        n[0].start();
        n[1].start();
        final byte[] m = message(200_000, 3);
        n[1].sendConsensus("a:1", m);
        final List<byte[]> held = new ArrayList<>(net.held);
        Collections.reverse(held);

        for (final byte[] frame : held) {
            net.deliver("a:1", frame);
            net.deliver("a:1", frame); // the same frame again: the gate's replay window stops it
        }

        assertThat(gotBytes).hasSize(1);
        assertThat(gotBytes.get(0)).isEqualTo(m);
        final FrameCounters.Snapshot as = n[0].status().frames();
        assertThat(as.rejected().get("replayed")).isEqualTo(held.size());
        assertThat(as.consensus().fragmentsTotal()).as("every admitted frame in one outcome").isEqualTo(held.size());
    }

    @Test
    void aMessageMissingAFragmentExpiresOnTheTickAndIsLoggedOnce() {
        final ReassemblyConfig bounds = new ReassemblyConfig(1 << 20, 2, 4 << 20, 2 * S, 64);
        final NodeCore[] n = pair(CoreConfig.defaults("a:1", List.of()).withReassembly(bounds),
            CoreConfig.defaults("b:1", List.of()).withReassembly(bounds));
        final int[] consensusFrames = {0};
        net.hold = s -> s.type() == MessageType.CONSENSUS && consensusFrames[0]++ % 3 == 1; // the second of three
        n[0].start();
        n[1].start();
        n[1].sendConsensus("a:1", message(40_000, 4));
        n[1].sendConsensus("a:1", message(40_000, 5));
        net.runFor(S);
        assertThat(n[0].status().frames().consensus().partialMessages()).isEqualTo(2);

        net.runFor(2 * S);

        final FrameCounters.Snapshot as = n[0].status().frames();
        assertThat(got).isEmpty();
        assertThat(as.consensus().partialMessages()).isZero();
        assertThat(as.consensus().bytesHeld()).isZero();
        assertThat(as.consensus().messagesDropped().get("expired")).isEqualTo(2);
        assertThat(net.log.stream().filter(l -> l.contains("consensus-expired"))).hasSize(1);
        assertThat(n[0].status().refusals()).anySatisfy(r -> {
            assertThat(r.reason()).isEqualTo("consensus-expired");
            assertThat(r.count()).isEqualTo(2);
        });

        for (final byte[] frame : net.held) {
            net.deliver("a:1", frame);
        }
        assertThat(n[0].status().frames().consensus().fragments("abandoned")).as("late fragments of dropped messages").isEqualTo(2);
    }

    @Test
    void aMessageAboveTheBoundIsACallerErrorAndAStoppedNodeSendsNothing() {
        final ReassemblyConfig bounds = new ReassemblyConfig(50_000, 2, 100_000, 2 * S, 64);
        final NodeCore[] n = pair(CoreConfig.defaults("a:1", List.of()), CoreConfig.defaults("b:1", List.of()).withReassembly(bounds));
        final NodeCore b = n[1];

        assertThat(b.sendConsensus("a:1", new byte[10])).as("not started").isZero();
        assertThatThrownBy(() -> b.sendConsensus("a:1", new byte[50_001])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> b.sendConsensus("a:1", new byte[0])).isInstanceOf(IllegalArgumentException.class);
        n[0].start();
        b.start();
        assertThat(b.sendConsensus("a:1", new byte[50_000])).isPositive();
        b.shutdown();
        assertThat(b.sendConsensus("a:1", new byte[10])).isZero();
        net.runFor(10 * MS);

        assertThat(got).containsExactly(NodeIds.toHex(b.nodeId()) + " 50000");
    }

    @Test
    void aMessageLargerThanTheReceiversBoundIsRefusedByReasonNotThrown() {
        final ReassemblyConfig receiverBounds = new ReassemblyConfig(10_000, 2, 20_000, 2 * S, 64);
        final NodeCore[] n = pair(CoreConfig.defaults("a:1", List.of()).withReassembly(receiverBounds),
            CoreConfig.defaults("b:1", List.of()));
        n[0].start();
        n[1].start();

        n[1].sendConsensus("a:1", new byte[40_000]);
        net.runFor(10 * MS);

        final FrameCounters.Snapshot as = n[0].status().frames();
        assertThat(got).isEmpty();
        assertThat(as.consensus().fragments("too-large")).isEqualTo(3);
        assertThat(n[0].internalErrors().total()).isZero();
        assertThat(net.log.stream().filter(l -> l.contains("consensus-too-large"))).hasSize(1);
    }
}
