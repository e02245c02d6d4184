package dev.vigil.daemon.core;

import dev.vigil.crypto.Certificate;
import dev.vigil.crypto.CertificateStatus;
import dev.vigil.crypto.ClusterCa;
import dev.vigil.crypto.PrivateKey;
import dev.vigil.wire.FrameHeader;
import dev.vigil.wire.FrameStatus;
import dev.vigil.wire.JoinAcceptBody;
import dev.vigil.wire.JoinBody;
import dev.vigil.wire.MessageType;
import dev.vigil.wire.ProbeBody;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

import static dev.vigil.wire.FrameHeader.FRAME_LENGTH_MAX;
import static dev.vigil.wire.FrameHeader.FRAME_LENGTH_MIN;
import static dev.vigil.wire.FrameHeader.HEADER_LENGTH;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A million hostile frames through the receiving side. Each frame is built by one {@link Mutation},
 * and each mutation names the one reason the gate must give: it follows from how the frame was
 * built and from the order of the checks ({@code FrameDecoder}: transport length, minimum length,
 * magic, version, declared length, type, flags, body; then {@code FrameGate}: schema, clock skew,
 * sender, certificate, replay window, signature). Every frame must get exactly its reason, the
 * counters must equal the tally of what the test built, and every refusal reason must occur.
 * Senders whose certificate has expired or is not valid yet, known to the gate or joining, must
 * be refused as {@code CERTIFICATE_EXPIRED}: the gate files both under that one reason and tells
 * them apart in {@code certificateProblem}, which the test checks too.
 */
class FrameGateFuzzTest {
    private static final long SEED = 20261121;
    private static final int FRAMES = 1_000_000;
    /** Consensus frames are signed and verified for real, mostly: fewer of them keep the run to seconds. */
    private static final int CONSENSUS_FRAMES = 20_000;
    private static final long NOW_MICROS = Instant.parse("2026-06-01T00:00:00Z").getEpochSecond() * 1_000_000L;
    private static final Instant NOW = Instant.ofEpochSecond(NOW_MICROS / 1_000_000L);
    private static final long CLOCK_SKEW_MICROS_MAX = 30_000_000;
    private static final long CLOCK_SKEW_MS_MAX = CLOCK_SKEW_MICROS_MAX / 1000;
    private static final long DAY_MICROS = Duration.ofDays(1).toMillis() * 1000;
    private static final Duration VALIDITY = Duration.ofDays(30);
    private static final int HLC_LOGICAL_BITS = 16;
    private static final int RECENT_MAX = 256;
    /** Frames prepared once for senders whose refusal comes before the replay window, so reuse is exact. */
    private static final int POOL_LENGTH = 16;

    /**
     * How a frame is built, with its weight in the mix and the one reason it must be refused for.
     * Weights keep the run to a few seconds: signing, verifying and parsing a certificate's key
     * (a point decompression) cost tens of microseconds, the structural checks well under one.
     * "Recent" frames were accepted earlier, so their sequence is already in the replay window;
     * "fresh" frames were just signed by a certified sender and never fed before.
     */
    private enum Mutation {
        // ---- genuine, and forgeries of genuine frames (each forgery is followed by its genuine frame, which must pass) ----
        /** A fresh frame of any membership type from a certified sender. */
        FRESH(4, FrameStatus.OK),
        /** Fresh frame, one bit of the signature flipped. */
        SIGNATURE_FLIPPED(1, FrameStatus.BAD_SIGNATURE),
        /** Fresh ping or ack, one bit of the body flipped: any 40 bytes are a well-formed probe body. */
        PROBE_BODY_FLIPPED(1, FrameStatus.BAD_SIGNATURE),
        /** Fresh frame, one bit of the clock's logical counter flipped: the physical time, hence the skew, is unchanged. */
        CLOCK_COUNTER_FLIPPED(1, FrameStatus.BAD_SIGNATURE),
        /** Fresh frame, a clear bit of the sequence set: still fresh for the window, but not what was signed. */
        SEQUENCE_RAISED(1, FrameStatus.BAD_SIGNATURE),
        /** Fresh ping relabelled ack or the reverse: same body layout, so only the signature can tell. */
        PROBE_TYPE_SWAPPED(1, FrameStatus.BAD_SIGNATURE),

