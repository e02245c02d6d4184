package dev.vigil.daemon.core;

import dev.vigil.wire.FrameStatus;
import dev.vigil.wire.MessageType;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Frames and bytes sent and accepted per message type, frames refused per reason, and what became
 * of accepted consensus fragments ({@link ConsensusCounters}).
 */
public final class FrameCounters {
    private final long[] sentFrames = new long[256];
    private final long[] sentBytes = new long[256];
    private final long[] receivedFrames = new long[256];
    private final long[] receivedBytes = new long[256];
    private final long[] rejected = new long[FrameStatus.values().length];
    private final ConsensusCounters consensus = new ConsensusCounters();

    void sent(final int typeCode, final int length) {
        sentFrames[typeCode]++;
        sentBytes[typeCode] += length;
    }

    void received(final int typeCode, final int length) {
        receivedFrames[typeCode]++;
        receivedBytes[typeCode] += length;
    }

    /** Counts a refused frame. The transport calls this too, for frames it could not even delimit. */
    public void reject(final FrameStatus reason) {
        if (reason.ok()) {
            throw new IllegalArgumentException("OK is not a reject reason");
        }
        rejected[reason.ordinal()]++;
    }

    public long rejected(final FrameStatus reason) {
        return rejected[reason.ordinal()];
    }

    /** Consensus messages sent and delivered, and where each accepted consensus fragment ended. */
    public ConsensusCounters consensus() {
        return consensus;
    }

    /** Frames of {@code type} accepted by the gate. */
    public long received(final MessageType type) {
        return receivedFrames[type.code];
    }

    public long rejectedTotal() {
        long total = 0;
        for (final long r : rejected) {
            total += r;
        }
        return total;
    }

    public long receivedTotal() {
        long total = 0;
        for (final long r : receivedFrames) {
            total += r;
        }
        return total;
    }

    /** An immutable copy keyed by labels, in wire order. */
    public Snapshot snapshot() {
        final Map<String, TypeCount> sent = new LinkedHashMap<>();
        final Map<String, TypeCount> received = new LinkedHashMap<>();
        for (final MessageType t : MessageType.values()) {
            sent.put(t.label, new TypeCount(sentFrames[t.code], sentBytes[t.code]));
            received.put(t.label, new TypeCount(receivedFrames[t.code], receivedBytes[t.code]));
        }
        final Map<String, Long> refused = new LinkedHashMap<>();
        for (final FrameStatus s : FrameStatus.values()) {
            if (!s.ok()) {
                refused.put(s.label, rejected[s.ordinal()]);
            }
        }
        return new Snapshot(
            Collections.unmodifiableMap(sent), Collections.unmodifiableMap(received), Collections.unmodifiableMap(refused),
            consensus.snapshot());
    }

    /** Frames and bytes of one message type. */
    public record TypeCount(long frames, long bytes) {
    }

    /** Counters at one moment. */
    public record Snapshot(Map<String, TypeCount> sent, Map<String, TypeCount> received, Map<String, Long> rejected,
                           ConsensusCounters.Snapshot consensus) {
        public long rejected(final FrameStatus reason) {
            return rejected.getOrDefault(reason.label, 0L);
        }

        public long rejectedTotal() {
            return rejected.values().stream().mapToLong(Long::longValue).sum();
        }

        public long receivedTotal() {
            return received.values().stream().mapToLong(TypeCount::frames).sum();
        }
    }
}
