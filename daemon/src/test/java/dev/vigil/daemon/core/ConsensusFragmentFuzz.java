package dev.vigil.daemon.core;

import dev.vigil.crypto.ClusterCa;
import dev.vigil.crypto.PrivateKey;
import dev.vigil.daemon.core.ConsensusReassembly.Outcome;
import dev.vigil.wire.FrameHeader;
import dev.vigil.wire.FrameStatus;
import dev.vigil.wire.MessageType;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static dev.vigil.wire.FrameHeader.FRAME_LENGTH_MAX;
import static dev.vigil.wire.FrameHeader.FRAME_LENGTH_MIN;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The consensus part of {@link FrameGateFuzzTest}: hostile and honest {@code consensus} frames through
 * the gate and, for those it admits, through {@link ConsensusReassembly}, exactly as
 * {@code NodeCore.dispatch} hands them on. Each frame is built by one {@link Kind}, which names where
 * it must end: a gate reason, or a reassembly outcome. The senders never joined: their frames
 * introduce them. The test tracks each honest sender's message in progress, so it knows which
 * fragment completes a message and which bytes are already held.
 */
final class ConsensusFragmentFuzz {
    /** Small enough that a frame stays cheap to sign; the receiver's bound is set just above the largest honest message. */
    private static final int MESSAGE_BYTES_MAX = 8_000;
    private static final int SENDERS = 6;
    private static final int RECENT_MAX = 128;
    private static final Duration VALIDITY = Duration.ofDays(30);

    /** How a frame is built, its weight, and where it must end. */
    enum Kind {
        /** The next fragment of a sender's message in progress (a new message when none is). */
        HONEST(12, null, null),
        /** An honest fragment with one signature bit flipped; the genuine frame follows and must pass. */
        SIGNATURE_FLIPPED(1, FrameStatus.BAD_SIGNATURE, null),
        /** An honest fragment with one bit of its fragment bytes flipped: well-formed still, so only the signature tells. */
        FRAGMENT_BYTES_FLIPPED(1, FrameStatus.BAD_SIGNATURE, null),
        /** A recent consensus frame cut short; its length field still names the whole frame. */
        TRUNCATED(2, FrameStatus.TRUNCATED, null),
        /** A recent consensus frame padded past the largest frame. */
        OVERSIZED(1, FrameStatus.OVERSIZED, null),
        /** A recent consensus frame again. */
        REPLAYED(2, FrameStatus.REPLAYED, null),
        /** A recent consensus frame with a fragment byte changed: the window is checked before the signature. */
        REPLAY_BYTES_FLIPPED(1, FrameStatus.REPLAYED, null),
        /** Signed, but its fragment runs past the end of its own message. */
        OUTSIDE_ITS_MESSAGE(1, FrameStatus.MALFORMED_BODY, null),
        /** A genuine consensus frame without an introduction from a node the receiver never checked. */
        NOT_INTRODUCED_STRANGER(1, FrameStatus.UNKNOWN_SENDER, null),
        /** An introduced consensus frame from a node another CA certified. */
        FOREIGN_CA(1, FrameStatus.BAD_CERTIFICATE, null),
        /** Signed, for a message longer than the receiver's bound. */
        TOO_LARGE(1, null, Outcome.TOO_LARGE),
        /** Signed, for the message in progress but with another total length. */
        LENGTH_CHANGED(1, null, Outcome.LENGTH_CHANGED),
        /** Signed, starting where a held fragment starts but one byte shorter. */
        OVERLAP(1, null, Outcome.OVERLAP),
        /** Signed again under a new sequence: a held fragment, or one of the message just delivered. */
        DUPLICATE(1, null, Outcome.DUPLICATE);

        final int weight;
        final FrameStatus refusedByGate;
        final Outcome outcome;

        Kind(final int weight, final FrameStatus refusedByGate, final Outcome outcome) {
            this.weight = weight;
            this.refusedByGate = refusedByGate;
            this.outcome = outcome;
        }
    }

    /** One sender's message in progress, as the test knows it. */
    private static final class Sender {
        final Frames.Sender frames;
        long messageId = 1;
        byte[] message;
        final List<int[]> remaining = new ArrayList<>();
        final List<int[]> held = new ArrayList<>();
        byte[] delivered;
        long deliveredId;
        final List<int[]> deliveredFragments = new ArrayList<>();

        Sender(final Frames.Sender frames) {
            this.frames = frames;
        }