        // ---- structure, decided by FrameDecoder from the bytes alone ----
        /** A recent frame cut below header + signature (inside the header, often). */
        CUT_BELOW_MINIMUM(40, FrameStatus.TRUNCATED),
        /** A recent frame cut past the minimum; its length field still names the whole frame. */
        CUT_PAST_MINIMUM(40, FrameStatus.TRUNCATED),
        /** Length field raised above the bytes present, but not above the maximum frame. */
        LENGTH_CLAIMS_MORE(30, FrameStatus.TRUNCATED),
        /** Random bytes, fewer than header + signature. */
        GARBAGE_SHORT(20, FrameStatus.TRUNCATED),
        /** A recent frame padded past the maximum frame, its length field left alone or made to agree. */
        OVERSIZED(10, FrameStatus.OVERSIZED),
        /** A recent frame whose magic has one or more bits changed. */
        MAGIC_CHANGED(40, FrameStatus.BAD_MAGIC),
        /** Random bytes at least as long as the minimum frame, the magic made wrong when chance made it right. */
        GARBAGE(40, FrameStatus.BAD_MAGIC),
        /** Version byte set to anything but 1. */
        VERSION_CHANGED(40, FrameStatus.UNKNOWN_VERSION),
        /** Length field lowered below the bytes present (negative values included). */
        LENGTH_CLAIMS_LESS(30, FrameStatus.BAD_LENGTH),
        /** Length field raised above the maximum frame: a lie about the length, not an oversized frame. */
        LENGTH_BEYOND_MAX(20, FrameStatus.BAD_LENGTH),
        /** Random bytes appended, length field left alone. */
        EXTENDED(30, FrameStatus.BAD_LENGTH),
        /** Type byte set to a code wire v1 does not define. */
        TYPE_UNKNOWN(40, FrameStatus.UNKNOWN_TYPE),
        /** Any non-zero flags on a membership type, which never carries an introduction. */
        FLAGS_SET(30, FrameStatus.MALFORMED_BODY),
        /** Bytes added to or removed from the end of the body, length field made to agree. */
        BODY_RESIZED(40, FrameStatus.MALFORMED_BODY),
        /** A reserved byte of a join or join-accept body set. */
        RESERVED_BYTE_SET(20, FrameStatus.MALFORMED_BODY),

