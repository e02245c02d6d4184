package dev.vigil.daemon.core;

import dev.vigil.crypto.Certificate;
import dev.vigil.crypto.ClusterCa;
import dev.vigil.crypto.PrivateKey;
import dev.vigil.wire.FrameHeader;
import dev.vigil.wire.MessageType;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Predicate;

/**
 * Node cores on one thread with a virtual clock and an in-memory network that delivers every
 * frame after {@link #latencyMicros}, unless an end is {@link #isolated} or the frame is held.
 * Simulated signatures keep it fast; everything is seeded, so a test can assert exact times.
 */
final class CoreNet {
    /** 2026-06-01T00:00:00Z; certificates are valid from a day before for thirty days. */
    static final long T0_MICROS = 1_780_272_000_000_000L;

    /** One frame a node handed to its transport. */
    record Sent(long atMicros, String from, String to, MessageType type, boolean delivered, byte[] frame) {
    }

    private record Event(long atMicros, long seq, Runnable action, boolean[] cancelled) {
    }

    private final ClusterCa ca;
    private final SplittableRandom random;
    private final PriorityQueue<Event> events =
        new PriorityQueue<>(Comparator.comparingLong(Event::atMicros).thenComparingLong(Event::seq));
    private final Map<String, NodeCore> byAddress = new LinkedHashMap<>();
    private long seq;
    private long nowMicros = T0_MICROS;

    final Set<String> isolated = new HashSet<>();
    final List<Sent> sent = new ArrayList<>();
    final List<String> log = new ArrayList<>();
    /** Frames matching this are kept in {@link #held} instead of being delivered. */
    Predicate<Sent> hold = s -> false;
    final List<byte[]> held = new ArrayList<>();
    final List<String> heldTo = new ArrayList<>();
    long latencyMicros;
    /** Nodes added from now on log debug lines too. */
    boolean debug;

    CoreNet(final long seed) {
        random = new SplittableRandom(seed);
        ca = new ClusterCa(key());
    }

    long now() {
        return nowMicros;
    }

    ClusterCa ca() {
        return ca;
    }

    PrivateKey key() {
        final byte[] secret = new byte[PrivateKey.LENGTH];
        random.nextBytes(secret);
        return PrivateKey.simulatedInsecure(secret);
    }

    Certificate certify(final PrivateKey key) {
        return ca.issue(key.publicKey(), Instant.ofEpochSecond(T0_MICROS / 1_000_000).minus(Duration.ofDays(1)), Duration.ofDays(30));
    }

    /** A node (not started) with this config, logging into {@link #log} as "address level: message". */
    NodeCore add(final CoreConfig config) {
        return add(config, ca);
    }

    /** A node whose certificate another CA issued. */
    NodeCore add(final CoreConfig config, final ClusterCa issuer) {
        final PrivateKey key = key();
        final String self = config.advertiseAddress();
        final boolean debugEnabled = debug;
        final NodeLog nodeLog = new NodeLog() {
            @Override
            public boolean debugEnabled() {
                return debugEnabled;
            }

            @Override
            public void debug(final String message) {
                log.add(self + " debug: " + message);
            }

            @Override
            public void info(final String message) {
                log.add(self + " info: " + message);
            }

            @Override
            public void warn(final String message) {
                log.add(self + " warn: " + message);
            }
        };
        final NodeEnv env = new NodeEnv(() -> nowMicros, this::schedule,
            (to, frame, offset, length) -> send(self, to, frame, offset, length), new SplittableRandom(random.nextLong()), nodeLog);
        final Certificate certificate = issuer.issue(key.publicKey(),
            Instant.ofEpochSecond(T0_MICROS / 1_000_000).minus(Duration.ofDays(1)), Duration.ofDays(30));
        final NodeCore core = new NodeCore(config, key, certificate, ca.publicKey(), env);
        byAddress.put(self, core);
        return core;
    }

    private Scheduler.Timer schedule(final long delayMicros, final Runnable action) {
        final boolean[] cancelled = {false};
        events.add(new Event(nowMicros + delayMicros, seq++, action, cancelled));
        return () -> cancelled[0] = true;
    }

    private void send(final String from, final String to, final byte[] frame, final int offset, final int length) {
        final byte[] copy = java.util.Arrays.copyOfRange(frame, offset, offset + length);
        final MessageType type = MessageType.of(copy[FrameHeader.TYPE_OFFSET] & 0xFF);
        final NodeCore target = byAddress.get(to);
        final boolean delivered = target != null && !isolated.contains(from) && !isolated.contains(to);
        final Sent s = new Sent(nowMicros, from, to, type, delivered, copy);
        sent.add(s);
        if (!delivered) {
            return;
        }
        if (hold.test(s)) {
            held.add(copy);
            heldTo.add(to);
            return;
        }
        schedule(latencyMicros, () -> target.onFrame(copy, 0, copy.length));
    }

    /** Delivers a frame straight to the node at {@code to}, now. */
    void deliver(final String to, final byte[] frame) {
        byAddress.get(to).onFrame(frame, 0, frame.length);
    }

    /** Runs every event due up to and including {@code tMicros}, then sets the clock there. */
    void runUntil(final long tMicros) {
        while (!events.isEmpty() && events.peek().atMicros() <= tMicros) {
            final Event e = events.poll();
            nowMicros = e.atMicros();
            if (!e.cancelled()[0]) {
                e.action().run();
            }
        }
        nowMicros = tMicros;
    }

    void runFor(final long micros) {
        runUntil(nowMicros + micros);
    }

    /** Frames of {@code type} sent from {@code from} to {@code to}, in order. */
    List<Sent> sent(final String from, final String to, final MessageType type) {
        return sent.stream().filter(s -> s.from().equals(from) && s.to().equals(to) && s.type() == type).toList();
    }
}
