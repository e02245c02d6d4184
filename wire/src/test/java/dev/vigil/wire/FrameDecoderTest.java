package dev.vigil.wire;

import dev.vigil.wire.TestFrames.Frame;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.Tuple.Tuple2;
import net.jqwik.api.constraints.IntRange;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.EnumSet;
import java.util.Set;

import static java.nio.ByteOrder.LITTLE_ENDIAN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

/**
 * {@link FrameDecoder#check} is total (never throws for an in-bounds range, always answers one of
 * the structural reasons, the same one each time) and names the first reason that applies.
 */
class FrameDecoderTest {
    /** The reasons decidable from the bytes alone; the decoder must never answer anything else. */
    private static final Set<FrameStatus> STRUCTURAL = EnumSet.range(FrameStatus.OK, FrameStatus.MALFORMED_BODY);

    /** An arbitrary in-bounds range of an arbitrary byte array. */
    record Slice(byte[] bytes, int offset, int length) {
        @Override
        public String toString() {
            return "Slice[bytes.length=" + bytes.length + ", offset=" + offset + ", length=" + length + "]";
        }
    }

    // ---- totality ----

    @Property(tries = 2000)
    void checkNeverThrowsForAnyInBoundsRangeOfArbitraryBytes(@ForAll("slices") final Slice slice) {
        final UnsafeBuffer buffer = new UnsafeBuffer(slice.bytes());

        final FrameStatus[] status = new FrameStatus[2];
        assertThatCode(() -> {
            status[0] = FrameDecoder.check(buffer, slice.offset(), slice.length());
            status[1] = FrameDecoder.check(buffer, slice.offset(), slice.length());
        }).doesNotThrowAnyException();

        assertThat(status[0]).isNotNull().isIn(STRUCTURAL).isEqualTo(status[1]);
        if (slice.length() > FrameHeader.FRAME_LENGTH_MAX) {
            assertThat(status[0]).isEqualTo(FrameStatus.OVERSIZED);
        } else if (slice.length() < FrameHeader.FRAME_LENGTH_MIN) {
            assertThat(status[0]).isEqualTo(FrameStatus.TRUNCATED);
        }
    }

    /**
     * Random bytes almost never get past the magic; these do. Magic, version and length are right,
     * the type is mostly a v1 type, and the body (counts and lengths included) is random, so the
     * per-type body checks are what gets exercised.
     */
    @Property(tries = 3000)
    void checkNeverThrowsForHeaderShapedFramesWithArbitraryBodies(@ForAll("headerShapedFrames") final Slice slice) {
        final UnsafeBuffer buffer = new UnsafeBuffer(slice.bytes());

        final FrameStatus[] status = new FrameStatus[1];
        assertThatCode(() -> status[0] = FrameDecoder.check(buffer, slice.offset(), slice.length()))
            .doesNotThrowAnyException();

        assertThat(status[0]).isIn(FrameStatus.OK, FrameStatus.UNKNOWN_TYPE, FrameStatus.MALFORMED_BODY);
    }

    /**
     * The body checks promise totality on their own, not only behind {@link FrameDecoder}: here the
     * buffer ends exactly where the body does, so there is no signature slot to overrun into.
     */
    @Property(tries = 3000)
    void bodyChecksNeverReadPastTheEndOfTheBody(@ForAll("bodyShapedBytes") final byte[] body) {
        final UnsafeBuffer buffer = new UnsafeBuffer(body);

        assertThatCode(() -> {
            JoinBody.isWellFormed(buffer, 0, body.length);
            JoinAcceptBody.isWellFormed(buffer, 0, body.length);
            LeaveBody.isWellFormed(buffer, 0, body.length);
            ConsensusFragmentBody.isWellFormed(buffer, 0, body.length);
        }).doesNotThrowAnyException();
    }

    @Property(tries = 3000)
    void anySingleByteChangeToAValidFrameIsAnsweredWithoutThrowing(
        @ForAll("validFrames") final Frame frame,
        @ForAll @IntRange(min = 0, max = FrameHeader.FRAME_LENGTH_MAX) final int at,
        @ForAll @IntRange(min = 1, max = 255) final int mask) {
        final Frame mutated = frame.withByteXor(at % frame.length(), mask);

        final FrameStatus[] status = new FrameStatus[1];
        assertThatCode(() -> status[0] = mutated.check()).doesNotThrowAnyException();

        assertThat(status[0]).isIn(STRUCTURAL).isNotIn(FrameStatus.OVERSIZED);
    }