        // ---- decided by the gate ----
        /** One or more bits of the schema hash changed. */
        SCHEMA_CHANGED(40, FrameStatus.SCHEMA_MISMATCH),
        /** Clock stamp moved past the skew bound, either way. */
        CLOCK_BEYOND_SKEW(40, FrameStatus.CLOCK_SKEW),
        /** Sender id set to the receiver's own. */
        SENDER_IS_RECEIVER(20, FrameStatus.UNKNOWN_SENDER),
        /** A probe's sender id set to one the receiver has never checked. */
        PROBE_SENDER_UNKNOWN(30, FrameStatus.UNKNOWN_SENDER),
        /** A genuine probe from a node the cluster CA certified but that never introduced itself. */
        STRANGER(20, FrameStatus.UNKNOWN_SENDER),
        /** A join or join-accept whose sender id no longer matches the certificate it carries. */
        CERTIFICATE_SENDER_MISMATCH(4, FrameStatus.BAD_CERTIFICATE, CertificateStatus.MALFORMED),
        /** One bit flipped inside the certificate a join or join-accept carries. */
        CERTIFICATE_FLIPPED(2, FrameStatus.BAD_CERTIFICATE),
        /** A genuine join from a node certified by another CA. */
        FOREIGN_CA(4, FrameStatus.BAD_CERTIFICATE, CertificateStatus.WRONG_CA),
        /** A frame from a node admitted while its certificate was valid, which has expired since. */
        EXPIRED_KNOWN(15, FrameStatus.CERTIFICATE_EXPIRED, CertificateStatus.EXPIRED),
        /** A join from a never-seen node whose certificate has expired. */
        EXPIRED_JOINING(1, FrameStatus.CERTIFICATE_EXPIRED, CertificateStatus.EXPIRED),
        /** A frame from a node admitted at a later clock reading, whose certificate is not valid yet at NOW. */
        NOT_YET_VALID_KNOWN(15, FrameStatus.CERTIFICATE_EXPIRED, CertificateStatus.NOT_YET_VALID),
        /** A join from a never-seen node whose certificate is not valid yet. */
        NOT_YET_VALID_JOINING(1, FrameStatus.CERTIFICATE_EXPIRED, CertificateStatus.NOT_YET_VALID),
        /** A recent frame again, unchanged. */
        REPLAYED(140, FrameStatus.REPLAYED),
        /** A recent frame with a signature bit flipped: the window is checked before the signature. */
        REPLAY_SIGNATURE_FLIPPED(40, FrameStatus.REPLAYED),
        /** A recent probe with a body bit flipped. */
        REPLAY_PROBE_BODY_FLIPPED(40, FrameStatus.REPLAYED),
        /** A recent frame with its clock stamp moved, but not past the skew bound (the bound itself included). */
        REPLAY_CLOCK_WITHIN_SKEW(30, FrameStatus.REPLAYED);

        final int weight;
        final FrameStatus expected;
        /** What the gate must report as the certificate's problem; {@code null} where the test does not pin it. */
        final CertificateStatus certificateProblem;

        Mutation(final int weight, final FrameStatus expected) {
            this(weight, expected, null);
        }

        Mutation(final int weight, final FrameStatus expected, final CertificateStatus certificateProblem) {
            this.weight = weight;
            this.expected = expected;
            this.certificateProblem = certificateProblem;
        }
    }

    private final SplittableRandom random = new SplittableRandom(SEED);
    private final FrameCounters counters = new FrameCounters();
    private final PrivateKey receiver = key();
    private final FrameGate gate;
    private final ClusterCa ca = new ClusterCa(key());
    private final List<Frames.Sender> certified = new ArrayList<>();
    /** Node ids the gate holds a checked certificate for, and its own id. */
    private final Set<Long> knownIds = new HashSet<>();
    private final Recent recentProbes = new Recent();
    private final Recent recentWithCertificate = new Recent();
    private final Map<Mutation, byte[][]> pools = new EnumMap<>(Mutation.class);
    /** Built from what the test constructed, never from what the gate answered. */
    private final Map<FrameStatus, Long> expectedTally = new EnumMap<>(FrameStatus.class);
    private final Map<Mutation, Long> built = new EnumMap<>(Mutation.class);
    private long fed;

    FrameGateFuzzTest() {
        gate = new FrameGate(ca.publicKey(), receiver.nodeId(), 0, CLOCK_SKEW_MICROS_MAX,
            new TrustStore(1024, id -> false), counters);
        knownIds.add(receiver.nodeId());
    }

    /**
     * Consensus frames, honest and hostile (forged signatures, truncated, oversized, replayed, outside
     * their message, too large, inconsistent with their message, duplicated, from strangers and other
     * CAs), through the gate and on into reassembly as the core hands them on: each ends where its
     * construction says, in exactly one counter. See {@link ConsensusFragmentFuzz}.
     */
    @Test
    void everyConsensusFrameEndsInOneCounterAndHostileOnesAreRefusedByReason() {
        new ConsensusFragmentFuzz(gate, counters, random, SEED, NOW_MICROS).run(ca, CONSENSUS_FRAMES);
    }

