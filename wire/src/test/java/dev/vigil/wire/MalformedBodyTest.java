package dev.vigil.wire;

import dev.vigil.wire.TestFrames.Frame;
import dev.vigil.wire.TestFrames.Sample;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.List;

import static java.nio.ByteOrder.LITTLE_ENDIAN;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A frame whose header is right but whose body breaks its layout is {@link FrameStatus#MALFORMED_BODY};
 * bytes the layout declares opaque (certificates, probe ids, sample node ids) never are.
 */
class MalformedBodyTest {

    // ---- join ----

    @Property
    void joinAddressWithASpaceControlOrNonAsciiByteIsMalformed(
        @ForAll("joinFrames") final Frame frame,
        @ForAll @IntRange(min = 0, max = 254) final int pick,
        @ForAll("unprintableBytes") final byte bad) {
        final UnsafeBuffer b = frame.buffer();
        final int body = frame.bodyOffset();
        final int addressAt = JoinBody.certificateOffset(body) + JoinBody.certificateLength(b, body);
        b.putByte(addressAt + pick % JoinBody.addressLength(b, body), bad);

        assertThat(frame.check()).isEqualTo(FrameStatus.MALFORMED_BODY);
    }

    @Property
    void joinCertificateBytesAreOpaque(
        @ForAll("joinFrames") final Frame frame,
        @ForAll @IntRange(min = 0, max = 511) final int pick,
        @ForAll @IntRange(min = 1, max = 255) final int mask) {
        final int certificateLength = JoinBody.certificateLength(frame.buffer(), frame.bodyOffset());
        final int at = JoinBody.certificateOffset(FrameHeader.HEADER_LENGTH) + pick % certificateLength;

        assertThat(frame.withByteXor(at, mask).check()).isEqualTo(FrameStatus.OK);
    }

    @Property
    void joinLengthFieldsThatDisagreeWithTheBodyAreMalformed(
        @ForAll("joinFrames") final Frame frame,
        @ForAll @IntRange(min = 1, max = 255) final int mask,
        @ForAll final boolean certificateField) {
        // Any change to either length makes certificate + address differ from the body length.
        final int at = FrameHeader.HEADER_LENGTH + (certificateField ? JoinBody.CERTIFICATE_LENGTH_OFFSET : JoinBody.ADDRESS_LENGTH_OFFSET);

        assertThat(frame.withByteXor(at, mask).check()).isEqualTo(FrameStatus.MALFORMED_BODY);
    }

    @Property
    void joinReservedByteMustBeZero(@ForAll("joinFrames") final Frame frame, @ForAll @IntRange(min = 1, max = 255) final int mask) {
        assertThat(frame.withByteXor(FrameHeader.HEADER_LENGTH + 3, mask).check()).isEqualTo(FrameStatus.MALFORMED_BODY);
    }

    @Example
    void joinWithAnEmptyCertificateOrAddressIsMalformed() {
        // certificate length 0, address "a:1" (3 bytes): body = 4 + 0 + 3
        final Frame noCertificate = TestFrames.frame(MessageType.JOIN, 0, (b, at) -> {
            b.putShort(at, (short)0, LITTLE_ENDIAN);
            b.putByte(at + 2, (byte)3);
            b.putBytes(at + 4, "a:1".getBytes());
            return 7;
        });
        // certificate of 3 bytes, address length 0: body = 4 + 3 + 0
        final Frame noAddress = TestFrames.frame(MessageType.JOIN, 0, (b, at) -> {
            b.putShort(at, (short)3, LITTLE_ENDIAN);
            b.putByte(at + 2, (byte)0);
            return 7;
        });

        assertThat(noCertificate.check()).isEqualTo(FrameStatus.MALFORMED_BODY);
        assertThat(noAddress.check()).isEqualTo(FrameStatus.MALFORMED_BODY);
    }

    @Example
    void joinWithACertificateOverTheBoundIsMalformedEvenWhenLengthsAddUp() {
        final int certificateLength = JoinBody.CERTIFICATE_LENGTH_MAX + 1;
        final Frame frame = TestFrames.frame(MessageType.JOIN, 0, (b, at) -> {
            b.putShort(at, (short)certificateLength, LITTLE_ENDIAN);
            b.putByte(at + 2, (byte)3);
            b.putBytes(at + 4 + certificateLength, "a:1".getBytes());
            return 4 + certificateLength + 3;
        });

        assertThat(frame.check()).isEqualTo(FrameStatus.MALFORMED_BODY);
    }

    // ---- join-accept ----

    @Property
    void joinAcceptFlagsOtherThanAdmittedAreMalformed(
        @ForAll("joinAcceptFrames") final Frame frame,
        @ForAll @IntRange(min = 1, max = 127) final int high) {
        final int at = FrameHeader.HEADER_LENGTH + JoinAcceptBody.FLAGS_OFFSET;

        assertThat(frame.withByteXor(at, high << 1).check()).isEqualTo(FrameStatus.MALFORMED_BODY);
    }

    @Property
    void joinAcceptAdmittedFlagIsFreeToFlip(@ForAll("joinAcceptFrames") final Frame frame) {
        final Frame flipped = frame.withByteXor(FrameHeader.HEADER_LENGTH + JoinAcceptBody.FLAGS_OFFSET, JoinAcceptBody.FLAG_ADMITTED);

        assertThat(flipped.check()).isEqualTo(FrameStatus.OK);
        assertThat(JoinAcceptBody.admitted(flipped.buffer(), flipped.bodyOffset()))
            .isNotEqualTo(JoinAcceptBody.admitted(frame.buffer(), frame.bodyOffset()));
    }

    @Property
    void joinAcceptSampleCountThatDisagreesWithTheEntriesIsMalformed(
        @ForAll("joinAcceptFrames") final Frame frame,
        @ForAll @IntRange(min = 0, max = 255) final int count) {
        final int actual = JoinAcceptBody.sampleCount(frame.buffer(), frame.bodyOffset());
        frame.buffer().putByte(frame.bodyOffset() + JoinAcceptBody.SAMPLE_COUNT_OFFSET, (byte)count);

        assertThat(frame.check()).isEqualTo(count == actual ? FrameStatus.OK : FrameStatus.MALFORMED_BODY);
    }

    @Property
    void joinAcceptReservedBytesMustBeZero(
        @ForAll("joinAcceptFrames") final Frame frame,
        @ForAll @IntRange(min = 5, max = 7) final int index,
        @ForAll @IntRange(min = 1, max = 255) final int mask) {
        assertThat(frame.withByteXor(FrameHeader.HEADER_LENGTH + index, mask).check()).isEqualTo(FrameStatus.MALFORMED_BODY);
    }

    @Property
    void joinAcceptSenderAddressWithAnUnprintableByteIsMalformed(
        @ForAll("joinAcceptFrames") final Frame frame,
        @ForAll @IntRange(min = 0, max = 254) final int pick,
        @ForAll("unprintableBytes") final byte bad) {
        final UnsafeBuffer b = frame.buffer();
        final int body = frame.bodyOffset();
        final int addressAt = JoinAcceptBody.certificateOffset(body) + JoinAcceptBody.certificateLength(b, body);
        b.putByte(addressAt + pick % JoinAcceptBody.addressLength(b, body), bad);

        assertThat(frame.check()).isEqualTo(FrameStatus.MALFORMED_BODY);
    }

    @Example
    void joinAcceptWithAnEmptyOrOverlongCertificateIsMalformed() {
        for (final int certificateLength : new int[] {0, JoinBody.CERTIFICATE_LENGTH_MAX + 1}) {
            final Frame frame = TestFrames.frame(MessageType.JOIN_ACCEPT, 0, (b, at) -> {
                final int length = JoinAcceptBody.encodeStart(b, at, true, new byte[] {1}, "a:1");
                b.putShort(at + JoinAcceptBody.CERTIFICATE_LENGTH_OFFSET, (short)certificateLength, LITTLE_ENDIAN);
                b.putBytes(at + JoinAcceptBody.CERTIFICATE_OFFSET + certificateLength, "a:1".getBytes());
                return length - 1 + certificateLength;
            });

            assertThat(frame.check()).as("certificate of %d bytes", certificateLength).isEqualTo(FrameStatus.MALFORMED_BODY);
        }
    }

    @Example
    void joinAcceptWithAnEmptySenderAddressIsMalformed() {
        final Frame frame = TestFrames.frame(MessageType.JOIN_ACCEPT, 0, (b, at) -> {
            final int length = JoinAcceptBody.encodeStart(b, at, true, new byte[] {1, 2, 3}, "a");
            b.putByte(at + JoinAcceptBody.ADDRESS_LENGTH_OFFSET, (byte)0);
            return length - 1;
        });

        assertThat(frame.check()).isEqualTo(FrameStatus.MALFORMED_BODY);
    }

    @Property
    void joinAcceptSampleAddressWithAnUnprintableByteIsMalformed(
        @ForAll("joinAcceptFramesWithSamples") final Frame frame,
        @ForAll @IntRange(min = 0, max = 1_000_000) final int pick,
        @ForAll("unprintableBytes") final byte bad) {
        final int[] addressBytes = sampleAddressByteOffsets(frame);
        frame.buffer().putByte(addressBytes[pick % addressBytes.length], bad);

        assertThat(frame.check()).isEqualTo(FrameStatus.MALFORMED_BODY);
    }

    @Property
    void joinAcceptSampleNodeIdsAreOpaque(
        @ForAll("joinAcceptFramesWithSamples") final Frame frame,
        @ForAll @IntRange(min = 0, max = 1_000_000) final int pick,
        @ForAll final long nodeId) {
        final UnsafeBuffer b = frame.buffer();
        final int body = frame.bodyOffset();
        int at = JoinAcceptBody.certificateOffset(body) + JoinAcceptBody.certificateLength(b, body) + JoinAcceptBody.addressLength(b, body);
        for (int i = pick % JoinAcceptBody.sampleCount(b, body); i > 0; i--) {
            at += JoinAcceptBody.SAMPLE_ENTRY_FIXED_LENGTH + (b.getByte(at + 8) & 0xFF);
        }
        b.putLong(at, nodeId, LITTLE_ENDIAN);

        assertThat(frame.check()).isEqualTo(FrameStatus.OK);
    }

    @Property
    void joinAcceptWithBytesAfterTheLastSampleIsMalformed(
        @ForAll("certificates") final byte[] certificate,
        @ForAll("addresses") final String address,
        @ForAll("sampleLists") final List<Sample> samples,
        @ForAll @IntRange(min = 1, max = 300) final int trailing) {
        final Frame frame = TestFrames.frame(MessageType.JOIN_ACCEPT, 0, (b, at) -> {
            int length = JoinAcceptBody.encodeStart(b, at, true, certificate, address);
            for (final Sample s : samples) {
                length = JoinAcceptBody.appendSample(b, at, length, s.nodeId(), s.address());
            }
            // Printable filler, so only the length disagreement can be what is wrong.
            b.setMemory(at + length, trailing, (byte)'x');
            return length + trailing;
        });

        assertThat(frame.check()).isEqualTo(FrameStatus.MALFORMED_BODY);
    }

    @Example
    void joinAcceptClaimingMoreThanSampleMaxEntriesIsMalformedEvenWhenTheyArePresent() {
        final int count = JoinAcceptBody.SAMPLE_MAX + 1;
        final Frame frame = TestFrames.frame(MessageType.JOIN_ACCEPT, 0, (b, at) -> {
            int length = JoinAcceptBody.encodeStart(b, at, true, new byte[] {1, 2, 3}, "a:1");
            for (int i = 0; i < JoinAcceptBody.SAMPLE_MAX; i++) {
                length = JoinAcceptBody.appendSample(b, at, length, i, "n" + i + ":7400");
            }
            // append the seventeenth entry by hand: the encoder refuses to
            b.putLong(at + length, 99L, LITTLE_ENDIAN);
            b.putByte(at + length + 8, (byte)3);
            b.putBytes(at + length + 9, "z:1".getBytes());
            b.putByte(at + JoinAcceptBody.SAMPLE_COUNT_OFFSET, (byte)count);
            return length + 12;
        });

        assertThat(frame.check()).isEqualTo(FrameStatus.MALFORMED_BODY);
    }

    @Example
    void joinAcceptSampleEntryWithAnEmptyAddressIsMalformed() {
        final Frame frame = TestFrames.frame(MessageType.JOIN_ACCEPT, 0, (b, at) -> {
            final int length = JoinAcceptBody.encodeStart(b, at, true, new byte[] {1, 2, 3}, "a:1");
            b.putLong(at + length, 5L, LITTLE_ENDIAN);
            b.putByte(at + length + 8, (byte)0);
            b.putByte(at + JoinAcceptBody.SAMPLE_COUNT_OFFSET, (byte)1);
            return length + JoinAcceptBody.SAMPLE_ENTRY_FIXED_LENGTH;
        });

        assertThat(frame.check()).isEqualTo(FrameStatus.MALFORMED_BODY);
    }

    @Example
    void joinAcceptShorterThanItsFixedPartIsMalformed() {
        for (int bodyLength = 0; bodyLength < JoinAcceptBody.CERTIFICATE_OFFSET; bodyLength++) {
            final int length = bodyLength;
            final Frame frame = TestFrames.frame(MessageType.JOIN_ACCEPT, 0, (b, at) -> length);

            assertThat(frame.check()).as("body of %d bytes", length).isEqualTo(FrameStatus.MALFORMED_BODY);
        }
    }

    // ---- ping, ack, leave ----

    @Property
    void probeBodyOfAnyLengthButEightIsMalformed(
        @ForAll("probeTypes") final MessageType type,
        @ForAll @IntRange(min = 0, max = 64) final int bodyLength) {
        final Frame frame = TestFrames.frame(type, 0, (b, at) -> bodyLength);

        assertThat(frame.check()).isEqualTo(bodyLength == ProbeBody.LENGTH ? FrameStatus.OK : FrameStatus.MALFORMED_BODY);
    }

    @Property
    void leaveReasonOutsideTheDefinedOnesIsMalformed(
        @ForAll("leaveFrames") final Frame frame,
        @ForAll @IntRange(min = 0, max = 255) final int reason) {
        frame.buffer().putByte(frame.bodyOffset() + LeaveBody.REASON_OFFSET, (byte)reason);

        final boolean defined = reason == LeaveBody.REASON_SHUTDOWN || reason == LeaveBody.REASON_NO_ROOM;
        assertThat(frame.check()).isEqualTo(defined ? FrameStatus.OK : FrameStatus.MALFORMED_BODY);
    }

    @Property
    void leaveReservedBytesMustBeZero(
        @ForAll("leaveFrames") final Frame frame,
        @ForAll @IntRange(min = 1, max = 3) final int index,
        @ForAll @IntRange(min = 1, max = 255) final int mask) {
        assertThat(frame.withByteXor(FrameHeader.HEADER_LENGTH + index, mask).check()).isEqualTo(FrameStatus.MALFORMED_BODY);
    }

    @Property
    void leaveBodyOfAnyLengthButFourIsMalformed(@ForAll @IntRange(min = 0, max = 64) final int bodyLength) {
        final Frame frame = TestFrames.frame(MessageType.LEAVE, 0, (b, at) -> {
            LeaveBody.encode(b, at, LeaveBody.REASON_SHUTDOWN);
            return bodyLength;
        });

        assertThat(frame.check()).isEqualTo(bodyLength == LeaveBody.LENGTH ? FrameStatus.OK : FrameStatus.MALFORMED_BODY);
    }

    // ---- helpers and generators ----

    private static int[] sampleAddressByteOffsets(final Frame frame) {
        final UnsafeBuffer b = frame.buffer();
        final int body = frame.bodyOffset();
        final int count = JoinAcceptBody.sampleCount(b, body);
        int at = JoinAcceptBody.certificateOffset(body) + JoinAcceptBody.certificateLength(b, body) + JoinAcceptBody.addressLength(b, body);
        final int[] offsets = new int[FrameHeader.BODY_LENGTH_MAX];
        int n = 0;
        for (int i = 0; i < count; i++) {
            final int addressLength = b.getByte(at + 8) & 0xFF;
            for (int j = 0; j < addressLength; j++) {
                offsets[n++] = at + JoinAcceptBody.SAMPLE_ENTRY_FIXED_LENGTH + j;
            }
            at += JoinAcceptBody.SAMPLE_ENTRY_FIXED_LENGTH + addressLength;
        }
        return java.util.Arrays.copyOf(offsets, n);
    }

    @Provide
    Arbitrary<Frame> joinFrames() {
        return WireArbitraries.joinFrames();
    }

    @Provide
    Arbitrary<Frame> joinAcceptFrames() {
        return WireArbitraries.joinAcceptFrames();
    }

    @Provide
    Arbitrary<Frame> joinAcceptFramesWithSamples() {
        return WireArbitraries.joinAcceptFrames().filter(f -> JoinAcceptBody.sampleCount(f.buffer(), f.bodyOffset()) > 0);
    }

    @Provide
    Arbitrary<Frame> leaveFrames() {
        return WireArbitraries.leaveFrames();
    }

    @Provide
    Arbitrary<MessageType> probeTypes() {
        return Arbitraries.of(MessageType.PING, MessageType.ACK);
    }

    @Provide
    Arbitrary<byte[]> certificates() {
        return WireArbitraries.certificates();
    }

    @Provide
    Arbitrary<String> addresses() {
        return WireArbitraries.addresses();
    }

    @Provide
    Arbitrary<List<Sample>> sampleLists() {
        return WireArbitraries.samples().list().ofMaxSize(JoinAcceptBody.SAMPLE_MAX);
    }

    /** Bytes an address may not hold: controls, space, DEL and everything above ASCII. */
    @Provide
    Arbitrary<Byte> unprintableBytes() {
        return Arbitraries.integers().between(0, 255).filter(v -> v < 0x21 || v > 0x7E).map(v -> (byte)(int)v);
    }
}
