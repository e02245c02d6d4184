package dev.vigil.daemon.core;

import dev.vigil.crypto.PrivateKey;
import dev.vigil.wire.FrameDecoder;
import dev.vigil.wire.FrameHeader;
import dev.vigil.wire.FrameStatus;
import dev.vigil.wire.LeaveBody;
import dev.vigil.wire.MessageType;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Outbound frames: sequence from the boot time up, HLC stamps, signatures, counters, scratch growth. */
class OutboxTest {
    private final CoreNet keys = new CoreNet(4);
    private final PrivateKey key = keys.key();
    private final List<byte[]> frames = new ArrayList<>();
    private final List<String> to = new ArrayList<>();
    private final FrameCounters counters = new FrameCounters();
    private final Outbox outbox = new Outbox(key, 0x77, new Hlc(), (address, frame, offset, length) -> {
        to.add(address);
        frames.add(java.util.Arrays.copyOfRange(frame, offset, offset + length));
    }, counters, 5_000_000);

    @Test
    void framesAreNumberedFromTheBootTimeStampedSignedAndCounted() {
        outbox.send("b:1", MessageType.LEAVE, LeaveBody.encode(outbox.body(LeaveBody.LENGTH), outbox.bodyOffset(), 1), 7_000_000);
        outbox.send("c:1", MessageType.LEAVE, LeaveBody.encode(outbox.body(LeaveBody.LENGTH), outbox.bodyOffset(), 2), 7_000_000);
        assertThat(to).containsExactly("b:1", "c:1");
        final UnsafeBuffer first = new UnsafeBuffer(frames.get(0));
        final UnsafeBuffer second = new UnsafeBuffer(frames.get(1));
        assertThat(FrameDecoder.check(first, 0, frames.get(0).length)).isEqualTo(FrameStatus.OK);
        assertThat(FrameHeader.sequence(first, 0)).isEqualTo(5_000_001);
        assertThat(FrameHeader.sequence(second, 0)).isEqualTo(5_000_002);
        assertThat(FrameHeader.hlc(first, 0)).isEqualTo(7_000L << 16);
        assertThat(FrameHeader.hlc(second, 0)).isEqualTo((7_000L << 16) + 1);
        assertThat(FrameHeader.schemaHash(first, 0)).isEqualTo(0x77);
        assertThat(FrameHeader.sender(first, 0)).isEqualTo(key.nodeId());
        assertThat(LeaveBody.reason(second, FrameHeader.HEADER_LENGTH)).isEqualTo(2);
        final int length = frames.get(0).length;
        assertThat(key.publicKey().verify(frames.get(0), FrameHeader.signatureOffset(0, length), frames.get(0), 0,
            FrameHeader.signedLength(length))).isTrue();
        assertThat(counters.snapshot().sent().get("leave")).isEqualTo(new FrameCounters.TypeCount(2, 2L * length));
    }

    @Test
    void theScratchGrowsToTheLargestBodyAndRefusesBodiesPastTheBound() {
        final UnsafeBuffer small = outbox.body(8);
        assertThat(small.capacity()).isEqualTo(256);
        assertThat(outbox.body(300).capacity()).as("404 bytes needed: doubled").isEqualTo(512);
        assertThat(outbox.body(1000).capacity()).as("1104 bytes needed: more than doubled").isEqualTo(1104);
        assertThat(outbox.body(FrameHeader.BODY_LENGTH_MAX).capacity()).isEqualTo(FrameHeader.FRAME_LENGTH_MAX);
        assertThatThrownBy(() -> outbox.body(FrameHeader.BODY_LENGTH_MAX + 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> outbox.body(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThat(outbox.body(0).capacity()).as("never shrinks").isEqualTo(FrameHeader.FRAME_LENGTH_MAX);
    }

    @Test
    void anIntroducedFrameCarriesTheIntroductionBeforeTheBodyAndTheFlag() {
        final byte[] introduction = {1, 2, 3, 4, 5};
        final UnsafeBuffer b = outbox.introducedBody(introduction, 8);
        b.putLong(outbox.bodyOffset() + introduction.length, 99L);
        outbox.sendIntroduced("d:1", MessageType.TREE_PING, introduction.length, 8, 1_000);
        final UnsafeBuffer frame = new UnsafeBuffer(frames.get(0));
        assertThat(FrameHeader.flags(frame, 0)).isEqualTo(FrameHeader.FLAG_INTRODUCTION);
        assertThat(FrameHeader.frameLength(frame, 0)).isEqualTo(FrameHeader.FRAME_LENGTH_MIN + 13);
        assertThat(frame.getByte(FrameHeader.HEADER_LENGTH + 4)).isEqualTo((byte)5);
        assertThat(frame.getLong(FrameHeader.HEADER_LENGTH + 5)).isEqualTo(99L);
    }
}