    // ---- the range handed in by the transport ----

    @Property
    void bytesAroundTheFrameDoNotChangeTheVerdict(
        @ForAll("validFrames") final Frame frame,
        @ForAll @IntRange(min = 1, max = 64) final int slack,
        @ForAll final byte filler) {
        final Frame padded = frame.copy(slack);
        padded.buffer().setMemory(padded.offset() + padded.length(), slack, filler);
        padded.buffer().setMemory(0, padded.offset(), filler);

        assertThat(padded.check()).isEqualTo(FrameStatus.OK);
    }

    @Property
    void anyRangeShorterThanTheMinimumFrameIsTruncated(
        @ForAll("validFrames") final Frame frame,
        @ForAll @IntRange(min = 0, max = FrameHeader.FRAME_LENGTH_MIN - 1) final int length) {
        assertThat(FrameDecoder.check(frame.buffer(), frame.offset(), length)).isEqualTo(FrameStatus.TRUNCATED);
    }

    @Property
    void aRangeShorterThanTheDeclaredLengthIsTruncated(
        @ForAll("validFrames") final Frame frame,
        @ForAll @IntRange(min = 1, max = FrameHeader.BODY_LENGTH_MAX) final int cut) {
        final int length = Math.max(FrameHeader.FRAME_LENGTH_MIN, frame.length() - cut);

        assertThat(FrameDecoder.check(frame.buffer(), frame.offset(), length)).isEqualTo(FrameStatus.TRUNCATED);
    }

    @Property
    void aRangeLongerThanTheDeclaredLengthIsBadLength(
        @ForAll("validFrames") final Frame frame,
        @ForAll @IntRange(min = 1, max = FrameHeader.BODY_LENGTH_MAX) final int extra) {
        final int length = Math.min(FrameHeader.FRAME_LENGTH_MAX, frame.length() + extra);
        final Frame extended = frame.copy(length - frame.length());

        assertThat(FrameDecoder.check(extended.buffer(), extended.offset(), length)).isEqualTo(FrameStatus.BAD_LENGTH);
    }

    @Property
    void aRangeLongerThanTheFrameMaximumIsOversizedWhateverItHolds(
        @ForAll("validFrames") final Frame frame,
        @ForAll @IntRange(min = 1, max = 4096) final int over) {
        final int length = FrameHeader.FRAME_LENGTH_MAX + over;
        final Frame extended = frame.copy(length - frame.length());

        assertThat(FrameDecoder.check(extended.buffer(), extended.offset(), length)).isEqualTo(FrameStatus.OVERSIZED);
    }

    // ---- the header ----

    @Property
    void aChangedMagicByteIsBadMagic(
        @ForAll("validFrames") final Frame frame,
        @ForAll @IntRange(min = 0, max = 3) final int index,
        @ForAll @IntRange(min = 1, max = 255) final int mask) {
        assertThat(frame.withByteXor(FrameHeader.MAGIC_OFFSET + index, mask).check()).isEqualTo(FrameStatus.BAD_MAGIC);
    }

    @Example
    void versionTwoIsUnknownVersion() {
        final Frame frame = TestFrames.probe(MessageType.PING, 0, 1L);
        frame.buffer().putByte(FrameHeader.VERSION_OFFSET, (byte)2);

        assertThat(frame.check()).isEqualTo(FrameStatus.UNKNOWN_VERSION);
    }

    @Property
    void anyVersionOtherThanOneIsUnknownVersion(
        @ForAll("validFrames") final Frame frame,
        @ForAll @IntRange(min = 0, max = 255) final int version) {
        frame.buffer().putByte(frame.offset() + FrameHeader.VERSION_OFFSET, (byte)version);

        assertThat(frame.check()).isEqualTo(version == FrameHeader.VERSION ? FrameStatus.OK : FrameStatus.UNKNOWN_VERSION);
    }

    @Property
    void typeCodesOutsideV1AreUnknownType(
        @ForAll("validFrames") final Frame frame,
        @ForAll("typeCodesOutsideV1") final int code) {
        frame.buffer().putByte(frame.offset() + FrameHeader.TYPE_OFFSET, (byte)code);

        assertThat(frame.check()).isEqualTo(FrameStatus.UNKNOWN_TYPE);
    }

