package dev.vigil.simnet.bench;

import dev.vigil.crypto.ClusterCa;
import dev.vigil.daemon.core.NodeStatus;
import dev.vigil.daemon.core.PeerState;
import dev.vigil.daemon.net.Daemon;
import dev.vigil.daemon.net.LocalDaemons;
import dev.vigil.wire.MessageType;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Signed frames per second between two real daemons over TCP loopback: daemon B probes daemon A
 * as fast as A keeps up (a bounded number of probes in flight); A verifies each ping and answers
 * with a signed ack that B verifies. Every frame crosses the full path: encode, sign, Netty,
 * length-prefix framing, decode, certificate and replay checks, signature verification.
 */
public final class LoopbackBench {
    private static final int BATCH = 256;
    private static final int IN_FLIGHT_MAX = 4096;

    private LoopbackBench() {
    }

    public static Map<String, Object> run(final double seconds) throws Exception {
        final Path dir = Files.createTempDirectory("vigil-bench-");
        final ClusterCa ca = LocalDaemons.newCa(dir);
        try (Daemon a = LocalDaemons.start(dir, ca, "a", null, false);
             Daemon b = LocalDaemons.start(dir, ca, "b", "127.0.0.1:" + a.peerAddress().getPort(), false,
                 "transport:", "  send_queue_frames_max: 8192")) {
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!(alive(a, b) && alive(b, a))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the two daemons did not become peers within 10 s");
                }
                Thread.sleep(20);
            }
            // warm up for a second, then measure
            drive(a, b, 1.0);
            final long pingsBefore = received(a.statusNow(), MessageType.PING);
            final long acksBefore = received(b.statusNow(), MessageType.ACK);
            final long t0 = System.nanoTime();
            drive(a, b, seconds);
            final double elapsed = (System.nanoTime() - t0) / 1e9;
            final NodeStatus sa = a.statusNow();
            final NodeStatus sb = b.statusNow();
            final long pings = received(sa, MessageType.PING) - pingsBefore;
            final long acks = received(sb, MessageType.ACK) - acksBefore;
            final Map<String, Object> out = new LinkedHashMap<>();
            out.put("seconds", Math.round(elapsed * 1000) / 1000.0);
            out.put("frame_bytes", sa.frames().received().get(MessageType.PING.label).bytes()
                / Math.max(1, sa.frames().received().get(MessageType.PING.label).frames()));
            out.put("pings_verified_per_s", Math.round(pings / elapsed));
            out.put("acks_verified_per_s", Math.round(acks / elapsed));
            out.put("frames_per_s_both_directions", Math.round((pings + acks) / elapsed));
            out.put("rejected_a", sa.frames().rejectedTotal());
            out.put("rejected_b", sb.frames().rejectedTotal());
            return out;
        }
    }

    private static void drive(final Daemon a, final Daemon b, final double seconds) throws Exception {
        final long end = System.nanoTime() + (long)(seconds * 1e9);
        long sent = 0;
        final long base = received(a.statusNow(), MessageType.PING);
        while (System.nanoTime() < end) {
            final long inFlight = sent - (received(a.statusNow(), MessageType.PING) - base);
            if (inFlight < IN_FLIGHT_MAX) {
                sent += b.probeNow(a.nodeId(), BATCH).get(5, TimeUnit.SECONDS);
            } else {
                Thread.sleep(0, 200_000);
            }
        }
    }

    private static boolean alive(final Daemon from, final Daemon to) {
        return from.statusNow().peerState(dev.vigil.crypto.NodeIds.toHex(to.nodeId())) == PeerState.ALIVE;
    }

    private static long received(final NodeStatus s, final MessageType type) {
        return s.frames().received().get(type.label).frames();
    }

}
