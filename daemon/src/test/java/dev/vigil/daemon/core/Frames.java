package dev.vigil.daemon.core;

import dev.vigil.crypto.Certificate;
import dev.vigil.crypto.PrivateKey;
import dev.vigil.wire.ConsensusFragmentBody;
import dev.vigil.wire.FrameHeader;
import dev.vigil.wire.Introduction;
import dev.vigil.wire.JoinAcceptBody;
import dev.vigil.wire.JoinBody;
import dev.vigil.wire.LeaveBody;
import dev.vigil.wire.MessageType;
import dev.vigil.wire.ProbeBody;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.Arrays;

/** Builds signed v1 frames the way a sending node would, for tests. */
final class Frames {
    private Frames() {
    }

    /** One sender: key, certificate, next sequence number. */
    static final class Sender {
        final PrivateKey key;
        final Certificate certificate;
        final String address;
        long sequence;
        /** The feature schema hash frames carry (0 unless a test sets the receiver's). */
        int schemaHash;

        Sender(final PrivateKey key, final Certificate certificate, final String address, final long firstSequence) {
            this.key = key;
            this.certificate = certificate;
            this.address = address;
            this.sequence = firstSequence;
        }

        byte[] join(final long nowMicros) {
            return frame(MessageType.JOIN, nowMicros, (b, o) -> JoinBody.encode(b, o, certificate.encoded(), address));
        }

        byte[] joinAccept(final long nowMicros, final int samples) {
            return frame(MessageType.JOIN_ACCEPT, nowMicros, (b, o) -> {
                int length = JoinAcceptBody.encodeStart(b, o, true, certificate.encoded(), address);
                for (int i = 0; i < samples; i++) {
                    length = JoinAcceptBody.appendSample(b, o, length, 0x1000L + i, "node-" + i + ".fleet.example:7400");
                }
                return length;
            });
        }

        byte[] ping(final long nowMicros, final long probeId) {
            return frame(MessageType.PING, nowMicros, (b, o) -> ProbeBody.encode(b, o, probeId));
        }

        byte[] ack(final long nowMicros, final long probeId) {
            return frame(MessageType.ACK, nowMicros, (b, o) -> ProbeBody.encode(b, o, probeId));
        }

        byte[] leave(final long nowMicros) {
            return frame(MessageType.LEAVE, nowMicros, (b, o) -> LeaveBody.encode(b, o, LeaveBody.REASON_SHUTDOWN));
        }

        /**
         * A consensus frame carrying {@code message[offset, offset + length)} of message {@code messageId},
         * introduced (the sender's certificate and address first) or not.
         */
        byte[] consensus(final long nowMicros, final boolean introduced, final long messageId, final byte[] message,
                         final int offset, final int length) {
            return consensusRaw(nowMicros, introduced, messageId, message.length, offset,
                java.util.Arrays.copyOfRange(message, offset, offset + length));
        }

        /** Like {@link #consensus}, with every field as given, consistent or not (the encoder would refuse some). */
        byte[] consensusRaw(final long nowMicros, final boolean introduced, final long messageId, final long messageLength,
                            final long offset, final byte[] fragment) {
            return frame(MessageType.CONSENSUS, introduced ? FrameHeader.FLAG_INTRODUCTION : 0, nowMicros, (b, o) -> {
                final int at = introduced ? o + Introduction.encode(b, o, certificate.encoded(), address) : o;
                final java.nio.ByteOrder le = java.nio.ByteOrder.LITTLE_ENDIAN;
                b.putLong(at + ConsensusFragmentBody.MESSAGE_ID_OFFSET, messageId, le);
                b.putInt(at + ConsensusFragmentBody.MESSAGE_LENGTH_OFFSET, (int)messageLength, le);
                b.putInt(at + ConsensusFragmentBody.FRAGMENT_OFFSET_OFFSET, (int)offset, le);
                b.putShort(at + ConsensusFragmentBody.FRAGMENT_LENGTH_OFFSET, (short)fragment.length, le);
                b.putShort(at + ConsensusFragmentBody.RESERVED_OFFSET, (short)0, le);
                b.putBytes(at + ConsensusFragmentBody.FRAGMENT_BYTES_OFFSET, fragment);
                return at - o + ConsensusFragmentBody.bodyLength(fragment.length);
            });
        }

        byte[] frame(final MessageType type, final long nowMicros, final BodyWriter body) {
            return frame(type, 0, nowMicros, body);
        }

        byte[] frame(final MessageType type, final int flags, final long nowMicros, final BodyWriter body) {
            final byte[] scratch = new byte[FrameHeader.FRAME_LENGTH_MAX];
            final UnsafeBuffer buffer = new UnsafeBuffer(scratch);
            final int bodyLength = body.write(buffer, FrameHeader.HEADER_LENGTH);
            final int length = FrameHeader.write(buffer, 0, type.code, flags, bodyLength, schemaHash, key.nodeId(), ++sequence,
                (nowMicros / 1000) << 16);
            key.sign(scratch, 0, FrameHeader.signedLength(length), scratch, FrameHeader.signatureOffset(0, length));
            return Arrays.copyOf(scratch, length);
        }
    }

    @FunctionalInterface
    interface BodyWriter {
        int write(UnsafeBuffer buffer, int bodyOffset);
    }
}
