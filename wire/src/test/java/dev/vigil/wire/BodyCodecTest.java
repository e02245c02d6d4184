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

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Codec round trips: what an encoder writes, the accessors read back, the body's own
 * well-formedness check accepts it, and the whole frame passes {@link FrameDecoder#check}.
 */
class BodyCodecTest {

    @Property
    void headerAccessorsReadBackEveryFieldWritten(
        @ForAll("frameOffsets") final int offset,
        @ForAll @IntRange(min = 0, max = 255) final int type,
        @ForAll @IntRange(min = 0, max = 0xFFFF) final int flags,
        @ForAll @IntRange(min = 0, max = FrameHeader.BODY_LENGTH_MAX) final int bodyLength,
        @ForAll final int schemaHash,
        @ForAll final long sender,
        @ForAll final long sequence,
        @ForAll final long hlc) {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[offset + FrameHeader.HEADER_LENGTH]);

        final int frameLength = FrameHeader.write(buffer, offset, type, flags, bodyLength, schemaHash, sender, sequence, hlc);

        assertThat(frameLength).isEqualTo(FrameHeader.FRAME_LENGTH_MIN + bodyLength);
        assertThat(FrameHeader.magic(buffer, offset)).isEqualTo(FrameHeader.MAGIC);
        assertThat(FrameHeader.version(buffer, offset)).isEqualTo(FrameHeader.VERSION);
        assertThat(FrameHeader.type(buffer, offset)).isEqualTo(type);
        assertThat(FrameHeader.flags(buffer, offset)).isEqualTo(flags);
        assertThat(FrameHeader.frameLength(buffer, offset)).isEqualTo(frameLength);
        assertThat(FrameHeader.schemaHash(buffer, offset)).isEqualTo(schemaHash);
        assertThat(FrameHeader.sender(buffer, offset)).isEqualTo(sender);
        assertThat(FrameHeader.sequence(buffer, offset)).isEqualTo(sequence);
        assertThat(FrameHeader.hlc(buffer, offset)).isEqualTo(hlc);
        assertThat(FrameHeader.bodyLength(frameLength)).isEqualTo(bodyLength);
        assertThat(FrameHeader.signedLength(frameLength)).isEqualTo(FrameHeader.HEADER_LENGTH + bodyLength);
        assertThat(FrameHeader.signatureOffset(offset, frameLength)).isEqualTo(offset + FrameHeader.HEADER_LENGTH + bodyLength);
    }

    @Example
    void magicSpellsViglInWireOrder() {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[FrameHeader.HEADER_LENGTH]);
        FrameHeader.write(buffer, 0, MessageType.PING.code, 0, 0, 0, 0, 0, 0);

        final byte[] magic = new byte[4];
        buffer.getBytes(FrameHeader.MAGIC_OFFSET, magic);
        assertThat(new String(magic, StandardCharsets.US_ASCII)).isEqualTo("VIGL");
    }

    @Example
    void headerWriteRejectsBodyLengthsOutsideTheFrameBound() {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[FrameHeader.HEADER_LENGTH]);

        assertThatThrownBy(() -> FrameHeader.write(buffer, 0, 1, 0, -1, 0, 0, 0, 0))
            .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> FrameHeader.write(buffer, 0, 1, 0, FrameHeader.BODY_LENGTH_MAX + 1, 0, 0, 0, 0))
            .isInstanceOf(IllegalArgumentException.class);
    }

    @Property
    void joinBodyRoundTrips(
        @ForAll("frameOffsets") final int offset,
        @ForAll("certificates") final byte[] certificate,
        @ForAll("addresses") final String address) {
        final Frame frame = TestFrames.join(offset, certificate, address);
        final UnsafeBuffer b = frame.buffer();
        final int body = frame.bodyOffset();

        assertThat(JoinBody.isWellFormed(b, body, frame.bodyLength())).isTrue();
        assertThat(frame.bodyLength()).isEqualTo(JoinBody.bodyLength(certificate, address.getBytes(StandardCharsets.US_ASCII)));
        assertThat(JoinBody.certificateLength(b, body)).isEqualTo(certificate.length);
        assertThat(bytesAt(b, JoinBody.certificateOffset(body), JoinBody.certificateLength(b, body))).isEqualTo(certificate);
        assertThat(JoinBody.addressLength(b, body)).isEqualTo(address.length());
        assertThat(JoinBody.address(b, body)).isEqualTo(address);
        assertThat(FrameHeader.type(b, offset)).isEqualTo(MessageType.JOIN.code);
        assertThat(frame.check()).isEqualTo(FrameStatus.OK);
    }

    @Property
    void joinAcceptBodyRoundTrips(
        @ForAll("frameOffsets") final int offset,
        @ForAll final boolean admitted,
        @ForAll("certificates") final byte[] certificate,
        @ForAll("addresses") final String address,
        @ForAll("sampleLists") final List<Sample> samples) {
        final Frame frame = TestFrames.joinAccept(offset, admitted, certificate, address, samples);
        final UnsafeBuffer b = frame.buffer();
        final int body = frame.bodyOffset();

        assertThat(JoinAcceptBody.isWellFormed(b, body, frame.bodyLength())).isTrue();
        assertThat(JoinAcceptBody.admitted(b, body)).isEqualTo(admitted);
        assertThat(JoinAcceptBody.certificateLength(b, body)).isEqualTo(certificate.length);
        assertThat(bytesAt(b, JoinAcceptBody.certificateOffset(body), JoinAcceptBody.certificateLength(b, body)))
            .isEqualTo(certificate);
        assertThat(JoinAcceptBody.addressLength(b, body)).isEqualTo(address.length());
        assertThat(JoinAcceptBody.address(b, body)).isEqualTo(address);
        assertThat(JoinAcceptBody.sampleCount(b, body)).isEqualTo(samples.size());
        assertThat(decodedSamples(b, body)).containsExactlyElementsOf(samples);
        assertThat(frame.check()).isEqualTo(FrameStatus.OK);
    }

    @Property
    void encodeStartAlonePlusAppendedSamplesGivesTheBodyLength(
        @ForAll("certificates") final byte[] certificate,
        @ForAll("addresses") final String address,
        @ForAll("sampleLists") final List<Sample> samples) {
        final UnsafeBuffer b = new UnsafeBuffer(new byte[FrameHeader.BODY_LENGTH_MAX]);

        int length = JoinAcceptBody.encodeStart(b, 0, false, certificate, address);
        int expected = JoinAcceptBody.CERTIFICATE_OFFSET + certificate.length + address.length();
        assertThat(length).isEqualTo(expected);
        for (final Sample s : samples) {
            length = JoinAcceptBody.appendSample(b, 0, length, s.nodeId(), s.address());
            expected += JoinAcceptBody.SAMPLE_ENTRY_FIXED_LENGTH + s.address().length();
            assertThat(length).isEqualTo(expected);
            // Every intermediate state is itself a complete, well-formed body.
            assertThat(JoinAcceptBody.isWellFormed(b, 0, length)).isTrue();
        }
    }

    @Property
    void probeBodyRoundTripsForPingAndAck(
        @ForAll("frameOffsets") final int offset,
        @ForAll("probeTypes") final MessageType type,
        @ForAll final long probeId) {
        final Frame frame = TestFrames.probe(type, offset, probeId);

        assertThat(frame.bodyLength()).isEqualTo(ProbeBody.LENGTH);
        assertThat(ProbeBody.isWellFormed(frame.bodyLength())).isTrue();
        assertThat(ProbeBody.probeId(frame.buffer(), frame.bodyOffset())).isEqualTo(probeId);
        assertThat(FrameHeader.type(frame.buffer(), offset)).isEqualTo(type.code);
        assertThat(frame.check()).isEqualTo(FrameStatus.OK);
    }

    @Property
    void leaveBodyRoundTripsForEveryDefinedReason(
        @ForAll("frameOffsets") final int offset,
        @ForAll("leaveReasons") final int reason) {
        final Frame frame = TestFrames.leave(offset, reason);

        assertThat(frame.bodyLength()).isEqualTo(LeaveBody.LENGTH);
        assertThat(LeaveBody.isWellFormed(frame.buffer(), frame.bodyOffset(), frame.bodyLength())).isTrue();
        assertThat(LeaveBody.reason(frame.buffer(), frame.bodyOffset())).isEqualTo(reason);
        assertThat(frame.check()).isEqualTo(FrameStatus.OK);
    }

    @Property
    void leaveBodyWithAnUndefinedReasonIsNotWellFormed(@ForAll @IntRange(min = 0, max = 255) final int reason) {
        final UnsafeBuffer b = new UnsafeBuffer(new byte[LeaveBody.LENGTH]);
        LeaveBody.encode(b, 0, reason);

        final boolean defined = reason == LeaveBody.REASON_SHUTDOWN || reason == LeaveBody.REASON_NO_ROOM;
        assertThat(LeaveBody.isWellFormed(b, 0, LeaveBody.LENGTH)).isEqualTo(defined);
    }

    @Property
    void encodersRefuseAddressesWithSpacesOrControlBytes(
        @ForAll("addresses") final String address,
        @ForAll @IntRange(min = 0, max = 254) final int at,
        @ForAll("unprintableAscii") final char bad) {
        final int index = at % address.length();
        final String spoiled = address.substring(0, index) + bad + address.substring(index + 1);
        final UnsafeBuffer b = new UnsafeBuffer(new byte[FrameHeader.BODY_LENGTH_MAX]);

        assertThatThrownBy(() -> JoinBody.encode(b, 0, new byte[] {1}, spoiled)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> JoinAcceptBody.encodeStart(b, 0, true, new byte[] {1}, spoiled))
            .isInstanceOf(IllegalArgumentException.class);
        final int length = JoinAcceptBody.encodeStart(b, 0, true, new byte[] {1}, "a:1");
        assertThatThrownBy(() -> JoinAcceptBody.appendSample(b, 0, length, 7L, spoiled))
            .isInstanceOf(IllegalArgumentException.class);
    }

    @Example
    void encodersRefuseEmptyOrOverlongCertificatesAndAddresses() {
        final UnsafeBuffer b = new UnsafeBuffer(new byte[FrameHeader.BODY_LENGTH_MAX]);
        final byte[] tooLong = new byte[JoinBody.CERTIFICATE_LENGTH_MAX + 1];
        final String longAddress = "a".repeat(JoinBody.ADDRESS_LENGTH_MAX + 1);

        assertThatThrownBy(() -> JoinBody.encode(b, 0, new byte[0], "a:1")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> JoinBody.encode(b, 0, tooLong, "a:1")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> JoinBody.encode(b, 0, new byte[] {1}, "")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> JoinBody.encode(b, 0, new byte[] {1}, longAddress)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> JoinAcceptBody.encodeStart(b, 0, true, new byte[0], "a:1"))
            .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> JoinAcceptBody.encodeStart(b, 0, true, tooLong, "a:1"))
            .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> JoinAcceptBody.encodeStart(b, 0, true, new byte[] {1}, longAddress))
            .isInstanceOf(IllegalArgumentException.class);
    }

    @Provide
    Arbitrary<Integer> frameOffsets() {
        return WireArbitraries.frameOffsets();
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

    @Provide
    Arbitrary<MessageType> probeTypes() {
        return Arbitraries.of(MessageType.PING, MessageType.ACK);
    }

    @Provide
    Arbitrary<Integer> leaveReasons() {
        return Arbitraries.of(LeaveBody.REASON_SHUTDOWN, LeaveBody.REASON_NO_ROOM);
    }

    @Provide
    Arbitrary<Character> unprintableAscii() {
        return Arbitraries.oneOf(Arbitraries.chars().range((char)0, ' '), Arbitraries.just((char)0x7F));
    }

    static byte[] bytesAt(final UnsafeBuffer buffer, final int offset, final int length) {
        final byte[] bytes = new byte[length];
        buffer.getBytes(offset, bytes);
        return bytes;
    }

    static List<Sample> decodedSamples(final UnsafeBuffer buffer, final int bodyOffset) {
        final List<Sample> decoded = new ArrayList<>();
        JoinAcceptBody.forEachSample(buffer, bodyOffset, (nodeId, address) -> decoded.add(new Sample(nodeId, address)));
        return decoded;
    }
}
