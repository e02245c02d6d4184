package dev.vigil.daemon.core;

import dev.vigil.daemon.core.ConsensusReassembly.Drop;
import dev.vigil.daemon.core.ConsensusReassembly.Outcome;
import dev.vigil.wire.ConsensusFragmentBody;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** Reassembly on its own: order, duplicates, every bound and what happens at it, expiry. */
class ConsensusReassemblyTest {
    private static final long A = 0xAAAAL;
    private static final long B = 0xBBBBL;
    private static final long C = 0xCCCCL;
    private static final long T0 = 1_000_000_000L;
    /** Small bounds so tests reach them: 1000-byte messages, 2 per sender, 2400 bytes held, 5 s, 3 senders. */
    private static final ReassemblyConfig SMALL = new ReassemblyConfig(1000, 2, 2400, 5_000_000, 3);

    private final ConsensusCounters counters = new ConsensusCounters();
    private final List<String> delivered = new ArrayList<>();
    private final List<byte[]> deliveredBytes = new ArrayList<>();
    private final List<String> dropped = new ArrayList<>();

    private ConsensusReassembly reassembly(final ReassemblyConfig config) {
        return new ConsensusReassembly(config, counters, new ConsensusReassembly.Events() {
            @Override
            public void delivered(final long senderId, final byte[] message) {
                delivered.add(Long.toHexString(senderId) + ":" + message.length);
                deliveredBytes.add(message);
            }

            @Override
            public void dropped(final long senderId, final long messageId, final Drop reason, final int heldBytes, final int messageBytes) {
                dropped.add(Long.toHexString(senderId) + "/" + messageId + " " + reason.label + " " + heldBytes + "/" + messageBytes);
            }
        });
    }

    /** One fragment body, alone in its buffer. */
    record Fragment(UnsafeBuffer body, int length) {
        Outcome feed(final ConsensusReassembly r, final long sender, final long nowMicros) {
            return r.onFragment(sender, body, 0, length, nowMicros);
        }
    }

    static Fragment fragment(final long messageId, final byte[] message, final int offset, final int length) {
        final UnsafeBuffer b = new UnsafeBuffer(new byte[ConsensusFragmentBody.bodyLength(length)]);
        return new Fragment(b, ConsensusFragmentBody.encode(b, 0, messageId, message, offset, length));
    }

    /** The message cut into fragments of {@code size} bytes (the last one shorter), in order. */
    static List<Fragment> split(final long messageId, final byte[] message, final int size) {
        final List<Fragment> out = new ArrayList<>();
        for (int at = 0; at < message.length; at += size) {
            out.add(fragment(messageId, message, at, Math.min(size, message.length - at)));
        }
        return out;
    }

    static byte[] message(final int length, final int seed) {
        final byte[] m = new byte[length];
        new Random(seed).nextBytes(m);
        return m;
    }

    @Test
    void fragmentsInAnyOrderMakeTheMessageOnceAndExactly() {
        final ConsensusReassembly r = reassembly(ReassemblyConfig.defaults());
        final byte[] m = message(100_000, 1);
        final List<Fragment> fragments = split(7, m, 3_000);
        Collections.shuffle(fragments, new Random(2));

        for (int i = 0; i < fragments.size(); i++) {
            assertThat(fragments.get(i).feed(r, A, T0)).isEqualTo(i < fragments.size() - 1 ? Outcome.BUFFERED : Outcome.DELIVERED);
        }

        assertThat(deliveredBytes).hasSize(1);
        assertThat(deliveredBytes.get(0)).isEqualTo(m);
        assertThat(r.partialCount()).isZero();
        assertThat(r.chargedBytes()).as("nothing held after delivery").isZero();
        assertThat(counters.snapshot().messagesDelivered()).isEqualTo(1);
        assertThat(counters.snapshot().messageBytesDelivered()).isEqualTo(m.length);
    }