    @Test
    void everyMutatedFrameIsRefusedForItsOwnReasonAndCountedThere() {
        setUpSenders();
        final Mutation[] mutations = Mutation.values();
        final int[] cumulativeWeight = new int[mutations.length];
        int total = 0;
        for (int i = 0; i < mutations.length; i++) {
            total += mutations[i].weight;
            cumulativeWeight[i] = total;
        }
        while (fed < FRAMES) {
            final int draw = random.nextInt(total);
            int i = 0;
            while (cumulativeWeight[i] <= draw) {
                i++;
            }
            step(mutations[i]);
        }

        assertThat(counters.receivedTotal()).as("accepted").isEqualTo(expectedTally.getOrDefault(FrameStatus.OK, 0L));
        assertThat(counters.receivedTotal() + counters.rejectedTotal()).as("every frame in exactly one counter").isEqualTo(fed);
        for (final FrameStatus s : FrameStatus.values()) {
            final long expected = expectedTally.getOrDefault(s, 0L);
            assertThat(expected).as("frames built to end in %s (seed %d)", s, SEED).isPositive();
            if (!s.ok()) {
                assertThat(counters.rejected(s)).as("counter %s", s.label).isEqualTo(expected);
            }
        }
        for (final Mutation m : mutations) {
            assertThat(built.getOrDefault(m, 0L)).as("frames built by %s (seed %d)", m, SEED).isPositive();
        }
    }

    /**
     * Eight certified senders, each admitted with a join and a ping at NOW; an outsider, a stranger,
     * and four senders whose certificate is not valid at NOW, two of them admitted at a time it was.
     */
    private void setUpSenders() {
        final Instant notBefore = NOW.minus(Duration.ofDays(1));
        for (int i = 0; i < 8; i++) {
            final Frames.Sender s = sender(ca, notBefore, "10.1.0." + i + ":7400");
            certified.add(s);
            accept("join of certified sender " + i, s.join(NOW_MICROS));
            accept("ping of certified sender " + i, s.ping(NOW_MICROS, random.nextLong()));
            knownIds.add(s.key.nodeId());
        }

        // valid from NOW - 40 days to NOW - 10 days; admitted 20 days ago
        final Instant expiredFrom = NOW.minus(Duration.ofDays(40));
        final long pastMicros = NOW_MICROS - 20 * DAY_MICROS;
        final Frames.Sender expiredKnown = sender(ca, expiredFrom, "10.2.0.1:7400");
        admitAt(expiredKnown, pastMicros);
        pool(Mutation.EXPIRED_KNOWN, expiredKnown, true);
        pool(Mutation.EXPIRED_JOINING, sender(ca, expiredFrom, "10.2.0.2:7400"), false);

        // valid from NOW + 1 day; admitted by a receiver whose clock read NOW + 2 days
        final Instant earlyFrom = NOW.plus(Duration.ofDays(1));
        final long futureMicros = NOW_MICROS + 2 * DAY_MICROS;
        final Frames.Sender earlyKnown = sender(ca, earlyFrom, "10.3.0.1:7400");
        admitAt(earlyKnown, futureMicros);
        pool(Mutation.NOT_YET_VALID_KNOWN, earlyKnown, true);
        pool(Mutation.NOT_YET_VALID_JOINING, sender(ca, earlyFrom, "10.3.0.2:7400"), false);

        pool(Mutation.FOREIGN_CA, sender(new ClusterCa(key()), notBefore, "10.9.9.9:7400"), false);
        final Frames.Sender stranger = sender(ca, notBefore, "10.8.8.8:7400");
        final byte[][] strangerFrames = new byte[POOL_LENGTH][];
        for (int i = 0; i < POOL_LENGTH; i++) {
            strangerFrames[i] = i % 2 == 0 ? stranger.ping(NOW_MICROS, random.nextLong()) : stranger.ack(NOW_MICROS, random.nextLong());
        }
        pools.put(Mutation.STRANGER, strangerFrames);
    }

    private void admitAt(final Frames.Sender s, final long nowMicros) {
        final byte[] join = s.join(nowMicros);
        feed("join at " + Instant.ofEpochSecond(nowMicros / 1_000_000L) + " of " + s.address, join, FrameStatus.OK, nowMicros);
        knownIds.add(s.key.nodeId());
    }

