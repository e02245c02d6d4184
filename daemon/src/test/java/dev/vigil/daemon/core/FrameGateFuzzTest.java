package dev.vigil.daemon.core;

import dev.vigil.crypto.ClusterCa;
import dev.vigil.crypto.PrivateKey;
import dev.vigil.wire.FrameHeader;
import dev.vigil.wire.FrameStatus;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * A million hostile frames through the receiving side (structure, certificate, replay window,
 * signature): valid frames from certified senders, and those frames bit-flipped, truncated,
 * extended, with lying lengths, replayed, plus random garbage, forged senders and foreign
 * certificates. Nothing escapes as an exception, exactly the fresh valid frames are accepted,
 * and every frame lands in exactly one counter.
 */
class FrameGateFuzzTest {
    private static final int FRAMES = 1_000_000;
    private static final long NOW_MICROS = Instant.parse("2026-06-01T00:00:00Z").getEpochSecond() * 1_000_000L;

    @Test
    void millionMutatedFramesAreRejectedExactlyAndCountersAddUp() {
        final SplittableRandom random = new SplittableRandom(20261121);
        final ClusterCa ca = new ClusterCa(key(random));
        final ClusterCa foreign = new ClusterCa(key(random));
        final Instant notBefore = Instant.ofEpochSecond(NOW_MICROS / 1_000_000).minus(Duration.ofDays(1));
        final PrivateKey receiver = key(random);
        final FrameCounters counters = new FrameCounters();
        final FrameGate gate = new FrameGate(ca.publicKey(), receiver.nodeId(), 0, 30_000_000,
            new TrustStore(1024, id -> false), counters);

        final List<Frames.Sender> senders = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            final PrivateKey k = key(random);
            senders.add(new Frames.Sender(k, ca.issue(k.publicKey(), notBefore, Duration.ofDays(30)), "10.1.0." + i + ":7400", 1000));
        }
        final PrivateKey outsiderKey = key(random);
        final Frames.Sender outsider = new Frames.Sender(outsiderKey,
            foreign.issue(outsiderKey.publicKey(), notBefore, Duration.ofDays(30)), "10.9.9.9:7400", 1);
        final PrivateKey strangerKey = key(random);
        final Frames.Sender stranger = new Frames.Sender(strangerKey,
            ca.issue(strangerKey.publicKey(), notBefore, Duration.ofDays(30)), "10.8.8.8:7400", 1);

        final byte[][] recent = new byte[256][];
        int recentCount = 0;
        long fed = 0;
        long accepted = 0;
        final Map<FrameStatus, Long> seen = new EnumMap<>(FrameStatus.class);

        for (final Frames.Sender s : senders) {
            final byte[] join = s.join(NOW_MICROS);
            fed++;
            assertThat(gate.admit(join, 0, join.length, NOW_MICROS)).isEqualTo(FrameStatus.OK);
            accepted++;
            recent[recentCount++ % recent.length] = join;
        }