        boolean hasPartial() {
            return !held.isEmpty() && !remaining.isEmpty();
        }
    }

    private final FrameGate gate;
    private final FrameCounters counters;
    private final ConsensusReassembly reassembly;
    private final SplittableRandom random;
    private final long seed;
    private final long nowMicros;
    private final List<Sender> senders = new ArrayList<>();
    private final byte[][] recent = new byte[RECENT_MAX][];
    private int recentCount;
    private byte[][] strangerFrames;
    private byte[][] foreignFrames;
    private final Map<FrameStatus, Long> expectedByGate = new EnumMap<>(FrameStatus.class);
    private final Map<Outcome, Long> expectedOutcomes = new EnumMap<>(Outcome.class);
    private final Map<Kind, Long> built = new EnumMap<>(Kind.class);
    private final List<byte[]> deliveredMessages = new ArrayList<>();
    private long fed;

    ConsensusFragmentFuzz(final FrameGate gate, final FrameCounters counters, final SplittableRandom random, final long seed,
                          final long nowMicros) {
        this.gate = gate;
        this.counters = counters;
        this.random = random;
        this.seed = seed;
        this.nowMicros = nowMicros;
        this.reassembly = new ConsensusReassembly(new ReassemblyConfig(MESSAGE_BYTES_MAX, 2, 4L * MESSAGE_BYTES_MAX * SENDERS,
            30_000_000, SENDERS), counters.consensus(), new ConsensusReassembly.Events() {
                @Override
                public void delivered(final long senderId, final byte[] message) {
                    deliveredMessages.add(message);
                }

                @Override
                public void dropped(final long senderId, final long messageId, final ConsensusReassembly.Drop reason,
                                    final int heldBytes, final int messageBytes) {
                    throw new AssertionError("seed " + seed + ": no partial message is dropped here, yet " + messageId + " was: " + reason);
                }
            });
    }

    /** Feeds {@code frames} frames (and a few more: a forgery is followed by its genuine frame), then checks every counter. */
    void run(final ClusterCa ca, final int frames) {
        final Instant now = Instant.ofEpochSecond(nowMicros / 1_000_000L);
        for (int i = 0; i < SENDERS; i++) {
            senders.add(new Sender(sender(ca, now, "10.4.0." + i + ":7400")));
        }
        final Frames.Sender stranger = sender(ca, now, "10.4.1.1:7400");
        final Frames.Sender foreign = sender(new ClusterCa(key()), now, "10.4.1.2:7400");
        strangerFrames = new byte[16][];
        foreignFrames = new byte[16][];
        for (int i = 0; i < 16; i++) {
            final byte[] m = bytes(1 + random.nextInt(500));
            strangerFrames[i] = stranger.consensus(nowMicros, false, i + 1, m, 0, m.length);
            foreignFrames[i] = foreign.consensus(nowMicros, true, i + 1, m, 0, m.length);
        }
        final Kind[] kinds = Kind.values();
        int total = 0;
        for (final Kind k : kinds) {
            total += k.weight;
        }
        while (fed < frames) {
            int draw = random.nextInt(total);
            int i = 0;
            while (draw >= kinds[i].weight) {
                draw -= kinds[i].weight;
                i++;
            }
            step(kinds[i]);
        }
        check();
    }

    private void check() {
        for (final FrameStatus s : FrameStatus.values()) {
            if (!s.ok()) {
                assertThat(counters.rejected(s)).as("gate counter %s (seed %d)", s.label, seed).isEqualTo(expectedByGate.getOrDefault(s, 0L));
            }
        }
        for (final Outcome o : Outcome.values()) {
            assertThat(counters.consensus().fragments(o)).as("reassembly counter %s (seed %d)", o.label, seed)
                .isEqualTo(expectedOutcomes.getOrDefault(o, 0L));
        }
        assertThat(counters.receivedTotal() + counters.rejectedTotal()).as("every frame in exactly one gate counter").isEqualTo(fed);
        assertThat(counters.consensus().fragmentsTotal()).as("every admitted consensus frame in exactly one outcome")
            .isEqualTo(counters.received(MessageType.CONSENSUS)).isEqualTo(counters.receivedTotal());
        for (final Kind k : Kind.values()) {
            assertThat(built.getOrDefault(k, 0L)).as("frames built by %s (seed %d)", k, seed).isPositive();
        }
        assertThat(expectedOutcomes.getOrDefault(Outcome.DELIVERED, 0L)).isPositive().isEqualTo(deliveredMessages.size());
        assertThat(counters.consensus().snapshot().messagesDropped().values()).allMatch(v -> v == 0);
    }

