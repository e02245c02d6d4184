package dev.vigil.daemon.core;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Consensus messages carried in fragments: messages sent and delivered, where every admitted
 * fragment ended (one outcome each, so they sum to the consensus frames the gate accepted), partial
 * messages dropped by reason, and what is held now. Part of {@link FrameCounters}.
 */
public final class ConsensusCounters {
    private long messagesSent;
    private long messageBytesSent;
    private long messagesDelivered;
    private long messageBytesDelivered;
    private final long[] fragments = new long[ConsensusReassembly.Outcome.values().length];
    private final long[] dropped = new long[ConsensusReassembly.Drop.values().length];
    private int partialMessagesHeld;
    private long bytesHeld;

    void sent(final int messageBytes) {
        messagesSent++;
        messageBytesSent += messageBytes;
    }

    void delivered(final int messageBytes) {
        messagesDelivered++;
        messageBytesDelivered += messageBytes;
    }

    void fragment(final ConsensusReassembly.Outcome outcome) {
        fragments[outcome.ordinal()]++;
    }

    void dropped(final ConsensusReassembly.Drop reason) {
        dropped[reason.ordinal()]++;
    }

    void held(final int partialMessages, final long bytes) {
        partialMessagesHeld = partialMessages;
        bytesHeld = bytes;
    }

    long fragments(final ConsensusReassembly.Outcome outcome) {
        return fragments[outcome.ordinal()];
    }

    /** Fragments that ended anywhere: equals the consensus frames the gate accepted. */
    public long fragmentsTotal() {
        long total = 0;
        for (final long f : fragments) {
            total += f;
        }
        return total;
    }

    public Snapshot snapshot() {
        final Map<String, Long> byOutcome = new LinkedHashMap<>();
        for (final ConsensusReassembly.Outcome o : ConsensusReassembly.Outcome.values()) {
            byOutcome.put(o.label, fragments[o.ordinal()]);
        }
        final Map<String, Long> byDrop = new LinkedHashMap<>();
        for (final ConsensusReassembly.Drop d : ConsensusReassembly.Drop.values()) {
            byDrop.put(d.label, dropped[d.ordinal()]);
        }
        return new Snapshot(messagesSent, messageBytesSent, messagesDelivered, messageBytesDelivered,
            Collections.unmodifiableMap(byOutcome), Collections.unmodifiableMap(byDrop), partialMessagesHeld, bytesHeld);
    }

    /**
     * @param fragments         admitted fragments by outcome ("buffered", "delivered", then the refusals)
     * @param messagesDropped   partial messages dropped, by reason
     * @param partialMessages   partial messages held at the moment
     * @param bytesHeld         bytes charged against the buffer bound at the moment
     */
    public record Snapshot(long messagesSent, long messageBytesSent, long messagesDelivered, long messageBytesDelivered,
                           Map<String, Long> fragments, Map<String, Long> messagesDropped, int partialMessages, long bytesHeld) {
        public long fragments(final String outcome) {
            return fragments.getOrDefault(outcome, 0L);
        }

        /** Fragments that ended anywhere: equals the consensus frames the gate accepted. */
        public long fragmentsTotal() {
            return fragments.values().stream().mapToLong(Long::longValue).sum();
        }

        /** Fragments refused (every outcome but buffered and delivered). */
        public long fragmentsRefused() {
            long total = 0;
            for (final ConsensusReassembly.Outcome o : ConsensusReassembly.Outcome.values()) {
                if (!o.accepted) {
                    total += fragments.getOrDefault(o.label, 0L);
                }
            }
            return total;
        }
    }
}