    @Test
    void duplicatesAreDroppedBeforeAndAfterTheMessageIsComplete() {
        final ConsensusReassembly r = reassembly(ReassemblyConfig.defaults());
        final byte[] m = message(10_000, 3);
        final List<Fragment> fragments = split(8, m, 1_000);

        assertThat(fragments.get(0).feed(r, A, T0)).isEqualTo(Outcome.BUFFERED);
        assertThat(fragments.get(0).feed(r, A, T0)).isEqualTo(Outcome.DUPLICATE);
        for (final Fragment f : fragments.subList(1, fragments.size())) {
            f.feed(r, A, T0);
        }
        for (final Fragment f : fragments) {
            assertThat(f.feed(r, A, T0)).as("a fragment of a delivered message").isEqualTo(Outcome.DUPLICATE);
        }

        assertThat(delivered).containsExactly("aaaa:10000");
        assertThat(counters.fragments(Outcome.DUPLICATE)).isEqualTo(11);
        assertThat(r.partialCount()).as("late duplicates start nothing").isZero();
    }

    @Test
    void aOneFragmentMessageIsDeliveredAtOnceAndHoldsNothing() {
        final ConsensusReassembly r = reassembly(SMALL);
        final byte[] m = message(100, 4);

        assertThat(fragment(1, m, 0, 100).feed(r, A, T0)).isEqualTo(Outcome.DELIVERED);
        assertThat(fragment(1, m, 0, 100).feed(r, A, T0)).isEqualTo(Outcome.DUPLICATE);

        assertThat(deliveredBytes.get(0)).isEqualTo(m);
        assertThat(r.partialCount()).isZero();
        assertThat(r.chargedBytes()).isZero();
    }

    @Test
    void fragmentsThatDisagreeWithTheirMessageAreRefusedAndTheMessageStillCompletes() {
        final ConsensusReassembly r = reassembly(SMALL);
        final byte[] m = message(900, 5);
        final List<Fragment> fragments = split(9, m, 300);
        fragments.get(0).feed(r, A, T0);

        assertThat(fragment(9, message(901, 6), 300, 300).feed(r, A, T0)).isEqualTo(Outcome.LENGTH_CHANGED);
        assertThat(fragment(9, m, 150, 300).feed(r, A, T0)).as("straddles the held [0, 300)").isEqualTo(Outcome.OVERLAP);
        assertThat(fragment(9, m, 0, 299).feed(r, A, T0)).as("same start, other length").isEqualTo(Outcome.OVERLAP);
        assertThat(fragments.get(2).feed(r, A, T0)).isEqualTo(Outcome.BUFFERED);
        assertThat(fragment(9, m, 299, 302).feed(r, A, T0)).as("covers the gap and both neighbours' edges").isEqualTo(Outcome.OVERLAP);
        assertThat(fragment(10, message(1001, 7), 0, 10).feed(r, A, T0)).isEqualTo(Outcome.TOO_LARGE);
        assertThat(fragments.get(1).feed(r, A, T0)).isEqualTo(Outcome.DELIVERED);

        assertThat(deliveredBytes.get(0)).isEqualTo(m);
        assertThat(counters.snapshot().fragmentsRefused()).isEqualTo(5);
    }

    @Test
    void aBodyThatIsNotAFragmentIsMalformed() {
        final ConsensusReassembly r = reassembly(SMALL);
        final Fragment f = fragment(1, message(500, 8), 0, 100);
        f.body().putInt(ConsensusFragmentBody.MESSAGE_LENGTH_OFFSET, 50, java.nio.ByteOrder.LITTLE_ENDIAN);

        assertThat(f.feed(r, A, T0)).isEqualTo(Outcome.MALFORMED);
        assertThat(r.onFragment(A, f.body(), 0, 3, T0)).isEqualTo(Outcome.MALFORMED);
        assertThat(r.senderCount()).as("nothing remembered").isZero();
    }