    private void step(final Kind kind) {
        built.merge(kind, 1L, Long::sum);
        final Sender s = senders.get(random.nextInt(senders.size()));
        switch (kind) {
            case HONEST -> honest(s, null);
            case SIGNATURE_FLIPPED, FRAGMENT_BYTES_FLIPPED -> honest(s, kind);
            case TRUNCATED -> {
                final byte[] base = anyRecent(s);
                feed(kind, Arrays.copyOf(base, random.nextBoolean() ? random.nextInt(FRAME_LENGTH_MIN)
                    : random.nextInt(FRAME_LENGTH_MIN, base.length)));
            }
            case OVERSIZED -> {
                final byte[] base = anyRecent(s);
                final byte[] frame = Arrays.copyOf(base, random.nextInt(FRAME_LENGTH_MAX + 1, FRAME_LENGTH_MAX + 512));
                for (int i = base.length; i < frame.length; i++) {
                    frame[i] = (byte)random.nextInt(256);
                }
                feed(kind, frame);
            }
            case REPLAYED -> feed(kind, anyRecent(s));
            case REPLAY_BYTES_FLIPPED -> {
                final byte[] frame = anyRecent(s).clone();
                flipBit(frame, frame.length - FrameHeader.SIGNATURE_LENGTH - 1);
                feed(kind, frame);
            }
            case OUTSIDE_ITS_MESSAGE -> {
                final int length = 1 + random.nextInt(300);
                final long messageLength = 1 + random.nextInt(length + 100);
                final long offset = messageLength - length + 1 + random.nextInt(100); // so offset + length > messageLength
                feed(kind, s.frames.consensusRaw(nowMicros, true, 999_999, messageLength, Math.max(0, offset), bytes(length)));
            }
            case NOT_INTRODUCED_STRANGER -> feed(kind, strangerFrames[random.nextInt(strangerFrames.length)]);
            case FOREIGN_CA -> feed(kind, foreignFrames[random.nextInt(foreignFrames.length)]);
            case TOO_LARGE -> feed(kind, s.frames.consensusRaw(nowMicros, true, 1_000_000 + random.nextInt(1000),
                MESSAGE_BYTES_MAX + 1 + random.nextInt(1 << 20), 0, bytes(1 + random.nextInt(200))));
            case LENGTH_CHANGED -> {
                ensurePartial(s);
                int other;
                do {
                    other = 1 + random.nextInt(MESSAGE_BYTES_MAX);
                } while (other == s.message.length);
                feed(kind, s.frames.consensusRaw(nowMicros, true, s.messageId, other, 0, bytes(1)));
            }
            case OVERLAP -> {
                ensurePartial(s);
                final List<int[]> longer = s.held.stream().filter(h -> h[1] >= 2).toList();
                final int[] h = longer.get(random.nextInt(longer.size()));
                feed(kind, s.frames.consensus(nowMicros, true, s.messageId, s.message, h[0], h[1] - 1));
            }
            case DUPLICATE -> {
                if (s.delivered != null && (!s.hasPartial() || random.nextBoolean())) {
                    final int[] f = s.deliveredFragments.get(random.nextInt(s.deliveredFragments.size()));
                    feed(kind, s.frames.consensus(nowMicros, true, s.deliveredId, s.delivered, f[0], f[1]));
                } else {
                    ensurePartial(s);
                    final int[] h = s.held.get(random.nextInt(s.held.size()));
                    feed(kind, s.frames.consensus(nowMicros, true, s.messageId, s.message, h[0], h[1]));
                }
            }
        }
    }

