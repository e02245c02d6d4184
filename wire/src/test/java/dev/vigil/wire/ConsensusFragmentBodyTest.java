package dev.vigil.wire;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteOrder;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The consensus fragment body: round trips, a total structural check, and whole introduced frames. */
class ConsensusFragmentBodyTest {
    private static final byte[] CERTIFICATE = filled(136, (byte)7);
    private static final String ADDRESS = "10.0.0.9:7400";

    /** A fragment of a message: where it starts and how long it is, both inside the message. */
    record Cut(long messageId, byte[] message, int offset, int length) {
    }

    @Property(tries = 300)
    void aFragmentRoundTripsAtAnyBodyOffset(@ForAll("cuts") final Cut cut, @ForAll @IntRange(min = 0, max = 17) final int at) {
        final UnsafeBuffer b = new UnsafeBuffer(new byte[at + ConsensusFragmentBody.bodyLength(cut.length()) + 8]);
        final int length = ConsensusFragmentBody.encode(b, at, cut.messageId(), cut.message(), cut.offset(), cut.length());

        assertThat(length).isEqualTo(ConsensusFragmentBody.bodyLength(cut.length()));
        assertThat(ConsensusFragmentBody.isWellFormed(b, at, length)).isTrue();
        assertThat(ConsensusFragmentBody.messageId(b, at)).isEqualTo(cut.messageId());
        assertThat(ConsensusFragmentBody.messageLength(b, at)).isEqualTo(cut.message().length);
        assertThat(ConsensusFragmentBody.fragmentOffset(b, at)).isEqualTo(cut.offset());
        assertThat(ConsensusFragmentBody.fragmentLength(b, at)).isEqualTo(cut.length());
        final byte[] back = new byte[cut.length()];
        b.getBytes(ConsensusFragmentBody.fragmentBytesOffset(at), back);
        assertThat(back).isEqualTo(Arrays.copyOfRange(cut.message(), cut.offset(), cut.offset() + cut.length()));
        assertThat(ConsensusFragmentBody.isWellFormed(b, at, length - 1)).as("one byte short").isFalse();
        assertThat(ConsensusFragmentBody.isWellFormed(b, at, length + 1)).as("one byte over").isFalse();
    }

    @Property(tries = 1000)
    void anyBytesAreJudgedWithoutThrowing(@ForAll("bodyShapedBytes") final byte[] bytes, @ForAll @IntRange(min = 0, max = 9) final int at) {
        final UnsafeBuffer b = new UnsafeBuffer(new byte[at + bytes.length]);
        b.putBytes(at, bytes);

        final boolean wellFormed = ConsensusFragmentBody.isWellFormed(b, at, bytes.length);

        if (wellFormed) {
            // the structural promise the receiver builds on
            final int n = ConsensusFragmentBody.fragmentLength(b, at);
            assertThat(n).isBetween(1, ConsensusFragmentBody.FRAGMENT_LENGTH_MAX);
            assertThat(ConsensusFragmentBody.fragmentOffset(b, at) + n).isLessThanOrEqualTo(ConsensusFragmentBody.messageLength(b, at));
            assertThat(bytes.length).isEqualTo(ConsensusFragmentBody.bodyLength(n));
        }
    }

    @Property(tries = 500)
    void aFragmentThatLeavesItsMessageOrHasAReservedBitSetIsMalformed(@ForAll("cuts") final Cut cut, @ForAll final int change) {
        final UnsafeBuffer b = new UnsafeBuffer(new byte[ConsensusFragmentBody.bodyLength(cut.length())]);
        final int length = ConsensusFragmentBody.encode(b, 0, cut.messageId(), cut.message(), cut.offset(), cut.length());
        final long end = (long)cut.offset() + cut.length();

        final UnsafeBuffer shorter = copy(b);
        // a message length that ends before the fragment does (unsigned 32-bit: 0 .. end - 1)
        shorter.putInt(ConsensusFragmentBody.MESSAGE_LENGTH_OFFSET, (int)Long.remainderUnsigned(change & 0xFFFF_FFFFL, end),
            ByteOrder.LITTLE_ENDIAN);
        assertThat(ConsensusFragmentBody.isWellFormed(shorter, 0, length)).isFalse();

        final UnsafeBuffer reserved = copy(b);
        reserved.putShort(ConsensusFragmentBody.RESERVED_OFFSET, (short)(change | 1), ByteOrder.LITTLE_ENDIAN);
        assertThat(ConsensusFragmentBody.isWellFormed(reserved, 0, length)).isFalse();

        final UnsafeBuffer empty = copy(b);
        empty.putShort(ConsensusFragmentBody.FRAGMENT_LENGTH_OFFSET, (short)0, ByteOrder.LITTLE_ENDIAN);
        assertThat(ConsensusFragmentBody.isWellFormed(empty, 0, ConsensusFragmentBody.FRAGMENT_BYTES_OFFSET)).isFalse();
    }