    @Test
    void aThirdMessageSupersedesTheSendersOldestButAnOlderOneWaits() {
        final ConsensusReassembly r = reassembly(SMALL);
        final byte[] m = message(600, 9);
        fragment(10, m, 0, 100).feed(r, A, T0);
        fragment(11, m, 0, 100).feed(r, A, T0);

        assertThat(fragment(5, m, 0, 100).feed(r, A, T0)).as("older than both held").isEqualTo(Outcome.SENDER_BUSY);
        assertThat(fragment(12, m, 0, 100).feed(r, A, T0)).isEqualTo(Outcome.BUFFERED);
        assertThat(fragment(10, m, 100, 100).feed(r, A, T0)).as("message 10 was given up").isEqualTo(Outcome.ABANDONED);
        assertThat(fragment(20, m, 0, 100).feed(r, B, T0)).as("another sender has its own slots").isEqualTo(Outcome.BUFFERED);

        assertThat(dropped).containsExactly("aaaa/10 superseded 100/600");
        assertThat(r.partialCount()).isEqualTo(3);
    }

    @Test
    void aFragmentBeyondTheBufferBoundIsRefusedAndItsMessageDropped() {
        final ConsensusReassembly r = reassembly(SMALL); // 2400 bytes: each fragment is charged 96 more than its length
        final byte[] m = message(1000, 10);
        for (final Fragment f : split(1, m, 500).subList(0, 1)) {
            f.feed(r, A, T0);
        }
        fragment(2, m, 0, 900).feed(r, B, T0);
        assertThat(r.chargedBytes()).isEqualTo(500 + 900 + 2L * ConsensusReassembly.FRAGMENT_OVERHEAD_BYTES);

        assertThat(fragment(1, m, 500, 500).feed(r, A, T0)).as("1592 + 596 <= 2400").isEqualTo(Outcome.DELIVERED);
        fragment(3, m, 0, 900).feed(r, A, T0);
        assertThat(fragment(2, m, 900, 100).feed(r, B, T0)).isEqualTo(Outcome.DELIVERED);
        fragment(4, m, 0, 900).feed(r, B, T0);
        assertThat(r.chargedBytes()).isEqualTo(2 * (900 + ConsensusReassembly.FRAGMENT_OVERHEAD_BYTES));

        assertThat(fragment(5, m, 0, 500).feed(r, A, T0)).as("a new message that does not fit").isEqualTo(Outcome.BUFFER_FULL);
        assertThat(fragment(5, m, 500, 500).feed(r, A, T0)).isEqualTo(Outcome.ABANDONED);
        assertThat(fragment(3, m, 900, 100).feed(r, A, T0)).as("completing needs no more than is left").isEqualTo(Outcome.DELIVERED);
        fragment(6, message(1000, 11), 0, 800).feed(r, A, T0);
        assertThat(fragment(4, m, 900, 100).feed(r, B, T0)).isEqualTo(Outcome.DELIVERED);
        fragment(7, message(1000, 12), 0, 800).feed(r, B, T0);
        fragment(8, message(1000, 13), 0, 400).feed(r, C, T0);
        assertThat(fragment(6, message(1000, 11), 800, 200).feed(r, A, T0))
            .as("held 2288 + 296 > 2400").isEqualTo(Outcome.BUFFER_FULL);

        assertThat(dropped).containsExactly("aaaa/6 buffer-full 800/1000");
        assertThat(r.chargedBytes()).isLessThanOrEqualTo(SMALL.bufferedBytesMax());
        assertThat(counters.snapshot().messagesDropped().get("buffer-full")).isEqualTo(1);
    }

