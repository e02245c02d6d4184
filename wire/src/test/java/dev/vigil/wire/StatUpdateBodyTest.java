package dev.vigil.wire;

import dev.vigil.wire.TestFrames.Frame;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.Arrays;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The stat-update body: its fields survive a full frame through {@link FrameDecoder#check}, the
 * statistics block is opaque but must have exactly the length the feature count implies, the
 * frame fits the 1 KiB budget at the default ten features (and not at sixteen), and the check is
 * total.
 */
class StatUpdateBodyTest {

    /** The fields of one stat update; the statistics are arbitrary bytes of the right length. */
    record Update(int offset, long contributorId, long version, int level, int cohort, int featureCount,
                  long agentCount, long contributors) {
        /** Arbitrary bytes, but a function of the other fields so a failing sample replays from its print. */
        byte[] statistics() {
            final byte[] bytes = new byte[StatUpdateBody.statisticsLength(featureCount)];
            new Random(contributorId * 31 + version).nextBytes(bytes);
            return bytes;
        }

        Frame frame() {
            final byte[] statistics = statistics();
            return TestFrames.frame(MessageType.STAT_UPDATE, offset, (b, at) -> {
                final int length = StatUpdateBody.encode(
                    b, at, contributorId, version, level, cohort, featureCount, agentCount, contributors);
                b.putBytes(StatUpdateBody.statisticsOffset(at), statistics);
                return length;
            });
        }
    }

    @Provide
    Arbitrary<Update> updates() {
        return Combinators.combine(
                WireArbitraries.frameOffsets(), Arbitraries.longs(), Arbitraries.longs(),
                Arbitraries.integers().between(0, 255), Arbitraries.integers().between(0, 255),
                Arbitraries.integers().between(1, StatUpdateBody.FEATURES_MAX),
                Arbitraries.longs().between(0, StatUpdateBody.U32_MAX), Arbitraries.longs().between(0, StatUpdateBody.U32_MAX))
            .as(Update::new);
    }

    @Provide
    Arbitrary<Frame> frames() {
        return updates().map(Update::frame);
    }

    // ---- round trip ----

    @Property
    void everyFieldSurvivesAFullFrameThroughTheDecoder(@ForAll("updates") final Update u) {
        final Frame frame = u.frame();

        assertThat(frame.check()).isEqualTo(FrameStatus.OK);
        assertThat(FrameHeader.type(frame.buffer(), frame.offset())).isEqualTo(MessageType.STAT_UPDATE.code);
        final UnsafeBuffer b = frame.buffer();
        final int body = frame.bodyOffset();
        assertThat(StatUpdateBody.contributorId(b, body)).isEqualTo(u.contributorId());
        assertThat(StatUpdateBody.version(b, body)).isEqualTo(u.version());
        assertThat(StatUpdateBody.level(b, body)).isEqualTo(u.level());
        assertThat(StatUpdateBody.cohort(b, body)).isEqualTo(u.cohort());
        assertThat(StatUpdateBody.featureCount(b, body)).isEqualTo(u.featureCount());
        assertThat(StatUpdateBody.agentCount(b, body)).isEqualTo(u.agentCount());
        assertThat(StatUpdateBody.contributors(b, body)).isEqualTo(u.contributors());
        final byte[] statistics = new byte[StatUpdateBody.statisticsLength(u.featureCount())];
        b.getBytes(StatUpdateBody.statisticsOffset(body), statistics);
        assertThat(statistics).isEqualTo(u.statistics());
        assertThat(frame.length()).isEqualTo(StatUpdateBody.frameLength(u.featureCount()));
    }

    @Example
    void theStatisticsBlockHasTheMomentsEncodingLength() {
        for (int d = 1; d <= StatUpdateBody.FEATURES_MAX; d++) {
            // Moments.encodedLength(d) = 8 + 16d + 8·d(d+1)/2, restated: wire must not depend on the daemon
            assertThat(StatUpdateBody.statisticsLength(d)).isEqualTo(8 + 16 * d + 8 * (d * (d + 1) / 2));
        }
    }

    // ---- size budget ----

    @Example
    void aFullFrameAtTheDefaultTenFeaturesIs740BytesWithinOneKibibyte() {
        final Frame frame = new Update(0, 1, 1, 0, 0, 10, 3, 1).frame();

        assertThat(frame.check()).isEqualTo(FrameStatus.OK);
        assertThat(frame.length()).isEqualTo(740).isLessThanOrEqualTo(1024);
    }

    @Example
    void aFullFrameAtSixteenFeaturesIs1484BytesAndDoesNotFitOneKibibyte() {
        final Frame frame = new Update(0, 1, 1, 0, 0, 16, 3, 1).frame();

        assertThat(frame.check()).isEqualTo(FrameStatus.OK);
        assertThat(frame.length()).isEqualTo(1484).isGreaterThan(1024).isLessThan(FrameHeader.FRAME_LENGTH_MAX);
    }

    @Example
    void twelveFeaturesIsTheMostThatFitsOneKibibyte() {
        assertThat(StatUpdateBody.frameLength(12)).isEqualTo(956).isLessThanOrEqualTo(1024);
        assertThat(StatUpdateBody.frameLength(13)).isEqualTo(1076).isGreaterThan(1024);
    }

    // ---- malformed bodies ----

    @Property
    void aBodyLengthOtherThanTheFeatureCountImpliesIsMalformed(
        @ForAll("updates") final Update u,
        @ForAll @IntRange(min = -2000, max = 2000) final int change) {
        final byte[] statistics = u.statistics();
        final int length = Math.max(0, StatUpdateBody.bodyLength(u.featureCount()) + change);
        final Frame frame = TestFrames.frame(MessageType.STAT_UPDATE, u.offset(), (b, at) -> {
            StatUpdateBody.encode(b, at, u.contributorId(), u.version(), u.level(), u.cohort(), u.featureCount(),
                u.agentCount(), u.contributors());
            b.putBytes(StatUpdateBody.statisticsOffset(at), statistics);
            return length;
        });

        assertThat(frame.check()).isEqualTo(change == 0 ? FrameStatus.OK : FrameStatus.MALFORMED_BODY);
    }

    @Property
    void aFeatureCountOutsideOneToSixteenIsMalformed(
        @ForAll("frames") final Frame frame,
        @ForAll("featureCountsOutOfRange") final int featureCount) {
        frame.buffer().putByte(frame.bodyOffset() + StatUpdateBody.FEATURE_COUNT_OFFSET, (byte)featureCount);

        assertThat(frame.check()).isEqualTo(FrameStatus.MALFORMED_BODY);
    }

    @Example
    void featureCountZeroOrSeventeenIsMalformedEvenWhenTheLengthWouldMatch() {
        for (final int featureCount : new int[] {0, 17}) {
            final Frame frame = TestFrames.frame(MessageType.STAT_UPDATE, 0, (b, at) -> {
                StatUpdateBody.encode(b, at, 1, 1, 0, 0, 1, 1, 1);
                b.putByte(at + StatUpdateBody.FEATURE_COUNT_OFFSET, (byte)featureCount);
                return StatUpdateBody.bodyLength(featureCount);
            });

            assertThat(frame.check()).as("feature count %d", featureCount).isEqualTo(FrameStatus.MALFORMED_BODY);
        }
    }

    @Property
    void aFeatureCountThatDisagreesWithTheStatisticsLengthIsMalformed(
        @ForAll("frames") final Frame frame,
        @ForAll @IntRange(min = 1, max = StatUpdateBody.FEATURES_MAX) final int featureCount) {
        final int actual = StatUpdateBody.featureCount(frame.buffer(), frame.bodyOffset());
        frame.buffer().putByte(frame.bodyOffset() + StatUpdateBody.FEATURE_COUNT_OFFSET, (byte)featureCount);

        assertThat(frame.check()).isEqualTo(featureCount == actual ? FrameStatus.OK : FrameStatus.MALFORMED_BODY);
    }

    @Property
    void theReservedByteMustBeZero(@ForAll("frames") final Frame frame, @ForAll @IntRange(min = 1, max = 255) final int mask) {
        assertThat(frame.withByteXor(FrameHeader.HEADER_LENGTH + StatUpdateBody.RESERVED_OFFSET, mask).check())
            .isEqualTo(FrameStatus.MALFORMED_BODY);
    }

    @Example
    void aBodyShorterThanTheFixedPartIsMalformed() {
        for (int length = 0; length < StatUpdateBody.STATISTICS_OFFSET; length++) {
            final int bodyLength = length;
            final Frame frame = TestFrames.frame(MessageType.STAT_UPDATE, 0, (b, at) -> bodyLength);

            assertThat(frame.check()).as("body of %d bytes", bodyLength).isEqualTo(FrameStatus.MALFORMED_BODY);
        }
    }

    /** Ids, version, level, cohort, counts and the statistics are the receiver's to judge, not the decoder's. */
    @Property
    void everyByteOutsideFeatureCountAndReservedIsOpaqueToTheDecoder(
        @ForAll("frames") final Frame frame,
        @ForAll @IntRange(min = 0, max = 1_000_000) final int pick,
        @ForAll @IntRange(min = 1, max = 255) final int mask) {
        int index = pick % frame.bodyLength();
        if (index == StatUpdateBody.FEATURE_COUNT_OFFSET || index == StatUpdateBody.RESERVED_OFFSET) {
            index = StatUpdateBody.LEVEL_OFFSET;
        }

        assertThat(frame.withByteXor(FrameHeader.HEADER_LENGTH + index, mask).check()).isEqualTo(FrameStatus.OK);
    }

    @Example
    void encodeRefusesValuesTheLayoutCannotCarry() {
        final UnsafeBuffer b = new UnsafeBuffer(new byte[2048]);

        assertThatThrownBy(() -> StatUpdateBody.encode(b, 0, 1, 1, 0, 0, 0, 1, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> StatUpdateBody.encode(b, 0, 1, 1, 0, 0, 17, 1, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> StatUpdateBody.encode(b, 0, 1, 1, 256, 0, 1, 1, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> StatUpdateBody.encode(b, 0, 1, 1, 0, -1, 1, 1, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> StatUpdateBody.encode(b, 0, 1, 1, 0, 0, 1, -1, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> StatUpdateBody.encode(b, 0, 1, 1, 0, 0, 1, 1, StatUpdateBody.U32_MAX + 1))
            .isInstanceOf(IllegalArgumentException.class);
    }

    // ---- totality ----

    @Property(tries = 3000)
    void theBodyCheckNeverReadsPastTheEndOfTheBody(@ForAll("bodyShapedBytes") final byte[] body) {
        final UnsafeBuffer buffer = new UnsafeBuffer(body);

        assertThatCode(() -> StatUpdateBody.isWellFormed(buffer, 0, body.length)).doesNotThrowAnyException();
    }

    @Property(tries = 3000)
    void theDecoderAnswersRandomStatUpdateBodiesWithoutThrowing(@ForAll("headerShapedStatUpdates") final Frame frame) {
        final FrameStatus[] status = new FrameStatus[2];
        assertThatCode(() -> {
            status[0] = frame.check();
            status[1] = frame.check();
        }).doesNotThrowAnyException();

        assertThat(status[0]).isIn(FrameStatus.OK, FrameStatus.MALFORMED_BODY).isEqualTo(status[1]);
    }

    @Property(tries = 3000)
    void anySingleByteChangeToAStatUpdateFrameIsAnsweredWithoutThrowing(
        @ForAll("frames") final Frame frame,
        @ForAll @IntRange(min = 0, max = FrameHeader.FRAME_LENGTH_MAX) final int at,
        @ForAll @IntRange(min = 1, max = 255) final int mask) {
        final Frame mutated = frame.withByteXor(at % frame.length(), mask);

        final FrameStatus[] status = new FrameStatus[1];
        assertThatCode(() -> status[0] = mutated.check()).doesNotThrowAnyException();

        assertThat(status[0]).isNotNull().isNotIn(FrameStatus.OVERSIZED, FrameStatus.SCHEMA_MISMATCH, FrameStatus.BAD_SIGNATURE);
    }

    @Example
    void statUpdateIsTheFirstAggregationCode() {
        assertThat(MessageType.STAT_UPDATE.code).isEqualTo(32);
        assertThat(MessageType.of(32)).isSameAs(MessageType.STAT_UPDATE);
        assertThat(MessageType.STAT_UPDATE.label).isEqualTo("stat-update");
        assertThat(Arrays.stream(MessageType.values()).mapToInt(t -> t.code).distinct().count())
            .isEqualTo(MessageType.values().length);
    }

    // ---- generators ----

    @Provide
    Arbitrary<Integer> featureCountsOutOfRange() {
        return Arbitraries.oneOf(Arbitraries.just(0), Arbitraries.integers().between(StatUpdateBody.FEATURES_MAX + 1, 255));
    }

    /** Real bodies cut short or left whole, and random bytes with small feature counts. */
    @Provide
    Arbitrary<byte[]> bodyShapedBytes() {
        final Arbitrary<byte[]> truncatedReal = Combinators.combine(frames(), Arbitraries.integers().between(0, 1 << 20))
            .as((frame, cut) -> {
                final byte[] body = new byte[frame.bodyLength()];
                frame.buffer().getBytes(frame.bodyOffset(), body);
                return Arrays.copyOf(body, body.length - cut % (body.length + 1));
            });
        final Arbitrary<byte[]> smallNumbers = Arbitraries.bytes().between((byte)0, (byte)17).array(byte[].class).ofMaxSize(2000);
        return Arbitraries.oneOf(truncatedReal, smallNumbers, Arbitraries.bytes().array(byte[].class).ofMaxSize(2000));
    }

    /** A right header of type stat-update around a random body whose feature count is mostly in range. */
    @Provide
    Arbitrary<Frame> headerShapedStatUpdates() {
        return Combinators.combine(
                WireArbitraries.frameOffsets(), Arbitraries.integers().between(0, 20), Arbitraries.integers().between(-3, 3),
                Arbitraries.longs(), Arbitraries.integers().between(0, 2))
            .as((offset, featureCount, lengthChange, seed, reserved) -> {
                final int length = Math.max(0, StatUpdateBody.bodyLength(featureCount) + lengthChange);
                final byte[] random = new byte[length];
                new Random(seed).nextBytes(random);
                return TestFrames.frame(MessageType.STAT_UPDATE, offset, (b, at) -> {
                    b.putBytes(at, random);
                    if (length > StatUpdateBody.RESERVED_OFFSET) {
                        b.putByte(at + StatUpdateBody.FEATURE_COUNT_OFFSET, (byte)(int)featureCount);
                        b.putByte(at + StatUpdateBody.RESERVED_OFFSET, (byte)(reserved == 0 ? 1 : 0));
                    }
                    return length;
                });
            });
    }
}