    @Property
    void aDeclaredLengthBeyondTheRangeButWithinTheMaximumIsTruncated(
        @ForAll("validFrames") final Frame frame,
        @ForAll @IntRange(min = 1, max = FrameHeader.BODY_LENGTH_MAX) final int more) {
        final int declared = Math.min(FrameHeader.FRAME_LENGTH_MAX, frame.length() + more);
        frame.buffer().putInt(frame.offset() + FrameHeader.LENGTH_OFFSET, declared, LITTLE_ENDIAN);

        assertThat(frame.check()).isEqualTo(FrameStatus.TRUNCATED);
    }

    @Property
    void aDeclaredLengthAboveTheMaximumIsBadLength(
        @ForAll("validFrames") final Frame frame,
        @ForAll @IntRange(min = FrameHeader.FRAME_LENGTH_MAX + 1) final int declared) {
        frame.buffer().putInt(frame.offset() + FrameHeader.LENGTH_OFFSET, declared, LITTLE_ENDIAN);

        assertThat(frame.check()).isEqualTo(FrameStatus.BAD_LENGTH);
    }

    @Property
    void aDeclaredLengthBelowTheRangeIsBadLength(
        @ForAll("validFrames") final Frame frame,
        @ForAll final int declared) {
        final int below = declared < frame.length() ? declared : Integer.MIN_VALUE + (declared - frame.length());
        frame.buffer().putInt(frame.offset() + FrameHeader.LENGTH_OFFSET, below, LITTLE_ENDIAN);

        assertThat(frame.check()).isEqualTo(FrameStatus.BAD_LENGTH);
    }

    @Property
    void anySetHeaderFlagIsMalformed(
        @ForAll("validFrames") final Frame frame,
        @ForAll @IntRange(min = 1, max = 0xFFFF) final int flags) {
        frame.buffer().putShort(frame.offset() + FrameHeader.FLAGS_OFFSET, (short)flags, LITTLE_ENDIAN);

        assertThat(frame.check()).isEqualTo(FrameStatus.MALFORMED_BODY);
    }

    @Property
    void fieldsTheDecoderDoesNotInterpretNeverChangeTheVerdict(
        @ForAll("validFrames") final Frame frame,
        @ForAll @IntRange(min = 0, max = 1_000_000) final int pick,
        @ForAll @IntRange(min = 1, max = 255) final int mask) {
        // Schema hash, sender, sequence and clock stamp [12, 40) are for the receiving node; the
        // signature slot is for the crypto module.
        final int opaque = FrameHeader.HEADER_LENGTH - FrameHeader.SCHEMA_HASH_OFFSET + FrameHeader.SIGNATURE_LENGTH;
        final int index = pick % opaque;
        final int at = index < FrameHeader.HEADER_LENGTH - FrameHeader.SCHEMA_HASH_OFFSET
            ? FrameHeader.SCHEMA_HASH_OFFSET + index
            : FrameHeader.signatureOffset(0, frame.length()) + index - (FrameHeader.HEADER_LENGTH - FrameHeader.SCHEMA_HASH_OFFSET);

        assertThat(frame.withByteXor(at, mask).check()).isEqualTo(FrameStatus.OK);
    }

    @Example
    void cheaperReasonsWinOverLaterOnes() {
        final Frame frame = TestFrames.probe(MessageType.PING, 0, 1L);
        final UnsafeBuffer b = frame.buffer();
        b.putByte(FrameHeader.VERSION_OFFSET, (byte)9);
        b.putByte(FrameHeader.TYPE_OFFSET, (byte)99);
        b.putShort(FrameHeader.FLAGS_OFFSET, (short)1, LITTLE_ENDIAN);
        assertThat(frame.check()).isEqualTo(FrameStatus.UNKNOWN_VERSION);

        b.putByte(FrameHeader.MAGIC_OFFSET, (byte)'X');
        assertThat(frame.check()).isEqualTo(FrameStatus.BAD_MAGIC);
        assertThat(FrameDecoder.check(b, 0, 10)).isEqualTo(FrameStatus.TRUNCATED);

        final Frame huge = frame.copy(FrameHeader.FRAME_LENGTH_MAX);
        assertThat(FrameDecoder.check(huge.buffer(), 0, FrameHeader.FRAME_LENGTH_MAX + 1)).isEqualTo(FrameStatus.OVERSIZED);
    }