    /** Frames of every membership type, or joins and join-accepts only for a sender the gate has not seen. */
    private void pool(final Mutation m, final Frames.Sender s, final boolean anyType) {
        final byte[][] frames = new byte[POOL_LENGTH][];
        for (int i = 0; i < POOL_LENGTH; i++) {
            frames[i] = build(s, anyType ? i % 4 : 2 + i % 2);
        }
        pools.put(m, frames);
    }

    private void step(final Mutation m) {
        built.merge(m, 1L, Long::sum);
        switch (m) {
            case FRESH -> accept(m.name(), build(certified(), random.nextInt(4)));
            case SIGNATURE_FLIPPED, CLOCK_COUNTER_FLIPPED, SEQUENCE_RAISED -> forge(m, build(certified(), random.nextInt(4)));
            case PROBE_BODY_FLIPPED, PROBE_TYPE_SWAPPED -> forge(m, build(certified(), random.nextInt(2)));
            default -> {
                feed(m.name(), mutated(m), m.expected, NOW_MICROS);
                if (m.certificateProblem != null && gate.certificateProblem != m.certificateProblem) {
                    throw new AssertionError("frame #" + (fed - 1) + " (" + m + ", seed " + SEED + "): certificate problem "
                        + gate.certificateProblem + ", expected " + m.certificateProblem);
                }
            }
        }
    }

    /**
     * Feeds a forgery of {@code genuine}, then {@code genuine} itself: the refused forgery must
     * leave no trace in the replay window, so the genuine frame with the same sequence passes.
     */
    private void forge(final Mutation m, final byte[] genuine) {
        final byte[] forged = genuine.clone();
        switch (m) {
            case SIGNATURE_FLIPPED -> flipBitIn(forged, FrameHeader.signatureOffset(0, forged.length), forged.length);
            case PROBE_BODY_FLIPPED -> flipBitIn(forged, HEADER_LENGTH, HEADER_LENGTH + ProbeBody.LENGTH);
            case CLOCK_COUNTER_FLIPPED -> flipBitAt(forged, FrameHeader.HLC_OFFSET * 8 + random.nextInt(HLC_LOGICAL_BITS));
            case SEQUENCE_RAISED -> {
                final long sequence = le(forged).getLong(FrameHeader.SEQUENCE_OFFSET);
                int bit;
                do {
                    bit = random.nextInt(63);
                } while ((sequence & (1L << bit)) != 0);
                le(forged).putLong(FrameHeader.SEQUENCE_OFFSET, sequence | (1L << bit));
            }
            case PROBE_TYPE_SWAPPED -> forged[FrameHeader.TYPE_OFFSET] = (byte)(forged[FrameHeader.TYPE_OFFSET] == MessageType.PING.code
                ? MessageType.ACK.code : MessageType.PING.code);
            default -> throw new IllegalArgumentException(m + " is not a forgery");
        }
        feed(m.name(), forged, m.expected, NOW_MICROS);
        accept("genuine frame after " + m, genuine);
    }

