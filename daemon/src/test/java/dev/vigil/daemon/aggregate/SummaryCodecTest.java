package dev.vigil.daemon.aggregate;

import dev.vigil.daemon.stats.Moments;
import dev.vigil.wire.FrameDecoder;
import dev.vigil.wire.FrameHeader;
import dev.vigil.wire.FrameStatus;
import dev.vigil.wire.MessageType;
import dev.vigil.wire.StatUpdateBody;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.function.Consumer;

import static java.nio.ByteOrder.LITTLE_ENDIAN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

/**
 * Summaries through stat-update bodies: a round trip is bit exact, and a hostile peer's body (bad
 * structure, foreign schema size, non-finite or implausible statistics) is refused, counts nothing
 * into an aggregate, and never makes one throw or go non-finite.
 */
class SummaryCodecTest {
    private static final int D = 4;

    @Provide
    Arbitrary<Summary> summaries() {
        return Combinators.combine(
                Arbitraries.of(Fleet.Regime.values()), Arbitraries.integers().between(1, StatUpdateBody.FEATURES_MAX),
                Arbitraries.longs(), Arbitraries.longs().between(0, Long.MAX_VALUE),
                Arbitraries.integers().between(0, 255), Arbitraries.longs().between(0, StatUpdateBody.U32_MAX),
                Arbitraries.longs().between(1, StatUpdateBody.U32_MAX))
            .as((regime, d, id, version, level, agents, leaves) -> {
                final Fleet fleet = new Fleet(regime, d, 1, 30, id ^ version);
                return new Summary(id, version, level, agents, level == 0 ? 1 : leaves, fleet.moments(0));
            });
    }

    /** A whole frame around the body (zero signature: the decoder does not look inside it). */
    private static UnsafeBuffer frame(final Summary s, final int offset) {
        final UnsafeBuffer b = new UnsafeBuffer(new byte[offset + FrameHeader.FRAME_LENGTH_MIN + s.bodyLength()]);
        final int bodyLength = s.writeBody(b, FrameHeader.bodyOffset(offset));
        FrameHeader.write(b, offset, MessageType.STAT_UPDATE.code, 0, bodyLength, 1, 2, 3, 4);
        return b;
    }

    @Property
    void aSummaryRoundTripsBitExactlyThroughAFullFrame(@ForAll("summaries") final Summary s,
                                                        @ForAll @IntRange(min = 0, max = 17) final int offset) {
        final UnsafeBuffer b = frame(s, offset);
        final int length = b.capacity() - offset;

        assertThat(FrameDecoder.check(b, offset, length)).isEqualTo(FrameStatus.OK);
        final Summary read = Summary.readBody(b, FrameHeader.bodyOffset(offset), FrameHeader.bodyLength(length), s.dimension());
        assertThat(read).isNotNull();
        assertThat(read.contributorId()).isEqualTo(s.contributorId());
        assertThat(read.version()).isEqualTo(s.version());
        assertThat(read.level()).isEqualTo(s.level());
        assertThat(read.agentCount()).isEqualTo(s.agentCount());
        assertThat(read.contributorCount()).isEqualTo(s.contributorCount());
        assertThat(Fleet.bits(read.moments())).isEqualTo(Fleet.bits(s.moments()));
    }

    // ---- hostile statistics ----

    private static UnsafeBuffer honestBody() {
        final Fleet fleet = new Fleet(Fleet.Regime.LARGE_OFFSET, D, 1, 30, 77L);
        final Moments m = fleet.moments(0);
        m.add(fleet.rows[0][0]); // at least two rows, so there are co-moments to lie about
        final Summary s = new Summary(42, 9, 0, 3, 1, m);
        final UnsafeBuffer b = new UnsafeBuffer(new byte[s.bodyLength()]);
        s.writeBody(b, 0);
        return b;
    }

    private static int statistic(final int k) {
        return StatUpdateBody.STATISTICS_OFFSET + 8 + 8 * k;
    }