    @Example
    void offsetsNearTheTopOfTheUnsignedRangeDoNotWrapAround() {
        final UnsafeBuffer b = new UnsafeBuffer(new byte[ConsensusFragmentBody.bodyLength(2)]);
        final int length = ConsensusFragmentBody.encode(b, 0, 1, new byte[] {1, 2}, 0, 2);
        b.putInt(ConsensusFragmentBody.MESSAGE_LENGTH_OFFSET, -1, ByteOrder.LITTLE_ENDIAN); // 2^32 - 1
        b.putInt(ConsensusFragmentBody.FRAGMENT_OFFSET_OFFSET, -2, ByteOrder.LITTLE_ENDIAN); // 2^32 - 2: ends at 2^32
        assertThat(ConsensusFragmentBody.isWellFormed(b, 0, length)).isFalse();
        b.putInt(ConsensusFragmentBody.FRAGMENT_OFFSET_OFFSET, -3, ByteOrder.LITTLE_ENDIAN); // ends exactly at 2^32 - 1
        assertThat(ConsensusFragmentBody.isWellFormed(b, 0, length)).isTrue();
        assertThat(ConsensusFragmentBody.messageLength(b, 0)).isEqualTo(0xFFFF_FFFFL);
    }

    @Example
    void theEncoderRefusesWhatTheDecoderWouldCallMalformed() {
        final UnsafeBuffer b = new UnsafeBuffer(new byte[FrameHeader.FRAME_LENGTH_MAX]);
        final byte[] message = new byte[ConsensusFragmentBody.FRAGMENT_LENGTH_MAX + 10];
        assertThatThrownBy(() -> ConsensusFragmentBody.encode(b, 0, 1, new byte[0], 0, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ConsensusFragmentBody.encode(b, 0, 1, message, 0, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ConsensusFragmentBody.encode(b, 0, 1, message, 0, ConsensusFragmentBody.FRAGMENT_LENGTH_MAX + 1))
            .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ConsensusFragmentBody.encode(b, 0, 1, message, 11, ConsensusFragmentBody.FRAGMENT_LENGTH_MAX))
            .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ConsensusFragmentBody.encode(b, 0, 1, message, -1, 2)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ConsensusFragmentBody.fragmentLengthMax(ConsensusFragmentBody.FRAGMENT_LENGTH_MAX))
            .isInstanceOf(IllegalArgumentException.class);
    }