    @Test
    void aPartialMessageExpiresAfterItsAgeBoundAndNotBefore() {
        final ConsensusReassembly r = reassembly(SMALL);
        final byte[] m = message(1000, 14);
        fragment(1, m, 0, 400).feed(r, A, T0);
        fragment(1, m, 400, 400).feed(r, A, T0 + 4_000_000);

        assertThat(r.expire(T0 + SMALL.partialAgeMicrosMax() - 1)).isZero();
        assertThat(r.expire(T0 + SMALL.partialAgeMicrosMax())).as("age counts from the first fragment").isEqualTo(1);

        assertThat(dropped).containsExactly("aaaa/1 expired 800/1000");
        assertThat(r.chargedBytes()).isZero();
        assertThat(fragment(1, m, 800, 200).feed(r, A, T0 + 6_000_000)).isEqualTo(Outcome.ABANDONED);
        assertThat(counters.snapshot().partialMessages()).isZero();
        assertThat(counters.snapshot().bytesHeld()).isZero();
    }

    @Test
    void aNewSenderBeyondTheBoundForgetsTheOneHeardFromLeastRecently() {
        final ConsensusReassembly r = reassembly(SMALL); // 3 senders
        final byte[] m = message(1000, 15);
        fragment(1, m, 0, 100).feed(r, 1, T0);
        fragment(1, m, 0, 100).feed(r, 2, T0);
        fragment(1, m, 0, 100).feed(r, 3, T0);
        fragment(1, m, 100, 100).feed(r, 1, T0); // sender 1 heard again: sender 2 is now the least recent

        fragment(1, m, 0, 100).feed(r, 4, T0);

        assertThat(r.senderCount()).isEqualTo(3);
        assertThat(dropped).containsExactly("2/1 sender-forgotten 100/1000");
        assertThat(r.chargedBytes()).isEqualTo(4 * (100 + ConsensusReassembly.FRAGMENT_OVERHEAD_BYTES));
    }

    /**
     * Random traffic from four senders: honest messages cut at random sizes, shuffled, some fragments
     * duplicated, some lost, with forged lengths, overlaps and garbage mixed in, and time moving on.
     * Nothing throws; every fragment ends in exactly one outcome; no bound is ever exceeded; every
     * delivered message is exactly the one sent under its (sender, id), and none twice while its sender
     * is remembered; with nothing
     * lost and bounds to spare, every message is delivered.
     */
    @Test
    void randomFragmentStreamsKeepEveryBoundAndDeliverExactlyWhatWasSent() {
        final java.util.EnumSet<Outcome> seen = java.util.EnumSet.noneOf(Outcome.class);
        for (int seed = 0; seed < 40; seed++) {
            seen.addAll(randomStream(seed, seed % 2 == 0));
        }
        assertThat(seen).as("the streams reach every outcome").containsExactlyInAnyOrder(Outcome.values());
    }