    private static int comoment(final int i, final int j) {
        return statistic(2 * D + Moments.packedIndex(D, i, j));
    }

    /** Corrupts an honest body, then feeds it to an aggregate the way a node would. */
    private static void assertRefusedAndCountsNothing(final Summary.Refusal reason, final Consumer<UnsafeBuffer> corrupt) {
        final UnsafeBuffer b = honestBody();
        corrupt.accept(b);
        final Aggregate aggregate = new Aggregate(D, 8);

        assertThat(Summary.refusal(b, 0, b.capacity(), D)).isEqualTo(reason);
        final Summary s = Summary.readBody(b, 0, b.capacity(), D);
        assertThat(s).isNull();
        if (s != null) {
            aggregate.offer(s);
        }
        assertThat(aggregate.contributors()).isZero();
        assertThat(aggregate.accepted() + aggregate.ignored()).isZero();
        assertThat(aggregate.merged().count()).isZero();
    }

    @Example
    void theHonestBodyIsAccepted() {
        final UnsafeBuffer b = honestBody();

        assertThat(Summary.refusal(b, 0, b.capacity(), D)).isNull();
        assertThat(Summary.readBody(b, 0, b.capacity(), D)).isNotNull();
    }

    @Example
    void notANumberAnywhereInTheStatisticsIsRefused() {
        for (int k = 0; k < 2 * D + Moments.packedLength(D); k++) {
            final int at = statistic(k);
            for (final double bad : new double[] {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY}) {
                assertRefusedAndCountsNothing(Summary.Refusal.NON_FINITE, b -> b.putDouble(at, bad, LITTLE_ENDIAN));
            }
        }
    }

    @Example
    void aNegativeOrAbsurdCountIsRefused() {
        final int at = StatUpdateBody.STATISTICS_OFFSET;
        assertRefusedAndCountsNothing(Summary.Refusal.IMPLAUSIBLE_COUNT, b -> b.putLong(at, -1, LITTLE_ENDIAN));
        assertRefusedAndCountsNothing(Summary.Refusal.IMPLAUSIBLE_COUNT, b -> b.putLong(at, Long.MIN_VALUE, LITTLE_ENDIAN));
        assertRefusedAndCountsNothing(Summary.Refusal.IMPLAUSIBLE_COUNT, b -> b.putLong(at, Summary.COUNT_MAX + 1, LITTLE_ENDIAN));
    }

    @Example
    void aNegativeVarianceIsRefused() {
        for (int i = 0; i < D; i++) {
            final int at = comoment(i, i);
            assertRefusedAndCountsNothing(Summary.Refusal.NEGATIVE_VARIANCE, b -> b.putDouble(at, -1e-300, LITTLE_ENDIAN));
        }
    }

    @Example
    void aCovarianceBeyondCauchySchwarzIsRefused() {
        assertRefusedAndCountsNothing(Summary.Refusal.INCONSISTENT_COMOMENTS, b -> {
            final double cii = b.getDouble(comoment(1, 1), LITTLE_ENDIAN);
            final double cjj = b.getDouble(comoment(2, 2), LITTLE_ENDIAN);
            b.putDouble(comoment(1, 2), -1.01 * Math.sqrt(cii * cjj), LITTLE_ENDIAN);
        });
    }

    @Example
    void finiteButHugeValuesThatWouldOverflowAMergeAreRefused() {
        assertRefusedAndCountsNothing(Summary.Refusal.VALUE_OUT_OF_RANGE, b -> b.putDouble(statistic(0), 1e300, LITTLE_ENDIAN));
        assertRefusedAndCountsNothing(Summary.Refusal.VALUE_OUT_OF_RANGE, b -> b.putDouble(statistic(D), -1e300, LITTLE_ENDIAN));
        assertRefusedAndCountsNothing(Summary.Refusal.VALUE_OUT_OF_RANGE, b -> b.putDouble(comoment(0, 0), 1e300, LITTLE_ENDIAN));
    }

