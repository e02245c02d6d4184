package dev.vigil.wire;

import dev.vigil.wire.TestFrames.Frame;
import dev.vigil.wire.TestFrames.Sample;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The largest frame v1 can produce, a join-accept with a full sample, stays inside the frame bound. */
class JoinAcceptBoundTest {

    @Test
    void fullSampleOfLongestAddressesWithLargestCertificateFitsTheFrameBoundAndChecksOk() {
        final byte[] certificate = new byte[JoinBody.CERTIFICATE_LENGTH_MAX];
        final List<Sample> samples = new ArrayList<>();
        for (int i = 0; i < JoinAcceptBody.SAMPLE_MAX; i++) {
            samples.add(new Sample(i, longestAddress((char)('a' + i))));
        }

        final Frame frame = TestFrames.joinAccept(0, true, certificate, longestAddress('z'), samples);

        final int expected = FrameHeader.FRAME_LENGTH_MIN
            + JoinAcceptBody.CERTIFICATE_OFFSET + JoinBody.CERTIFICATE_LENGTH_MAX + JoinBody.ADDRESS_LENGTH_MAX
            + JoinAcceptBody.SAMPLE_MAX * (JoinAcceptBody.SAMPLE_ENTRY_FIXED_LENGTH + JoinBody.ADDRESS_LENGTH_MAX);
        assertThat(frame.length()).isEqualTo(expected).isLessThanOrEqualTo(FrameHeader.FRAME_LENGTH_MAX);
        // FrameHeader documents the largest v1 frame as under 5 KiB; hold it to that.
        assertThat(frame.length()).isLessThan(5 * 1024);
        assertThat(frame.check()).isEqualTo(FrameStatus.OK);
        assertThat(BodyCodecTest.decodedSamples(frame.buffer(), frame.bodyOffset())).containsExactlyElementsOf(samples);
    }

    @Test
    void appendingBeyondSampleMaxIsRefusedAndLeavesTheBodyWellFormed() {
        final UnsafeBuffer b = new UnsafeBuffer(new byte[FrameHeader.BODY_LENGTH_MAX]);
        int length = JoinAcceptBody.encodeStart(b, 0, false, new byte[] {1}, "a:1");
        for (int i = 0; i < JoinAcceptBody.SAMPLE_MAX; i++) {
            length = JoinAcceptBody.appendSample(b, 0, length, i, longestAddress('q'));
        }
        final int full = length;

        assertThatThrownBy(() -> JoinAcceptBody.appendSample(b, 0, full, 99L, "b:2"))
            .isInstanceOf(IllegalStateException.class);
        assertThat(JoinAcceptBody.sampleCount(b, 0)).isEqualTo(JoinAcceptBody.SAMPLE_MAX);
        assertThat(JoinAcceptBody.isWellFormed(b, 0, full)).isTrue();
    }

    /** A 255-character "host:port" address. */
    private static String longestAddress(final char fill) {
        final String port = ":7400";
        return String.valueOf(fill).repeat(JoinBody.ADDRESS_LENGTH_MAX - port.length()) + port;
    }
}