    private java.util.Set<Outcome> randomStream(final int seed, final boolean lossless) {
        final java.util.EnumSet<Outcome> seen = java.util.EnumSet.noneOf(Outcome.class);
        delivered.clear();
        deliveredBytes.clear();
        dropped.clear();
        final Random random = new Random(seed);
        // one lossy run in two keeps fewer senders than there are, so senders are forgotten and their
        // late duplicates start afresh: only there may a message be delivered twice
        final boolean forgetting = seed % 4 == 1;
        final ReassemblyConfig config = lossless ? new ReassemblyConfig(50_000, 4, 1_000_000, 5_000_000, 8)
            : new ReassemblyConfig(SMALL.messageBytesMax(), SMALL.inFlightPerSenderMax(), SMALL.bufferedBytesMax(),
                SMALL.partialAgeMicrosMax(), forgetting ? 2 : 4);
        final ConsensusCounters own = new ConsensusCounters();
        final java.util.Map<String, byte[]> sent = new java.util.HashMap<>();
        final java.util.Set<String> got = new java.util.HashSet<>();
        final ConsensusReassembly r = new ConsensusReassembly(config, own, new ConsensusReassembly.Events() {
            @Override
            public void delivered(final long senderId, final byte[] message) {
                deliveredBytes.add(message);
            }

            @Override
            public void dropped(final long senderId, final long messageId, final Drop reason, final int heldBytes, final int messageBytes) {
                assertThat(heldBytes).isBetween(1, messageBytes - 1);
            }
        });
        final List<long[]> order = new ArrayList<>(); // sender, index into fragments
        final List<Fragment> fragments = new ArrayList<>();
        final List<String> keys = new ArrayList<>();
        for (long sender = 1; sender <= 4; sender++) {
            final int messages = lossless ? 2 : 1 + random.nextInt(6);
            for (int i = 0; i < messages; i++) {
                final long id = 100 + i;
                final byte[] m = message(1 + random.nextInt(lossless ? 20_000 : 1_200), random.nextInt());
                sent.put(sender + "/" + id, m);
                for (final Fragment f : split(id, m, lossless ? 500 + random.nextInt(3_500) : 1 + random.nextInt(400))) {
                    if (!lossless && random.nextInt(10) == 0) {
                        continue; // lost
                    }
                    final int copies = random.nextInt(5) == 0 ? 2 : 1;
                    for (int c = 0; c < copies; c++) {
                        order.add(new long[] {sender, fragments.size()});
                        fragments.add(f);
                        keys.add(sender + "/" + id);
                    }
                }
                if (!lossless) {
                    for (int k = 0; k < 2; k++) {
                        order.add(new long[] {sender, fragments.size()});
                        final int kind = random.nextInt(4);
                        fragments.add(hostile(random, kind, id, m));
                        keys.add(kind == 1 ? sender + "/" + id : null); // kind 1 carries the message's own bytes
                    }
                }
            }
        }
        Collections.shuffle(order, random);
        long now = T0;
        long fed = 0;
        for (final long[] o : order) {
            final Fragment f = fragments.get((int)o[1]);
            final int before = deliveredBytes.size();
            final Outcome outcome = f.feed(r, o[0], now);
            seen.add(outcome);
            fed++;
            if (outcome == Outcome.DELIVERED) {
                final String key = keys.get((int)o[1]);
                assertThat(key).as("seed %d: only honest fragments complete a message", seed).isNotNull();
                assertThat(got.add(key) || forgetting).as("seed %d: %s delivered once", seed, key).isTrue();
                assertThat(deliveredBytes.get(before)).as("seed %d: %s exact", seed, key).isEqualTo(sent.get(key));
            }
            assertThat(r.chargedBytes()).isBetween(0L, config.bufferedBytesMax());
            assertThat(r.senderCount()).isLessThanOrEqualTo(config.sendersMax());
            assertThat(r.partialCount()).isLessThanOrEqualTo(config.sendersMax() * config.inFlightPerSenderMax());
            now += random.nextInt(lossless ? 1_000 : 200_000);
            if (random.nextInt(20) == 0) {
                r.expire(now);
            }
        }
        assertThat(own.fragmentsTotal()).as("seed %d: every fragment in exactly one outcome", seed).isEqualTo(fed);
        if (lossless) {
            assertThat(got).as("seed %d", seed).isEqualTo(sent.keySet());
        }
        r.expire(now + config.partialAgeMicrosMax());
        assertThat(r.partialCount()).isZero();
        assertThat(r.chargedBytes()).isZero();
        return seen;
    }

    /** A fragment of message {@code id} that disagrees with it, or bytes that are no fragment at all. */
    private static Fragment hostile(final Random random, final int kind, final long id, final byte[] m) {
        return switch (kind) {
            case 0 -> fragment(id, message(m.length + 1 + random.nextInt(50), 1), 0, 1); // another total
            case 1 -> {
                final int at = random.nextInt(m.length);
                yield fragment(id, m, at, 1 + random.nextInt(m.length - at)); // overlaps whatever is held
            }
            case 2 -> fragment(id, message(2_000 + random.nextInt(100_000), 2), 0, 10); // too large for SMALL
            default -> {
                final byte[] garbage = new byte[random.nextInt(64)];
                random.nextBytes(garbage);
                yield new Fragment(new UnsafeBuffer(garbage.length == 0 ? new byte[1] : garbage), garbage.length);
            }
        };
    }
}