    private byte[] mutated(final Mutation m) {
        return switch (m) {
            case CUT_BELOW_MINIMUM -> Arrays.copyOf(anyRecent(), random.nextInt(FRAME_LENGTH_MIN));
            case CUT_PAST_MINIMUM -> {
                final byte[] base = anyRecent();
                yield Arrays.copyOf(base, random.nextInt(FRAME_LENGTH_MIN, base.length));
            }
            case LENGTH_CLAIMS_MORE -> {
                final byte[] base = anyRecent();
                yield withLength(base, random.nextInt(base.length + 1, FRAME_LENGTH_MAX + 1));
            }
            case GARBAGE_SHORT -> randomBytes(random.nextInt(FRAME_LENGTH_MIN));
            case OVERSIZED -> {
                final byte[] base = anyRecent();
                final byte[] frame = Arrays.copyOf(base, random.nextInt(FRAME_LENGTH_MAX + 1, FRAME_LENGTH_MAX + 1025));
                fillRandom(frame, base.length, frame.length);
                yield random.nextBoolean() ? withLength(frame, frame.length) : frame;
            }
            case MAGIC_CHANGED -> {
                final byte[] frame = anyRecent().clone();
                le(frame).putInt(FrameHeader.MAGIC_OFFSET, FrameHeader.MAGIC ^ nonZeroInt());
                yield frame;
            }
            case GARBAGE -> {
                final byte[] frame = randomBytes(random.nextInt(FRAME_LENGTH_MIN, 2049));
                if (le(frame).getInt(FrameHeader.MAGIC_OFFSET) == FrameHeader.MAGIC) {
                    frame[FrameHeader.MAGIC_OFFSET] ^= 1;
                }
                yield frame;
            }
            case VERSION_CHANGED -> {
                final byte[] frame = anyRecent().clone();
                final int version = random.nextInt(255);
                frame[FrameHeader.VERSION_OFFSET] = (byte)(version >= FrameHeader.VERSION ? version + 1 : version);
                yield frame;
            }
            case LENGTH_CLAIMS_LESS -> {
                final byte[] base = anyRecent();
                yield withLength(base, random.nextBoolean()
                    ? random.nextInt(Integer.MIN_VALUE, base.length)
                    : base.length - 1 - random.nextInt(FRAME_LENGTH_MIN));
            }
            case LENGTH_BEYOND_MAX -> withLength(anyRecent(),
                random.nextBoolean() ? FRAME_LENGTH_MAX + 1 : random.nextInt(FRAME_LENGTH_MAX + 1, Integer.MAX_VALUE));
            case EXTENDED -> {
                final byte[] base = anyRecent();
                final byte[] frame = Arrays.copyOf(base, base.length + 1 + random.nextInt(64));
                fillRandom(frame, base.length, frame.length);
                yield frame;
            }
            case TYPE_UNKNOWN -> {
                final byte[] frame = anyRecent().clone();
                int code;
                do {
                    code = random.nextInt(256);
                } while (MessageType.of(code) != null);
                frame[FrameHeader.TYPE_OFFSET] = (byte)code;
                yield frame;
            }
            case FLAGS_SET -> {
                final byte[] frame = anyRecent().clone();
                if (MessageType.of(frame[FrameHeader.TYPE_OFFSET]).introducible()) {
                    throw new IllegalStateException("recent frames are membership frames, which never carry an introduction");
                }
                le(frame).putShort(FrameHeader.FLAGS_OFFSET, (short)(1 + random.nextInt(0xFFFF)));
                yield frame;
            }
            case BODY_RESIZED -> resizedBody(anyRecent());
            case RESERVED_BYTE_SET -> {
                final byte[] frame = recentWithCertificate.pick(random).clone();
                final int reserved = frame[FrameHeader.TYPE_OFFSET] == MessageType.JOIN.code ? 3 : 5 + random.nextInt(3);
                frame[HEADER_LENGTH + reserved] = (byte)(1 + random.nextInt(255));
                yield frame;
            }
            case SCHEMA_CHANGED -> {
                final byte[] frame = anyRecent().clone();
                le(frame).putInt(FrameHeader.SCHEMA_HASH_OFFSET, nonZeroInt());
                yield frame;
            }
            case CLOCK_BEYOND_SKEW -> {
                final long offsetMs = CLOCK_SKEW_MS_MAX + 1 + (random.nextBoolean() ? 0 : random.nextLong(10 * DAY_MICROS / 1000));
                yield withClockMs(anyRecent(), random.nextBoolean() ? offsetMs : -offsetMs);
            }
            case SENDER_IS_RECEIVER -> withSender(anyRecent(), receiver.nodeId());
            case PROBE_SENDER_UNKNOWN -> {
                long id;
                do {
                    id = random.nextLong();
                } while (knownIds.contains(id));
                yield withSender(recentProbes.pick(random), id);
            }
            case CERTIFICATE_SENDER_MISMATCH -> {
                final byte[] base = recentWithCertificate.pick(random);
                final long own = le(base).getLong(FrameHeader.SENDER_OFFSET);
                long id;
                do {
                    // half the time another checked node, so the gate's known-sender branch meets a certificate not its own
                    id = random.nextBoolean() ? certified().key.nodeId() : random.nextLong();
                } while (id == own || id == receiver.nodeId());
                yield withSender(base, id);
            }
            case CERTIFICATE_FLIPPED -> {
                final byte[] frame = recentWithCertificate.pick(random).clone();
                final int certificateAt = HEADER_LENGTH + (frame[FrameHeader.TYPE_OFFSET] == MessageType.JOIN.code
                    ? JoinBody.CERTIFICATE_OFFSET : JoinAcceptBody.CERTIFICATE_OFFSET);
                flipBitIn(frame, certificateAt, certificateAt + Certificate.LENGTH);
                yield frame;
            }
            case STRANGER, FOREIGN_CA, EXPIRED_KNOWN, EXPIRED_JOINING, NOT_YET_VALID_KNOWN, NOT_YET_VALID_JOINING -> {
                final byte[][] pool = pools.get(m);
                yield pool[random.nextInt(pool.length)];
            }
            case REPLAYED -> anyRecent();
            case REPLAY_SIGNATURE_FLIPPED -> {
                final byte[] frame = anyRecent().clone();
                flipBitIn(frame, FrameHeader.signatureOffset(0, frame.length), frame.length);
                yield frame;
            }
            case REPLAY_PROBE_BODY_FLIPPED -> {
                final byte[] frame = recentProbes.pick(random).clone();
                flipBitIn(frame, HEADER_LENGTH, HEADER_LENGTH + ProbeBody.LENGTH);
                yield frame;
            }
            case REPLAY_CLOCK_WITHIN_SKEW -> {
                // a quarter of them exactly on the bound, which is still within it
                final long offsetMs = random.nextInt(4) == 0 ? CLOCK_SKEW_MS_MAX : random.nextLong(CLOCK_SKEW_MS_MAX + 1);
                yield withClockMs(anyRecent(), random.nextBoolean() ? offsetMs : -offsetMs);
            }
            case FRESH, SIGNATURE_FLIPPED, PROBE_BODY_FLIPPED, CLOCK_COUNTER_FLIPPED, SEQUENCE_RAISED, PROBE_TYPE_SWAPPED ->
                throw new IllegalArgumentException(m + " is built from a fresh frame");
        };
    }

