package dev.vigil.wire;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Encoders write every byte of their body, reserved ones included: senders reuse one scratch
 * buffer, so a body encoded over the leftovers of a longer frame must still be well formed and
 * read back exactly.
 */
class DirtyBufferEncodingTest {
    private static final int AT = 11;
    private static final byte[] CERTIFICATE = new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9};

    private static UnsafeBuffer dirty() {
        final byte[] bytes = new byte[4096];
        Arrays.fill(bytes, (byte)0xFF);
        return new UnsafeBuffer(bytes);
    }

    @Test
    void joinBody() {
        final UnsafeBuffer b = dirty();
        final int length = JoinBody.encode(b, AT, CERTIFICATE, "n1:7400");
        assertThat(length).isEqualTo(4 + 9 + 7);
        assertThat(JoinBody.isWellFormed(b, AT, length)).isTrue();
        assertThat(JoinBody.certificateLength(b, AT)).isEqualTo(9);
        assertThat(JoinBody.addressLength(b, AT)).isEqualTo(7);
        assertThat(JoinBody.address(b, AT)).isEqualTo("n1:7400");
        assertThat(b.getByte(JoinBody.certificateOffset(AT))).isEqualTo((byte)1);
    }

    @Test
    void joinAcceptBodyWithItsSample() {
        final UnsafeBuffer b = dirty();
        int length = JoinAcceptBody.encodeStart(b, AT, false, CERTIFICATE, "n2:7400");
        assertThat(length).isEqualTo(8 + 9 + 7);
        assertThat(JoinAcceptBody.sampleCount(b, AT)).isZero();
        assertThat(JoinAcceptBody.admitted(b, AT)).isFalse();
        assertThat(JoinAcceptBody.isWellFormed(b, AT, length)).isTrue();
        length = JoinAcceptBody.appendSample(b, AT, length, 0x1122_3344_5566_7788L, "s:1");
        length = JoinAcceptBody.appendSample(b, AT, length, -5L, "s:22");
        assertThat(length).isEqualTo(8 + 9 + 7 + (9 + 3) + (9 + 4));
        assertThat(JoinAcceptBody.isWellFormed(b, AT, length)).isTrue();
        assertThat(JoinAcceptBody.isWellFormed(b, AT, length - 1)).isFalse();
        assertThat(JoinAcceptBody.isWellFormed(b, AT, length + 1)).isFalse();
        assertThat(JoinAcceptBody.address(b, AT)).isEqualTo("n2:7400");
        final List<String> samples = new ArrayList<>();
        JoinAcceptBody.forEachSample(b, AT, (id, address) -> samples.add(Long.toHexString(id) + "@" + address));
        assertThat(samples).containsExactly("1122334455667788@s:1", "fffffffffffffffb@s:22");

        final UnsafeBuffer admitted = dirty();
        final int admittedLength = JoinAcceptBody.encodeStart(admitted, AT, true, CERTIFICATE, "n2:7400");
        assertThat(JoinAcceptBody.admitted(admitted, AT)).isTrue();
        assertThat(JoinAcceptBody.isWellFormed(admitted, AT, admittedLength)).isTrue();
    }

    @Test
    void aSampleEntryCutShortIsMalformed() {
        final UnsafeBuffer b = dirty();
        int length = JoinAcceptBody.encodeStart(b, AT, true, CERTIFICATE, "n2:7400");
        final int start = length;
        length = JoinAcceptBody.appendSample(b, AT, length, 9L, "s:1");
        // the entry's fixed part alone (id and address length) is not an entry
        assertThat(JoinAcceptBody.isWellFormed(b, AT, start + JoinAcceptBody.SAMPLE_ENTRY_FIXED_LENGTH)).isFalse();
        assertThat(JoinAcceptBody.isWellFormed(b, AT, start + JoinAcceptBody.SAMPLE_ENTRY_FIXED_LENGTH - 1)).isFalse();
        assertThat(JoinAcceptBody.isWellFormed(b, AT, length)).isTrue();
    }

    @Test
    void leaveBody() {
        final UnsafeBuffer b = dirty();
        assertThat(LeaveBody.encode(b, AT, LeaveBody.REASON_NO_ROOM)).isEqualTo(LeaveBody.LENGTH);
        assertThat(LeaveBody.reason(b, AT)).isEqualTo(LeaveBody.REASON_NO_ROOM);
        assertThat(LeaveBody.isWellFormed(b, AT, LeaveBody.LENGTH)).isTrue();
        assertThat(b.getByte(AT + LeaveBody.LENGTH)).as("nothing written past the body").isEqualTo((byte)0xFF);
    }

    @Test
    void probeBodyZeroesTheCoordinateForTheSenderToFill() {
        final UnsafeBuffer b = dirty();
        assertThat(ProbeBody.encode(b, AT, 0x0102_0304_0506_0708L)).isEqualTo(ProbeBody.LENGTH);
        assertThat(ProbeBody.probeId(b, AT)).isEqualTo(0x0102_0304_0506_0708L);
        for (int i = 0; i < ProbeBody.COORDINATE_LENGTH; i++) {
            assertThat(b.getByte(AT + ProbeBody.COORDINATE_OFFSET + i)).as("coordinate byte %d", i).isZero();
        }
        assertThat(b.getByte(AT + ProbeBody.LENGTH)).isEqualTo((byte)0xFF);
    }

    @Test
    void replicaBody() {
        final UnsafeBuffer b = dirty();
        final int length = ReplicaBody.encode(b, AT, 0xA1L, 0xB2L, new byte[] {9, 8, 7});
        assertThat(length).isEqualTo(ReplicaBody.PAYLOAD_OFFSET + 3);
        assertThat(ReplicaBody.isWellFormed(b, AT, length)).isTrue();
        assertThat(ReplicaBody.agentKey(b, AT)).isEqualTo(0xA1L);
        assertThat(ReplicaBody.version(b, AT)).isEqualTo(0xB2L);
        assertThat(ReplicaBody.payloadLength(b, AT)).isEqualTo(3);
        assertThat(b.getByte(AT + ReplicaBody.PAYLOAD_OFFSET + 2)).isEqualTo((byte)7);
    }

    @Test
    void statUpdateBodyTakesCountsAtBothEndsOfU32() {
        for (final long count : new long[] {0, StatUpdateBody.U32_MAX}) {
            final UnsafeBuffer b = dirty();
            final int length = StatUpdateBody.encode(b, AT, 0x77L, 5L, 2, 3, 4, count, count);
            assertThat(length).isEqualTo(StatUpdateBody.bodyLength(4));
            assertThat(StatUpdateBody.isWellFormed(b, AT, length)).isTrue();
            assertThat(StatUpdateBody.contributorId(b, AT)).isEqualTo(0x77L);
            assertThat(StatUpdateBody.agentCount(b, AT)).isEqualTo(count);
            assertThat(StatUpdateBody.contributors(b, AT)).isEqualTo(count);
        }
        final UnsafeBuffer b = dirty();
        assertThatThrownBy(() -> StatUpdateBody.encode(b, AT, 1, 1, 1, 1, 1, -1, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> StatUpdateBody.encode(b, AT, 1, 1, 1, 1, 1, 0, -1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> StatUpdateBody.encode(b, AT, 1, 1, 1, 1, 1, StatUpdateBody.U32_MAX + 1, 0))
            .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> StatUpdateBody.encode(b, AT, 1, 1, 1, 1, 1, 0, StatUpdateBody.U32_MAX + 1))
            .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aFrameHeaderWrittenOverLeftoversDecodes() {
        final UnsafeBuffer b = dirty();
        final int bodyLength = LeaveBody.encode(b, FrameHeader.bodyOffset(AT), LeaveBody.REASON_SHUTDOWN);
        final int length = FrameHeader.write(b, AT, MessageType.LEAVE.code, 0, bodyLength, 3, 4L, 5L, 6L);
        assertThat(FrameHeader.magic(b, AT)).isEqualTo(FrameHeader.MAGIC);
        assertThat(FrameHeader.frameLength(b, AT)).isEqualTo(length);
        assertThat(FrameDecoder.check(b, AT, length)).isEqualTo(FrameStatus.OK);
    }
}