    /** Sends the sender's next fragment (a forgery of it first when {@code forgery} says so). */
    private void honest(final Sender s, final Kind forgery) {
        if (s.remaining.isEmpty()) {
            begin(s);
        }
        final int[] f = s.remaining.remove(s.remaining.size() - 1);
        final byte[] genuine = s.frames.consensus(nowMicros, true, s.messageId, s.message, f[0], f[1]);
        if (forgery == Kind.SIGNATURE_FLIPPED) {
            final byte[] forged = genuine.clone();
            flipBit(forged, FrameHeader.signatureOffset(0, forged.length) + random.nextInt(FrameHeader.SIGNATURE_LENGTH));
            feed(forgery, forged);
        } else if (forgery == Kind.FRAGMENT_BYTES_FLIPPED) {
            final byte[] forged = genuine.clone();
            flipBit(forged, forged.length - FrameHeader.SIGNATURE_LENGTH - 1 - random.nextInt(f[1]));
            feed(forgery, forged);
        }
        final Outcome expected = s.remaining.isEmpty() ? Outcome.DELIVERED : Outcome.BUFFERED;
        feed(expected, genuine);
        s.held.add(f);
        if (expected == Outcome.DELIVERED) {
            assertThat(deliveredMessages.get(deliveredMessages.size() - 1)).as("seed %d: the message as sent", seed).isEqualTo(s.message);
            s.delivered = s.message;
            s.deliveredId = s.messageId;
            s.deliveredFragments.clear();
            s.deliveredFragments.addAll(s.held);
            s.held.clear();
        }
        remember(genuine);
    }

    /** A new message, 1 byte to the bound, cut into fragments of 50 to 1,500 bytes, to be sent in random order. */
    private void begin(final Sender s) {
        s.messageId++;
        s.message = bytes(1 + random.nextInt(MESSAGE_BYTES_MAX));
        s.held.clear();
        final int size = 50 + random.nextInt(1_450);
        for (int at = 0; at < s.message.length; at += size) {
            s.remaining.add(new int[] {at, Math.min(size, s.message.length - at)});
        }
        Collections.shuffle(s.remaining, new java.util.Random(random.nextLong()));
    }

    /** Makes sure the sender has a partial message with a held fragment of at least two bytes (sending honest fragments if needed). */
    private void ensurePartial(final Sender s) {
        while (!s.hasPartial() || s.held.stream().noneMatch(h -> h[1] >= 2)) {
            built.merge(Kind.HONEST, 1L, Long::sum);
            honest(s, null);
        }
    }

    private void feed(final Kind kind, final byte[] frame) {
        feed(kind.refusedByGate, kind.outcome, kind.name(), frame);
    }

    private void feed(final Outcome outcome, final byte[] frame) {
        feed(null, outcome, outcome.label, frame);
    }

    /** Exactly one of {@code refusedByGate} and {@code outcome} is set: where the frame must end. */
    private void feed(final FrameStatus refusedByGate, final Outcome outcome, final String what, final byte[] frame) {
        final FrameStatus status;
        Outcome got = null;
        try {
            status = gate.admit(frame, 0, frame.length, nowMicros);
            if (status.ok()) {
                got = reassembly.onFragment(gate.sender.certificate.nodeId(), gate.view(), gate.bodyOffset, gate.bodyLength, nowMicros);
            }
        } catch (final RuntimeException e) {
            throw new AssertionError("consensus frame #" + fed + " (" + what + ", seed " + seed + ") threw", e);
        }
        final String where = "consensus frame #" + fed + " (" + what + ", seed " + seed + ")";
        if (refusedByGate != null) {
            assertThat(status).as(where).isEqualTo(refusedByGate);
            expectedByGate.merge(refusedByGate, 1L, Long::sum);
        } else {
            assertThat(status).as(where).isEqualTo(FrameStatus.OK);
            assertThat(got).as(where).isEqualTo(outcome);
            expectedOutcomes.merge(outcome, 1L, Long::sum);
        }
        fed++;
    }

    private byte[] anyRecent(final Sender s) {
        if (recentCount == 0) {
            built.merge(Kind.HONEST, 1L, Long::sum);
            honest(s, null);
        }
        return recent[random.nextInt(Math.min(recentCount, RECENT_MAX))];
    }

    private void remember(final byte[] frame) {
        recent[recentCount++ % RECENT_MAX] = frame;
    }

    private void flipBit(final byte[] frame, final int byteIndex) {
        frame[byteIndex] ^= (byte)(1 << random.nextInt(8));
    }

    private byte[] bytes(final int length) {
        final byte[] b = new byte[length];
        random.nextBytes(b);
        return b;
    }

    private Frames.Sender sender(final ClusterCa issuer, final Instant now, final String address) {
        final PrivateKey k = key();
        return new Frames.Sender(k, issuer.issue(k.publicKey(), now.minus(Duration.ofDays(1)), VALIDITY), address, 5000);
    }

    private PrivateKey key() {
        final byte[] secret = new byte[PrivateKey.LENGTH];
        random.nextBytes(secret);
        return PrivateKey.of(secret);
    }
}
