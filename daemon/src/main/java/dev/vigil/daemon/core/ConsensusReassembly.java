package dev.vigil.daemon.core;

import dev.vigil.wire.ConsensusFragmentBody;
import org.agrona.DirectBuffer;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Puts consensus messages back together from the fragments other nodes send ({@code consensus}
 * frames that passed the gate). Fragments may come in any order; a fragment whose bytes are
 * already held, or that belongs to a message already delivered, is dropped as a duplicate.
 * Every fragment ends in exactly one {@link Outcome}, counted in {@link ConsensusCounters}; every
 * partial message ends delivered or dropped for one {@link Drop} reason. Every bound is in
 * {@link ReassemblyConfig}, with what happens at it.
 *
 * <p>No clock of its own: the core passes the time in, and calls {@link #expire} on its tick.
 * Iteration over senders follows the order they were last heard from, so it depends only on the
 * inputs.
 */
final class ConsensusReassembly {
    /**
     * What each held fragment is charged beyond its bytes (its map entry and array header), so a
     * sender of one-byte fragments cannot hold far more memory than {@code bufferedBytesMax} says.
     */
    static final int FRAGMENT_OVERHEAD_BYTES = 96;
    /** Finished (delivered or dropped) message ids remembered per sender, to recognise late fragments. */
    static final int FINISHED_IDS_KEPT = 16;

    /** Where a fragment ended. */
    enum Outcome {
        /** Held; its message is not complete yet. */
        BUFFERED(true),
        /** Completed its message, which went to the sink. */
        DELIVERED(true),
        /** Its bytes were already held, or its message was already delivered: dropped. */
        DUPLICATE(false),
        /** Not a well-formed fragment (empty, or outside its own message); the wire check stops these first. */
        MALFORMED(false),
        /** Its message is longer than {@code messageBytesMax}. */
        TOO_LARGE(false),
        /** Its message length differs from the one the message's first fragment gave. */
        LENGTH_CHANGED(false),
        /** It overlaps bytes already held for its message without being an exact duplicate. */
        OVERLAP(false),
        /** A new message while the sender's in-flight slots hold newer ones. */
        SENDER_BUSY(false),
        /** Holding it would go beyond {@code bufferedBytesMax}; its message is dropped too. */
        BUFFER_FULL(false),
        /** Its message was already dropped (expired, superseded, or over the buffer bound). */
        ABANDONED(false);

        final boolean accepted;
        /** Lower-case name used in counters, JSON and logs. */
        public final String label = name().toLowerCase(Locale.ROOT).replace('_', '-');

        Outcome(final boolean accepted) {
            this.accepted = accepted;
        }
    }

    /** Why a partial message was dropped before it was complete. */
    enum Drop {
        /** Not complete {@code partialAgeMicrosMax} after its first fragment. */
        EXPIRED,
        /** The sender began a newer message while all its in-flight slots were taken. */
        SUPERSEDED,
        /** One of its fragments would have gone beyond {@code bufferedBytesMax}. */
        BUFFER_FULL,
        /** Its sender was the least recently heard when {@code sendersMax} was reached. */
        SENDER_FORGOTTEN;

        public final String label = name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** Where reassembly reports to the core. */
    interface Events {
        void delivered(long senderId, byte[] message);

        /** A partial message dropped: {@code heldBytes} of {@code messageBytes} had arrived. */
        void dropped(long senderId, long messageId, Drop reason, int heldBytes, int messageBytes);
    }

    private final ReassemblyConfig config;
    private final ConsensusCounters counters;
    private final Events events;
    /** Access order: the first entry is the sender heard from least recently. */
    private final LinkedHashMap<Long, Sender> senders = new LinkedHashMap<>(16, 0.75f, true);
    private long chargedBytes;
    private int partialCount;

    ConsensusReassembly(final ReassemblyConfig config, final ConsensusCounters counters, final Events events) {
        this.config = config;
        this.counters = counters;
        this.events = events;
    }

    /** Takes in the body of one admitted consensus frame. Total: any bytes end in one outcome. */
    Outcome onFragment(final long senderId, final DirectBuffer frame, final int bodyOffset, final int bodyLength,
                       final long nowMicros) {
        final Outcome outcome = take(senderId, frame, bodyOffset, bodyLength, nowMicros);
        counters.fragment(outcome);
        counters.held(partialCount, chargedBytes);
        assert chargedBytes >= 0 && chargedBytes <= config.bufferedBytesMax() : "held bytes " + chargedBytes + " outside the bound";
        return outcome;
    }

    private Outcome take(final long senderId, final DirectBuffer frame, final int bodyOffset, final int bodyLength,
                         final long nowMicros) {
        if (!ConsensusFragmentBody.isWellFormed(frame, bodyOffset, bodyLength)) {
            return Outcome.MALFORMED;
        }
        final long messageLength = ConsensusFragmentBody.messageLength(frame, bodyOffset);
        if (messageLength > config.messageBytesMax()) {
            return Outcome.TOO_LARGE;
        }
        final long messageId = ConsensusFragmentBody.messageId(frame, bodyOffset);
        final int offset = (int)ConsensusFragmentBody.fragmentOffset(frame, bodyOffset);
        final int length = ConsensusFragmentBody.fragmentLength(frame, bodyOffset);
        final int bytesOffset = ConsensusFragmentBody.fragmentBytesOffset(bodyOffset);
        final Sender sender = sender(senderId);
        final Partial partial = sender.partial(messageId);
        if (partial == null) {
            return first(sender, messageId, (int)messageLength, offset, length, frame, bytesOffset, nowMicros);
        }
        if (messageLength != partial.messageBytes) {
            return Outcome.LENGTH_CHANGED;
        }
        final Outcome placement = partial.placement(offset, length);
        if (placement != null) {
            return placement;
        }
        if (chargedBytes + charge(length) > config.bufferedBytesMax()) {
            drop(sender, partial, Drop.BUFFER_FULL);
            return Outcome.BUFFER_FULL;
        }
        hold(partial, offset, length, frame, bytesOffset);
        if (partial.heldBytes < partial.messageBytes) {
            return Outcome.BUFFERED;
        }
        finish(sender, partial);
        deliver(sender, messageId, partial.assemble());
        return Outcome.DELIVERED;
    }

    /** The first fragment of a message this node holds nothing of. */
    private Outcome first(final Sender sender, final long messageId, final int messageBytes, final int offset, final int length,
                          final DirectBuffer frame, final int bytesOffset, final long nowMicros) {
        final int finished = sender.finished(messageId);
        if (finished != Sender.NOT_FINISHED) {
            return finished == Sender.DELIVERED ? Outcome.DUPLICATE : Outcome.ABANDONED;
        }
        if (length == messageBytes) {
            // a whole message in one frame: nothing to hold
            final byte[] message = new byte[length];
            frame.getBytes(bytesOffset, message);
            deliver(sender, messageId, message);
            return Outcome.DELIVERED;
        }
        if (sender.partials.size() >= config.inFlightPerSenderMax()) {
            final Partial oldest = sender.oldest();
            if (Long.compareUnsigned(oldest.messageId, messageId) >= 0) {
                return Outcome.SENDER_BUSY;
            }
            drop(sender, oldest, Drop.SUPERSEDED);
        }
        if (chargedBytes + charge(length) > config.bufferedBytesMax()) {
            sender.remember(messageId, Sender.ABANDONED);
            return Outcome.BUFFER_FULL;
        }
        final Partial partial = new Partial(messageId, messageBytes, nowMicros);
        sender.partials.add(partial);
        partialCount++;
        hold(partial, offset, length, frame, bytesOffset);
        return Outcome.BUFFERED;
    }

    /** Drops every partial message older than {@code partialAgeMicrosMax}. @return how many. */
    int expire(final long nowMicros) {
        if (partialCount == 0) {
            return 0;
        }
        int expired = 0;
        for (final Sender sender : senders.values()) {
            final List<Partial> old = new ArrayList<>();
            for (final Partial p : sender.partials) {
                if (nowMicros - p.firstMicros >= config.partialAgeMicrosMax()) {
                    old.add(p);
                }
            }
            for (final Partial p : old) {
                drop(sender, p, Drop.EXPIRED);
                expired++;
            }
        }
        counters.held(partialCount, chargedBytes);
        return expired;
    }

    int partialCount() {
        return partialCount;
    }

    /** Bytes charged against {@code bufferedBytesMax} now. */
    long chargedBytes() {
        return chargedBytes;
    }

    int senderCount() {
        return senders.size();
    }

    private Sender sender(final long senderId) {
        Sender s = senders.get(senderId);
        if (s == null) {
            if (senders.size() >= config.sendersMax()) {
                final Iterator<Map.Entry<Long, Sender>> eldest = senders.entrySet().iterator();
                final Sender forgotten = eldest.next().getValue();
                for (final Partial p : List.copyOf(forgotten.partials)) {
                    drop(forgotten, p, Drop.SENDER_FORGOTTEN);
                }
                eldest.remove();
            }
            s = new Sender(senderId);
            senders.put(senderId, s);
        }
        return s;
    }

    private static long charge(final int length) {
        return (long)length + FRAGMENT_OVERHEAD_BYTES;
    }

    private void hold(final Partial partial, final int offset, final int length, final DirectBuffer frame, final int bytesOffset) {
        final byte[] bytes = new byte[length];
        frame.getBytes(bytesOffset, bytes);
        partial.fragments.put(offset, bytes);
        partial.heldBytes += length;
        chargedBytes += charge(length);
    }

    /** Forgets a partial message's bytes and its slot; later fragments of it are dropped by the finished-id check. */
    private void finish(final Sender sender, final Partial partial) {
        sender.partials.remove(partial);
        partialCount--;
        chargedBytes -= (long)partial.heldBytes + (long)partial.fragments.size() * FRAGMENT_OVERHEAD_BYTES;
    }

    private void drop(final Sender sender, final Partial partial, final Drop reason) {
        finish(sender, partial);
        sender.remember(partial.messageId, Sender.ABANDONED);
        counters.dropped(reason);
        events.dropped(sender.id, partial.messageId, reason, partial.heldBytes, partial.messageBytes);
    }

    /** Counts and remembers before handing over, so a sink that throws leaves the state whole. */
    private void deliver(final Sender sender, final long messageId, final byte[] message) {
        sender.remember(messageId, Sender.DELIVERED);
        counters.delivered(message.length);
        counters.held(partialCount, chargedBytes);
        events.delivered(sender.id, message);
    }

    /** One sender's partial messages (at most inFlightPerSenderMax) and its last finished message ids. */
    private static final class Sender {
        static final int NOT_FINISHED = 0;
        static final int DELIVERED = 1;
        static final int ABANDONED = 2;

        final long id;
        final List<Partial> partials = new ArrayList<>(2);
        private final long[] finishedIds = new long[FINISHED_IDS_KEPT];
        private final byte[] finishedHow = new byte[FINISHED_IDS_KEPT];
        private int finishedNext;

        Sender(final long id) {
            this.id = id;
        }

        Partial partial(final long messageId) {
            for (final Partial p : partials) {
                if (p.messageId == messageId) {
                    return p;
                }
            }
            return null;
        }

        /** The partial with the lowest id (ids increase per sender, compared unsigned). */
        Partial oldest() {
            Partial oldest = partials.get(0);
            for (final Partial p : partials) {
                if (Long.compareUnsigned(p.messageId, oldest.messageId) < 0) {
                    oldest = p;
                }
            }
            return oldest;
        }

        int finished(final long messageId) {
            for (int i = 0; i < FINISHED_IDS_KEPT; i++) {
                if (finishedHow[i] != NOT_FINISHED && finishedIds[i] == messageId) {
                    return finishedHow[i];
                }
            }
            return NOT_FINISHED;
        }

        void remember(final long messageId, final int how) {
            finishedIds[finishedNext] = messageId;
            finishedHow[finishedNext] = (byte)how;
            finishedNext = (finishedNext + 1) % FINISHED_IDS_KEPT;
        }
    }

    /** The fragments of one message held so far, by offset; none overlaps another. */
    private static final class Partial {
        final long messageId;
        final int messageBytes;
        final long firstMicros;
        final TreeMap<Integer, byte[]> fragments = new TreeMap<>();
        int heldBytes;

        Partial(final long messageId, final int messageBytes, final long firstMicros) {
            this.messageId = messageId;
            this.messageBytes = messageBytes;
            this.firstMicros = firstMicros;
        }

        /** @return DUPLICATE or OVERLAP when [offset, offset + length) meets held bytes, else null */
        Outcome placement(final int offset, final int length) {
            final Map.Entry<Integer, byte[]> at = fragments.floorEntry(offset);
            if (at != null && at.getKey() == offset && at.getValue().length == length) {
                return Outcome.DUPLICATE;
            }
            if (at != null && at.getKey() + at.getValue().length > offset) {
                return Outcome.OVERLAP;
            }
            final Integer next = fragments.higherKey(offset);
            if (next != null && next < offset + length) {
                return Outcome.OVERLAP;
            }
            return null;
        }

        byte[] assemble() {
            final byte[] message = new byte[messageBytes];
            int end = 0;
            for (final Map.Entry<Integer, byte[]> e : fragments.entrySet()) {
                assert e.getKey() == end : "fragments of message " + messageId + " leave a gap at " + end;
                System.arraycopy(e.getValue(), 0, message, e.getKey(), e.getValue().length);
                end = e.getKey() + e.getValue().length;
            }
            assert end == messageBytes : "fragments of message " + messageId + " end at " + end + " of " + messageBytes;
            return message;
        }
    }
}
