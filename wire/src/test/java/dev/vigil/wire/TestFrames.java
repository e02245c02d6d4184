package dev.vigil.wire;

import org.agrona.concurrent.UnsafeBuffer;

import java.util.List;

/**
 * Builds complete v1 frames (header, body, zeroed signature slot) for tests. Signatures are the
 * crypto module's business; {@link FrameDecoder} only knows where they sit, so zeros will do.
 */
final class TestFrames {
    static final int SCHEMA_HASH = 0x5EED_1234;
    static final long SENDER = 0x0123_4567_89AB_CDEFL;
    static final long SEQUENCE = 42L;
    static final long HLC = 1_700_000_000_000_000L;

    private TestFrames() {
    }

    /** One frame at {@code offset} inside a buffer with {@code slack} spare bytes after it. */
    record Frame(UnsafeBuffer buffer, int offset, int length) {
        FrameStatus check() {
            return FrameDecoder.check(buffer, offset, length);
        }

        int bodyOffset() {
            return FrameHeader.bodyOffset(offset);
        }

        int bodyLength() {
            return FrameHeader.bodyLength(length);
        }

        byte[] bytes() {
            final byte[] copy = new byte[length];
            buffer.getBytes(offset, copy);
            return copy;
        }

        /** A copy of this frame with the byte at {@code index} (relative to the frame start) xor-ed with {@code mask}. */
        Frame withByteXor(final int index, final int mask) {
            final Frame copy = copy(0);
            copy.buffer.putByte(copy.offset + index, (byte)(copy.buffer.getByte(copy.offset + index) ^ mask));
            return copy;
        }

        /** A copy of this frame with {@code slack} extra zero bytes available after it. */
        Frame copy(final int slack) {
            final UnsafeBuffer b = new UnsafeBuffer(new byte[offset + length + slack]);
            b.putBytes(0, buffer, 0, offset + length);
            return new Frame(b, offset, length);
        }
    }

    /** Encodes a body with {@code bodyWriter} into a fresh buffer and wraps header and signature around it. */
    static Frame frame(final MessageType type, final int offset, final BodyWriter bodyWriter) {
        return frame(type.code, offset, bodyWriter);
    }

    static Frame frame(final int typeCode, final int offset, final BodyWriter bodyWriter) {
        final UnsafeBuffer scratch = new UnsafeBuffer(new byte[FrameHeader.FRAME_LENGTH_MAX * 2]);
        final int bodyLength = bodyWriter.write(scratch, FrameHeader.bodyOffset(offset));
        final int frameLength = FrameHeader.write(
            scratch, offset, typeCode, 0, bodyLength, SCHEMA_HASH, SENDER, SEQUENCE, HLC);
        // The signature slot: FrameDecoder never looks inside it, so 64 zero bytes.
        scratch.setMemory(FrameHeader.signatureOffset(offset, frameLength), FrameHeader.SIGNATURE_LENGTH, (byte)0);
        final UnsafeBuffer exact = new UnsafeBuffer(new byte[offset + frameLength]);
        exact.putBytes(0, scratch, 0, offset + frameLength);
        return new Frame(exact, offset, frameLength);
    }

    @FunctionalInterface
    interface BodyWriter {
        /** @return the body length written at {@code bodyOffset}. */
        int write(UnsafeBuffer buffer, int bodyOffset);
    }

    static Frame join(final int offset, final byte[] certificate, final String address) {
        return frame(MessageType.JOIN, offset, (b, at) -> JoinBody.encode(b, at, certificate, address));
    }

    static Frame joinAccept(
        final int offset, final boolean admitted, final byte[] certificate, final String address, final List<Sample> samples) {
        return frame(MessageType.JOIN_ACCEPT, offset, (b, at) -> {
            int length = JoinAcceptBody.encodeStart(b, at, admitted, certificate, address);
            for (final Sample s : samples) {
                length = JoinAcceptBody.appendSample(b, at, length, s.nodeId(), s.address());
            }
            return length;
        });
    }

    static Frame probe(final MessageType type, final int offset, final long probeId) {
        return frame(type, offset, (b, at) -> ProbeBody.encode(b, at, probeId));
    }

    static Frame leave(final int offset, final int reason) {
        return frame(MessageType.LEAVE, offset, (b, at) -> LeaveBody.encode(b, at, reason));
    }

    /** One entry of a join-accept's peer sample. */
    record Sample(long nodeId, String address) {
    }
}