    @Example
    void anEmptySummaryMustBeAllZeros() {
        assertRefusedAndCountsNothing(Summary.Refusal.NONZERO_EMPTY_STATISTICS,
            b -> b.putLong(StatUpdateBody.STATISTICS_OFFSET, 0, LITTLE_ENDIAN));
    }

    @Example
    void structureSchemaCohortVersionAndContributorsAreChecked() {
        assertRefusedAndCountsNothing(Summary.Refusal.MALFORMED, b -> b.putByte(StatUpdateBody.RESERVED_OFFSET, (byte)1));
        assertRefusedAndCountsNothing(Summary.Refusal.UNSUPPORTED_COHORT, b -> b.putByte(StatUpdateBody.COHORT_OFFSET, (byte)3));
        assertRefusedAndCountsNothing(Summary.Refusal.NEGATIVE_VERSION, b -> b.putLong(StatUpdateBody.VERSION_OFFSET, -1, LITTLE_ENDIAN));
        assertRefusedAndCountsNothing(Summary.Refusal.IMPLAUSIBLE_CONTRIBUTORS, b -> b.putInt(StatUpdateBody.CONTRIBUTORS_OFFSET, 2, LITTLE_ENDIAN));
        assertRefusedAndCountsNothing(Summary.Refusal.IMPLAUSIBLE_CONTRIBUTORS, b -> {
            b.putByte(StatUpdateBody.LEVEL_OFFSET, (byte)1);
            b.putInt(StatUpdateBody.CONTRIBUTORS_OFFSET, 0, LITTLE_ENDIAN);
        });
    }

    @Example
    void aBodyOfAnotherSchemaSizeIsRefused() {
        final UnsafeBuffer b = honestBody();

        assertThat(Summary.refusal(b, 0, b.capacity(), D + 1)).isEqualTo(Summary.Refusal.FEATURE_COUNT_MISMATCH);
        assertThat(Summary.readBody(b, 0, b.capacity(), D + 1)).isNull();
        assertThat(Summary.refusal(b, 0, b.capacity() - 8, D)).isEqualTo(Summary.Refusal.MALFORMED);
    }

    /**
     * Random corruption of honest bodies: reading never throws, and whatever is accepted, merged
     * with honest statistics, leaves the aggregate finite.
     */
    @Property(tries = 2000)
    void corruptedBodiesNeverThrowAndNeverMakeTheAggregateNonFinite(
        @ForAll @IntRange(min = 1, max = 8) final int flips,
        @ForAll final long seed) {
        final java.util.Random random = new java.util.Random(seed);
        final Aggregate aggregate = new Aggregate(D, 16);
        aggregate.offer(Summary.readBody(honestBody(), 0, honestBody().capacity(), D));
        for (int round = 0; round < 8; round++) {
            final UnsafeBuffer b = honestBody();
            b.putLong(StatUpdateBody.CONTRIBUTOR_OFFSET, 1000 + round, LITTLE_ENDIAN);
            for (int f = 0; f < flips; f++) {
                final int at = random.nextInt(b.capacity());
                b.putByte(at, (byte)(b.getByte(at) ^ (1 << random.nextInt(8))));
            }
            final int length = random.nextInt(4) == 0 ? random.nextInt(b.capacity() + 1) : b.capacity();
            final Summary[] read = new Summary[1];
            assertThatCode(() -> read[0] = Summary.readBody(b, 0, length, D)).doesNotThrowAnyException();
            if (read[0] != null) {
                aggregate.offer(read[0]);
            }
        }

        final Moments merged = aggregate.merged();
        for (int i = 0; i < D; i++) {
            assertThat(merged.mean(i)).isFinite();
            for (int j = i; j < D; j++) {
                assertThat(merged.comoment(i, j)).isFinite();
            }
            assertThat(merged.comoment(i, i)).isGreaterThanOrEqualTo(0);
        }
    }
}