    @Example
    void aFullIntroducedFragmentFillsTheLargestFrameExactlyAndOneByteMoreDoesNotFit() {
        final int introduction = Introduction.encode(new UnsafeBuffer(new byte[1024]), 0, CERTIFICATE, ADDRESS);
        final int n = ConsensusFragmentBody.fragmentLengthMax(introduction);
        final byte[] message = filled(3 * n, (byte)3);

        final TestFrames.Frame frame = introduced(5, 99L, message, n, n);

        assertThat(frame.length()).isEqualTo(FrameHeader.FRAME_LENGTH_MAX);
        assertThat(frame.check()).isEqualTo(FrameStatus.OK);
        assertThatThrownBy(() -> introduced(0, 99L, message, n, n + 1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Property(tries = 200)
    void introducedFragmentFramesDecodeAndPlainOnesDoToo(@ForAll("cuts") final Cut cut, @ForAll @IntRange(min = 0, max = 17) final int at) {
        // an introduction takes room: behind it a fragment is at most fragmentLengthMax(introduction) long
        final int introduction = Introduction.encode(new UnsafeBuffer(new byte[1024]), 0, CERTIFICATE, ADDRESS);
        final int fits = Math.min(cut.length(), ConsensusFragmentBody.fragmentLengthMax(introduction));
        final TestFrames.Frame introduced = introduced(at, cut.messageId(), cut.message(), cut.offset(), fits);
        final TestFrames.Frame plain = TestFrames.frame(MessageType.CONSENSUS, at,
            (b, o) -> ConsensusFragmentBody.encode(b, o, cut.messageId(), cut.message(), cut.offset(), cut.length()));

        assertThat(introduced.check()).isEqualTo(FrameStatus.OK);
        assertThat(plain.check()).isEqualTo(FrameStatus.OK);
        assertThat(MessageType.CONSENSUS.introducible()).isTrue();
    }

    // ---- generators ----

    @Provide
    Arbitrary<Cut> cuts() {
        final Arbitrary<byte[]> messages = Arbitraries.oneOf(
            Arbitraries.bytes().array(byte[].class).ofMinSize(1).ofMaxSize(64),
            Arbitraries.bytes().array(byte[].class).ofMinSize(1).ofMaxSize(3 * ConsensusFragmentBody.FRAGMENT_LENGTH_MAX));
        return Combinators.combine(Arbitraries.longs(), messages, Arbitraries.integers().greaterOrEqual(0),
            Arbitraries.integers().greaterOrEqual(0)).as((id, message, a, c) -> {
                final int offset = a % message.length;
                final int length = 1 + c % Math.min(message.length - offset, ConsensusFragmentBody.FRAGMENT_LENGTH_MAX);
                return new Cut(id, message, offset, length);
            });
    }

    /** Real bodies, cut or extended, and random bytes whose length fields are small enough to matter. */
    @Provide
    Arbitrary<byte[]> bodyShapedBytes() {
        final Arbitrary<byte[]> real = Combinators.combine(cuts(), Arbitraries.integers().between(-40, 8)).as((cut, change) -> {
            final byte[] body = new byte[ConsensusFragmentBody.bodyLength(cut.length())];
            ConsensusFragmentBody.encode(new UnsafeBuffer(body), 0, cut.messageId(), cut.message(), cut.offset(), cut.length());
            return Arrays.copyOf(body, Math.max(0, body.length + change));
        });
        final Arbitrary<byte[]> small = Arbitraries.bytes().between((byte)0, (byte)40).array(byte[].class).ofMaxSize(80);
        return Arbitraries.oneOf(real, small, Arbitraries.bytes().array(byte[].class).ofMaxSize(600));
    }

    private static TestFrames.Frame introduced(final int offset, final long messageId, final byte[] message, final int fragmentOffset,
                                               final int fragmentLength) {
        final TestFrames.Frame frame = TestFrames.frame(MessageType.CONSENSUS, offset, (b, at) -> {
            final int introduction = Introduction.encode(b, at, CERTIFICATE, ADDRESS);
            if (fragmentLength > ConsensusFragmentBody.fragmentLengthMax(introduction)) {
                throw new IllegalArgumentException("fragment does not fit behind the introduction");
            }
            return introduction + ConsensusFragmentBody.encode(b, at + introduction, messageId, message, fragmentOffset, fragmentLength);
        });
        final TestFrames.Frame copy = frame.copy(0);
        copy.buffer().putShort(copy.offset() + FrameHeader.FLAGS_OFFSET, (short)FrameHeader.FLAG_INTRODUCTION, ByteOrder.LITTLE_ENDIAN);
        return copy;
    }

    private static UnsafeBuffer copy(final UnsafeBuffer b) {
        final byte[] bytes = new byte[b.capacity()];
        b.getBytes(0, bytes);
        return new UnsafeBuffer(bytes);
    }

    private static byte[] filled(final int length, final byte value) {
        final byte[] bytes = new byte[length];
        Arrays.fill(bytes, value);
        return bytes;
    }
}