        while (fed < FRAMES) {
            final int op = random.nextInt(100);
            final byte[] frame;
            final boolean expectOk;
            FrameStatus expected = null;
            if (op < 6 || recentCount == 0) {
                final Frames.Sender s = senders.get(random.nextInt(senders.size()));
                frame = switch (random.nextInt(4)) {
                    case 0 -> s.ping(NOW_MICROS, random.nextLong());
                    case 1 -> s.ack(NOW_MICROS, random.nextLong());
                    case 2 -> s.joinAccept(NOW_MICROS, random.nextInt(13));
                    default -> s.join(NOW_MICROS);
                };
                expectOk = true;
            } else {
                final byte[] base = recent[random.nextInt(Math.min(recentCount, recent.length))];
                expectOk = false;
                if (op < 36) {
                    frame = base.clone();
                    final int flips = 1 + random.nextInt(4);
                    for (int i = 0; i < flips; i++) {
                        final int bit = random.nextInt(frame.length * 8);
                        frame[bit >>> 3] ^= (byte)(1 << (bit & 7));
                    }
                } else if (op < 51) {
                    frame = java.util.Arrays.copyOf(base, random.nextInt(base.length));
                } else if (op < 61) {
                    frame = java.util.Arrays.copyOf(base, base.length + 1 + random.nextInt(64));
                    for (int i = base.length; i < frame.length; i++) {
                        frame[i] = (byte)random.nextInt(256);
                    }
                } else if (op < 71) {
                    frame = base.clone();
                    int lie;
                    do {
                        lie = random.nextBoolean() ? random.nextInt() : base.length + random.nextInt(-80, 80);
                    } while (lie == base.length);
                    ByteBuffer.wrap(frame).order(ByteOrder.LITTLE_ENDIAN).putInt(FrameHeader.LENGTH_OFFSET, lie);
                } else if (op < 85) {
                    frame = base;
                    expected = FrameStatus.REPLAYED;
                } else if (op < 95) {
                    frame = new byte[random.nextInt(2048)];
                    for (int i = 0; i < frame.length; i++) {
                        frame[i] = (byte)random.nextInt(256);
                    }
                    if (frame.length >= 8 && random.nextBoolean()) {
                        // plausible start: right magic and version, so the deeper checks get exercised
                        ByteBuffer.wrap(frame).order(ByteOrder.LITTLE_ENDIAN).putInt(0, FrameHeader.MAGIC).put(4, (byte)1);
                    }
                } else if (op < 98) {
                    frame = stranger.ping(NOW_MICROS, random.nextLong());
                    expected = FrameStatus.UNKNOWN_SENDER;
                } else {
                    frame = outsider.join(NOW_MICROS);
                    expected = FrameStatus.BAD_CERTIFICATE;
                }
            }
            final FrameStatus status;
            try {
                status = gate.admit(frame, 0, frame.length, NOW_MICROS);
            } catch (final RuntimeException e) {
                throw new AssertionError("gate threw on frame #" + fed + " (op " + op + ")", e);
            }
            fed++;
            seen.merge(status, 1L, Long::sum);
            if (status.ok() != expectOk) {
                fail("frame #" + fed + " (op " + op + "): expected " + (expectOk ? "OK" : "a rejection") + ", got " + status);
            }
            if (expected != null) {
                assertThat(status).as("frame #%d (op %d)", fed, op).isEqualTo(expected);
            }
            if (status.ok()) {
                accepted++;
                recent[recentCount++ % recent.length] = frame;
            }
        }

        assertThat(fed).isGreaterThanOrEqualTo(FRAMES);
        assertThat(counters.receivedTotal()).isEqualTo(accepted);
        assertThat(counters.rejectedTotal()).isEqualTo(fed - accepted);
        assertThat(counters.receivedTotal() + counters.rejectedTotal()).isEqualTo(fed);
        for (final FrameStatus s : FrameStatus.values()) {
            if (!s.ok()) {
                assertThat(counters.rejected(s)).as("counter %s", s).isEqualTo(seen.getOrDefault(s, 0L));
            }
        }
        // the mutations reach every layer of the gate, not just the first check
        assertThat(seen.keySet()).contains(FrameStatus.OK, FrameStatus.TRUNCATED, FrameStatus.BAD_MAGIC,
            FrameStatus.BAD_LENGTH, FrameStatus.MALFORMED_BODY, FrameStatus.UNKNOWN_SENDER, FrameStatus.BAD_CERTIFICATE,
            FrameStatus.BAD_SIGNATURE, FrameStatus.REPLAYED, FrameStatus.SCHEMA_MISMATCH, FrameStatus.CLOCK_SKEW);
    }

    private static PrivateKey key(final SplittableRandom random) {
        final byte[] secret = new byte[PrivateKey.LENGTH];
        random.nextBytes(secret);
        return PrivateKey.of(secret);
    }
}