    /**
     * Adds bytes to, or removes them from, the end of the body and makes the length field agree.
     * Probe bodies have one fixed length; join bodies end exactly after the address and
     * join-accept bodies exactly after the last sample, so any other length is malformed.
     * Removing at most the whole body keeps the frame at or above the minimum length.
     */
    private byte[] resizedBody(final byte[] base) {
        final int bodyLength = FrameHeader.bodyLength(base.length);
        final int bodyEnd = HEADER_LENGTH + bodyLength;
        final int change = random.nextBoolean() ? -(1 + random.nextInt(bodyLength)) : 1 + random.nextInt(64);
        final byte[] frame = new byte[base.length + change];
        System.arraycopy(base, 0, frame, 0, Math.min(bodyEnd, bodyEnd + change));
        fillRandom(frame, bodyEnd, bodyEnd + Math.max(change, 0));
        System.arraycopy(base, bodyEnd, frame, bodyEnd + change, FrameHeader.SIGNATURE_LENGTH);
        le(frame).putInt(FrameHeader.LENGTH_OFFSET, frame.length);
        return frame;
    }

    private void accept(final String what, final byte[] frame) {
        feed(what, frame, FrameStatus.OK, NOW_MICROS);
        (isProbe(frame) ? recentProbes : recentWithCertificate).add(frame);
    }

