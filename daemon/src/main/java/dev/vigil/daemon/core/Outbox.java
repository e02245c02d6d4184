package dev.vigil.daemon.core;

import dev.vigil.crypto.PrivateKey;
import dev.vigil.wire.FrameHeader;
import dev.vigil.wire.MessageType;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Builds, stamps and signs outbound frames in one reusable scratch buffer and hands them to the
 * transport. Sequence numbers start at the boot time in microseconds and count up by one per
 * frame, so they keep increasing across restarts without persisted state (as long as a node
 * sends less than one frame per microsecond on average, which signing speed guarantees).
 */
final class Outbox {
    /** Most frames (probes, leaves) fit; a join-accept with a full sample grows it once to a few KiB. */
    private static final int SCRATCH_BYTES_INITIAL = 256;
    private byte[] scratch = new byte[SCRATCH_BYTES_INITIAL];
    private final UnsafeBuffer buffer = new UnsafeBuffer(scratch);
    private final PrivateKey key;
    private final long selfId;
    private final int schemaHash;
    private final Hlc hlc;
    private final Transport transport;
    private final FrameCounters counters;
    private long sequence;

    Outbox(final PrivateKey key, final int schemaHash, final Hlc hlc, final Transport transport,
           final FrameCounters counters, final long bootMicros) {
        this.key = key;
        this.selfId = key.nodeId();
        this.schemaHash = schemaHash;
        this.hlc = hlc;
        this.transport = transport;
        this.counters = counters;
        this.sequence = bootMicros;
    }

    /**
     * The scratch buffer a message encoder writes the body into, at {@link #bodyOffset()}, with
     * room for a body of {@code bodyLengthMax} bytes. The scratch grows to the largest frame this
     * node has built (simnet runs thousands of cores, so each holds only what it needs).
     */
    UnsafeBuffer body(final int bodyLengthMax) {
        if (bodyLengthMax < 0 || bodyLengthMax > FrameHeader.BODY_LENGTH_MAX) {
            throw new IllegalArgumentException("body length " + bodyLengthMax + " outside [0, " + FrameHeader.BODY_LENGTH_MAX + "]");
        }
        final int frameLength = FrameHeader.FRAME_LENGTH_MIN + bodyLengthMax;
        if (frameLength > scratch.length) {
            scratch = new byte[Math.min(FrameHeader.FRAME_LENGTH_MAX, Math.max(frameLength, 2 * scratch.length))];
            buffer.wrap(scratch);
        }
        return buffer;
    }

    int bodyOffset() {
        return FrameHeader.HEADER_LENGTH;
    }

    /** Seals the body just written into a frame and sends it. */
    void send(final String address, final MessageType type, final int bodyLength, final long nowMicros) {
        seal(address, type, 0, bodyLength, nowMicros);
    }

    /**
     * Like {@link #body(int)}, for a frame that introduces this node: writes the introduction
     * ({@code introduction}, already encoded) first. The message body goes at
     * {@link #bodyOffset()} + {@code introduction.length}; send with {@link #sendIntroduced}.
     */
    UnsafeBuffer introducedBody(final byte[] introduction, final int bodyLengthMax) {
        final UnsafeBuffer b = body(introduction.length + bodyLengthMax);
        b.putBytes(bodyOffset(), introduction);
        return b;
    }

    void sendIntroduced(final String address, final MessageType type, final int introductionLength, final int bodyLength,
                        final long nowMicros) {
        seal(address, type, FrameHeader.FLAG_INTRODUCTION, introductionLength + bodyLength, nowMicros);
    }

    private void seal(final String address, final MessageType type, final int flags, final int bodyLength, final long nowMicros) {
        final int length = FrameHeader.write(
            buffer, 0, type.code, flags, bodyLength, schemaHash, selfId, ++sequence, hlc.tick(nowMicros));
        key.sign(scratch, 0, FrameHeader.signedLength(length), scratch, FrameHeader.signatureOffset(0, length));
        counters.sent(type.code, length);
        transport.send(address, scratch, 0, length);
    }
}
