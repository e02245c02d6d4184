package dev.vigil.wire;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Frames whose body starts with an introduction (the sender's certificate and address): the
 * decoder checks the introduction, then the message body behind it.
 */
class IntroductionTest {
    private static final byte[] CERTIFICATE = filled(136, (byte)0x5A);
    private static final String ADDRESS = "10.2.0.7:7400";
    private static final int INTRODUCTION_LENGTH = JoinBody.CERTIFICATE_OFFSET + CERTIFICATE.length + ADDRESS.length();

    @Test
    void anIntroducedTreePingDecodesAndItsPartsReadBack() {
        final TestFrames.Frame frame = introduced(MessageType.TREE_PING, 3, CERTIFICATE, ADDRESS, IntroductionTest::treePing);
        assertThat(frame.check()).isEqualTo(FrameStatus.OK);
        final int body = frame.bodyOffset();
        assertThat(Introduction.length(frame.buffer(), body, frame.bodyLength())).isEqualTo(INTRODUCTION_LENGTH);
        assertThat(Introduction.certificateOffset(body)).isEqualTo(body + JoinBody.CERTIFICATE_OFFSET);
        assertThat(Introduction.certificateLength(frame.buffer(), body)).isEqualTo(CERTIFICATE.length);
        assertThat(Introduction.address(frame.buffer(), body)).isEqualTo(ADDRESS);
        final int ping = body + INTRODUCTION_LENGTH;
        assertThat(TreeProbeBody.level(frame.buffer(), ping)).isEqualTo(TreeWire.LEVEL_ANY);
        assertThat(TreeProbeBody.probeId(frame.buffer(), ping)).isEqualTo(77L);
    }

    @Test
    void anIntroductionMayFillTheWholeBodyButNotOverrunIt() {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[512]);
        buffer.setMemory(0, 512, (byte)0x7E);
        final int length = Introduction.encode(buffer, 9, CERTIFICATE, ADDRESS);
        assertThat(length).isEqualTo(INTRODUCTION_LENGTH);
        assertThat(Introduction.length(buffer, 9, length)).isEqualTo(length);
        assertThat(Introduction.length(buffer, 9, length + 40)).as("a message body may follow").isEqualTo(length);
        assertThat(Introduction.length(buffer, 9, length - 1)).isEqualTo(-1);
        assertThat(Introduction.length(buffer, 9, JoinBody.CERTIFICATE_OFFSET - 1)).isEqualTo(-1);
        buffer.putByte(9 + 3, (byte)1); // the reserved byte
        assertThat(Introduction.length(buffer, 9, length)).isEqualTo(-1);
    }

    @Test
    void aBrokenIntroductionOrAMessageBodyThatDoesNotFitBehindItIsMalformed() {
        final TestFrames.Frame shortBody = introduced(MessageType.TREE_PING, 0, CERTIFICATE, ADDRESS,
            (b, at) -> treePing(b, at) - 1);
        assertThat(shortBody.check()).isEqualTo(FrameStatus.MALFORMED_BODY);

        final TestFrames.Frame badAddress = introduced(MessageType.TREE_PING, 0, CERTIFICATE, ADDRESS, IntroductionTest::treePing)
            .withByteXor(FrameHeader.HEADER_LENGTH + JoinBody.CERTIFICATE_OFFSET + CERTIFICATE.length, 0x80);
        assertThat(badAddress.check()).isEqualTo(FrameStatus.MALFORMED_BODY);
    }

    @Test
    void onlyIntroducibleTypesMayCarryTheFlagAndNoOtherFlagIsDefined() {
        final TestFrames.Frame join = TestFrames.join(0, CERTIFICATE, ADDRESS);
        assertThat(join.check()).isEqualTo(FrameStatus.OK);
        assertThat(withFlags(join, FrameHeader.FLAG_INTRODUCTION).check()).isEqualTo(FrameStatus.MALFORMED_BODY);

        final TestFrames.Frame plainPing = TestFrames.frame(MessageType.TREE_PING, 0, IntroductionTest::treePing);
        assertThat(plainPing.check()).isEqualTo(FrameStatus.OK);
        assertThat(withFlags(plainPing, FrameHeader.FLAG_INTRODUCTION).check())
            .as("the flag without an introduction").isEqualTo(FrameStatus.MALFORMED_BODY);
        assertThat(withFlags(plainPing, FrameHeader.FLAG_INTRODUCTION << 1).check()).isEqualTo(FrameStatus.MALFORMED_BODY);
    }

    private static int treePing(final UnsafeBuffer b, final int at) {
        final WireWriter w = new WireWriter().wrap(b, at);
        TreeProbeBody.write(w, TreeWire.LEVEL_ANY, 77L, 0, 0);
        return w.length();
    }

    /** A frame of {@code type} whose body is an introduction followed by what {@code body} writes. */
    private static TestFrames.Frame introduced(final MessageType type, final int offset, final byte[] certificate,
                                               final String address, final TestFrames.BodyWriter body) {
        final TestFrames.Frame frame = TestFrames.frame(type, offset, (b, at) -> {
            final int introduction = Introduction.encode(b, at, certificate, address);
            return introduction + body.write(b, at + introduction);
        });
        return withFlags(frame, FrameHeader.FLAG_INTRODUCTION);
    }

    private static TestFrames.Frame withFlags(final TestFrames.Frame frame, final int flags) {
        final TestFrames.Frame copy = frame.copy(0);
        copy.buffer().putShort(copy.offset() + FrameHeader.FLAGS_OFFSET, (short)flags, java.nio.ByteOrder.LITTLE_ENDIAN);
        return copy;
    }

    private static byte[] filled(final int length, final byte value) {
        final byte[] bytes = new byte[length];
        Arrays.fill(bytes, value);
        return bytes;
    }
}
