package dev.vigil.daemon.core;

import dev.vigil.crypto.ClusterCa;
import dev.vigil.crypto.PrivateKey;
import dev.vigil.wire.FrameHeader;
import dev.vigil.wire.MessageType;
import dev.vigil.wire.TreeProbeBody;
import dev.vigil.wire.TreeWire;
import dev.vigil.wire.WireWriter;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An exception in a handler whose frame passed every check is a bug, not hostile input: the core
 * counts it by code location, logs it once per location with its stack trace, and goes on serving.
 */
class InternalErrorTest {
    private static final long NOW_MICROS = Instant.parse("2026-06-01T00:00:00Z").getEpochSecond() * 1_000_000L;

    @Test
    void aBugInATreeHandlerIsCountedByLocationLoggedOnceAndTheNodeGoesOn() {
        final SplittableRandom random = new SplittableRandom(7);
        final ClusterCa ca = new ClusterCa(key(random));
        final Instant notBefore = Instant.ofEpochSecond(NOW_MICROS / 1_000_000).minus(Duration.ofDays(1));
        final PrivateKey own = key(random);
        final PrivateKey peerKey = key(random);
        final Frames.Sender peer = new Frames.Sender(peerKey, ca.issue(peerKey.publicKey(), notBefore, Duration.ofDays(30)),
            "10.1.0.2:7400", 1000);
        peer.schemaHash = dev.vigil.daemon.detect.FeatureSchema.agentDefault().hash();
        final List<String> bugs = new ArrayList<>();
        final List<Integer> sentTypes = new ArrayList<>();
        final NodeLog log = new NodeLog() {
            @Override
            public void info(final String message) {
            }

            @Override
            public void warn(final String message) {
            }

            @Override
            public void bug(final String message, final Throwable cause) {
                bugs.add(message + " / " + cause.getMessage());
            }
        };
        final NodeEnv env = new NodeEnv(() -> NOW_MICROS, (delay, action) -> () -> { },
            (to, frame, offset, length) -> sentTypes.add(frame[offset + FrameHeader.TYPE_OFFSET] & 0xFF), random, log);
        final NodeCore core = new NodeCore(CoreConfig.defaults("10.1.0.1:7400", List.of()), own,
            ca.issue(own.publicKey(), notBefore, Duration.ofDays(30)), ca.publicKey(), env);
        core.start();
        final byte[] join = peer.join(NOW_MICROS);
        core.onFrame(join, 0, join.length);

        for (int i = 0; i < 3; i++) {
            core.tree().injectBug(MessageType.TREE_PING);
            final byte[] ping = treePing(peer, 10 + i);
            core.onFrame(ping, 0, ping.length);
        }
        assertThat(core.internalErrors().total()).isEqualTo(3);
        assertThat(core.internalErrors().snapshot()).hasSize(1);
        final String location = core.internalErrors().snapshot().keySet().iterator().next();
        assertThat(location).startsWith("TreeNode.onMessage:");
        assertThat(core.internalErrors().snapshot().get(location)).isEqualTo(3);
        assertThat(bugs).as("logged once per location").hasSize(1);
        assertThat(bugs.get(0)).contains("tree-ping frame from").contains(location).contains("injected bug in the tree-ping handler");
        assertThat(core.tree().counters().snapshot().get("internal-errors")).isEqualTo(3);
        assertThat(core.tree().counters().snapshot().get("malformed")).as("a bug is not counted as hostile input").isZero();

        // and the node goes on: the next ping is answered
        sentTypes.clear();
        final byte[] ping = treePing(peer, 99);
        core.onFrame(ping, 0, ping.length);
        assertThat(sentTypes).contains(MessageType.TREE_ACK.code);
        assertThat(core.internalErrors().total()).isEqualTo(3);
    }

    /** A descent probe (level "any"): every running node answers it. */
    private static byte[] treePing(final Frames.Sender sender, final long probeId) {
        return sender.frame(MessageType.TREE_PING, NOW_MICROS, (b, o) -> {
            final WireWriter w = new WireWriter().wrap(b, o);
            TreeProbeBody.write(w, TreeWire.LEVEL_ANY, probeId, 0, 0);
            return w.length();
        });
    }

    private static PrivateKey key(final SplittableRandom random) {
        final byte[] secret = new byte[PrivateKey.LENGTH];
        random.nextBytes(secret);
        return PrivateKey.of(secret);
    }
}