    private void feed(final String what, final byte[] frame, final FrameStatus expected, final long nowMicros) {
        final FrameStatus status;
        try {
            status = gate.admit(frame, 0, frame.length, nowMicros);
        } catch (final RuntimeException e) {
            throw new AssertionError("gate threw on frame #" + fed + " (" + what + ", seed " + SEED + ")", e);
        }
        if (status != expected) {
            throw new AssertionError("frame #" + fed + " (" + what + ", seed " + SEED + "): expected " + expected + ", got " + status);
        }
        fed++;
        expectedTally.merge(expected, 1L, Long::sum);
    }

    private byte[] build(final Frames.Sender s, final int kind) {
        return switch (kind) {
            case 0 -> s.ping(NOW_MICROS, random.nextLong());
            case 1 -> s.ack(NOW_MICROS, random.nextLong());
            case 2 -> s.join(NOW_MICROS);
            default -> s.joinAccept(NOW_MICROS, random.nextInt(13));
        };
    }

    private Frames.Sender sender(final ClusterCa issuer, final Instant notBefore, final String address) {
        final PrivateKey k = key();
        return new Frames.Sender(k, issuer.issue(k.publicKey(), notBefore, VALIDITY), address, 1000);
    }

    private Frames.Sender certified() {
        return certified.get(random.nextInt(certified.size()));
    }

    private byte[] anyRecent() {
        return (random.nextBoolean() ? recentProbes : recentWithCertificate).pick(random);
    }

    private static boolean isProbe(final byte[] frame) {
        final int type = frame[FrameHeader.TYPE_OFFSET];
        return type == MessageType.PING.code || type == MessageType.ACK.code;
    }

    private static byte[] withLength(final byte[] base, final int declared) {
        final byte[] frame = base.clone();
        le(frame).putInt(FrameHeader.LENGTH_OFFSET, declared);
        return frame;
    }

    private static byte[] withSender(final byte[] base, final long sender) {
        final byte[] frame = base.clone();
        le(frame).putLong(FrameHeader.SENDER_OFFSET, sender);
        return frame;
    }

    /** A clock stamp {@code offsetMs} from NOW with a random logical counter. */
    private byte[] withClockMs(final byte[] base, final long offsetMs) {
        final byte[] frame = base.clone();
        final long stamp = (NOW_MICROS / 1000 + offsetMs) << HLC_LOGICAL_BITS | random.nextInt(1 << HLC_LOGICAL_BITS);
        le(frame).putLong(FrameHeader.HLC_OFFSET, stamp);
        return frame;
    }

    /** Flips one bit of {@code frame[from, to)}. */
    private void flipBitIn(final byte[] frame, final int from, final int to) {
        flipBitAt(frame, random.nextInt(from * 8, to * 8));
    }

    /** Bit 0 is the low bit of byte 0, so bit k of a little-endian field at offset o is bit 8 * o + k. */
    private static void flipBitAt(final byte[] frame, final int bit) {
        frame[bit >>> 3] ^= (byte)(1 << (bit & 7));
    }

    private int nonZeroInt() {
        int value;
        do {
            value = random.nextInt();
        } while (value == 0);
        return value;
    }

    private byte[] randomBytes(final int length) {
        final byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        return bytes;
    }

    private void fillRandom(final byte[] bytes, final int from, final int to) {
        for (int i = from; i < to; i++) {
            bytes[i] = (byte)random.nextInt(256);
        }
    }

    private PrivateKey key() {
        final byte[] secret = new byte[PrivateKey.LENGTH];
        random.nextBytes(secret);
        return PrivateKey.of(secret);
    }

    private static ByteBuffer le(final byte[] frame) {
        return ByteBuffer.wrap(frame).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** The last frames accepted at NOW, of one kind: bases for mutations and replays. */
    private static final class Recent {
        private final byte[][] frames = new byte[RECENT_MAX][];
        private int count;

        void add(final byte[] frame) {
            frames[count++ % frames.length] = frame;
        }

        byte[] pick(final SplittableRandom random) {
            assert count > 0 : "every sender was admitted with a join and a ping";
            return frames[random.nextInt(Math.min(count, frames.length))];
        }
    }
}