    @Example
    void lengthIsCheckedBeforeTheTypeAndTheTypeBeforeTheFlags() {
        final Frame frame = TestFrames.probe(MessageType.PING, 0, 1L);
        final UnsafeBuffer b = frame.buffer();
        b.putShort(FrameHeader.FLAGS_OFFSET, (short)1, LITTLE_ENDIAN);
        b.putByte(FrameHeader.TYPE_OFFSET, (byte)99);
        assertThat(frame.check()).isEqualTo(FrameStatus.UNKNOWN_TYPE);

        b.putInt(FrameHeader.LENGTH_OFFSET, frame.length() - 1, LITTLE_ENDIAN);
        assertThat(frame.check()).isEqualTo(FrameStatus.BAD_LENGTH);
    }

    @Example
    void aHeaderWithAnEmptyBodyIsMalformedForEveryV1Type() {
        for (final MessageType type : MessageType.values()) {
            final Frame frame = TestFrames.frame(type, 0, (b, at) -> 0);

            assertThat(frame.length()).isEqualTo(FrameHeader.FRAME_LENGTH_MIN);
            assertThat(frame.check()).as(type.label).isEqualTo(FrameStatus.MALFORMED_BODY);
        }
    }

    // ---- generators ----

    @Provide
    Arbitrary<Frame> validFrames() {
        return WireArbitraries.validFrames();
    }

    @Provide
    Arbitrary<Integer> typeCodesOutsideV1() {
        return Arbitraries.integers().between(0, 255).filter(code -> MessageType.of(code) == null);
    }

    @Provide
    Arbitrary<Slice> slices() {
        final Arbitrary<byte[]> small = Arbitraries.bytes().array(byte[].class).ofMaxSize(512);
        final Arbitrary<byte[]> large = Arbitraries.bytes().array(byte[].class)
            .ofMinSize(FrameHeader.FRAME_LENGTH_MAX - 64).ofMaxSize(FrameHeader.FRAME_LENGTH_MAX + 512);
        return Arbitraries.frequencyOf(weighted(9, small), weighted(1, large)).flatMap(bytes ->
            Arbitraries.integers().between(0, bytes.length).flatMap(offset ->
                Arbitraries.integers().between(0, bytes.length - offset).map(length -> new Slice(bytes, offset, length))));
    }

    /**
     * Real bodies cut short or left whole, and random bytes with plausible small counts and
     * lengths, so the entry loops run off the end of the body as often as they finish in it.
     */
    @Provide
    Arbitrary<byte[]> bodyShapedBytes() {
        final Arbitrary<byte[]> truncatedReal = Combinators.combine(WireArbitraries.validFrames(), Arbitraries.integers().between(0, 1 << 20))
            .as((frame, cut) -> {
                final byte[] body = new byte[frame.bodyLength()];
                frame.buffer().getBytes(frame.bodyOffset(), body);
                return java.util.Arrays.copyOf(body, body.length - cut % (body.length + 1));
            });
        final Arbitrary<byte[]> smallNumbers = Arbitraries.bytes().between((byte)0, (byte)12)
            .array(byte[].class).ofMaxSize(80);
        return Arbitraries.oneOf(truncatedReal, smallNumbers, Arbitraries.bytes().array(byte[].class).ofMaxSize(600));
    }

    @Provide
    Arbitrary<Slice> headerShapedFrames() {
        final Arbitrary<Integer> types = Arbitraries.frequencyOf(
            weighted(9, Arbitraries.integers().between(1, MessageType.values().length)),
            weighted(1, Arbitraries.integers().between(0, 255)));
        final Arbitrary<byte[]> bodies = Arbitraries.oneOf(
            Arbitraries.bytes().array(byte[].class).ofMaxSize(64),
            Arbitraries.bytes().array(byte[].class).ofMaxSize(FrameHeader.BODY_LENGTH_MAX));
        return Combinators.combine(WireArbitraries.frameOffsets(), types, bodies, Arbitraries.integers().between(0, 3))
            .as((offset, type, body, trailing) -> {
                final byte[] bytes = new byte[offset + FrameHeader.FRAME_LENGTH_MIN + body.length + trailing];
                final UnsafeBuffer b = new UnsafeBuffer(bytes);
                final int length = FrameHeader.write(b, offset, type, 0, body.length, 0, 0, 0, 0);
                b.putBytes(FrameHeader.bodyOffset(offset), body);
                return new Slice(bytes, offset, length);
            });
    }

    private static <T> Tuple2<Integer, Arbitrary<? extends T>> weighted(final int weight, final Arbitrary<T> arbitrary) {
        return Tuple.of(weight, arbitrary);
    }
}
