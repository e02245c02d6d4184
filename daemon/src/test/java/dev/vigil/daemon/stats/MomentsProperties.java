package dev.vigil.daemon.stats;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Algebraic laws of {@link Moments}: Chan's merge is commutative and associative and agrees with
 * Welford over the union, all within {@link Tolerance} (1e-12 relative, far from zero too);
 * merging in one fixed order and the codec are exact to the bit.
 */
class MomentsProperties {

    @Provide
    Arbitrary<Dataset> data() {
        return Dataset.any(1, 60);
    }

    @Property
    void mergeIsCommutative(@ForAll("data") final Dataset data, @ForAll @IntRange(max = 1000) final int cut) {
        final int split = split(data, cut);
        final Moments a = data.welford(0, split);
        final Moments b = data.welford(split, data.size());

        final Moments ab = a.copy();
        ab.merge(b);
        final Moments ba = b.copy();
        ba.merge(a);

        Tolerance.assertAgrees("a+b vs b+a", ab, ba, data);
    }

    @Property
    void mergeIsAssociative(@ForAll("data") final Dataset data,
                            @ForAll @IntRange(max = 1000) final int cut1, @ForAll @IntRange(max = 1000) final int cut2) {
        final int first = Math.min(split(data, cut1), split(data, cut2));
        final int second = Math.max(split(data, cut1), split(data, cut2));
        final Moments a = data.welford(0, first);
        final Moments b = data.welford(first, second);
        final Moments c = data.welford(second, data.size());

        final Moments leftFirst = a.copy();
        leftFirst.merge(b);
        leftFirst.merge(c);
        final Moments rightFirst = b.copy();
        rightFirst.merge(c);
        final Moments aThenRest = a.copy();
        aThenRest.merge(rightFirst);

        Tolerance.assertAgrees("(a+b)+c vs a+(b+c)", leftFirst, aThenRest, data);
    }

    @Property
    void mergingTheTwoHalvesEqualsAddingTheUnionOneByOne(@ForAll("data") final Dataset data,
                                                         @ForAll @IntRange(max = 1000) final int cut) {
        final int split = split(data, cut);
        final Moments merged = data.welford(0, split);
        merged.merge(data.welford(split, data.size()));

        Tolerance.assertAgrees("merge of halves vs Welford over the union", merged, data.welford(), data);
    }

    @Property
    void mergeInOrderIsTheLeftFoldToTheBitAndRepeatsToTheBit(@ForAll("data") final Dataset data,
                                                            @ForAll @IntRange(min = 1, max = 8) final int parts) {
        final List<Moments> pieces = pieces(data, parts);

        final Moments fold = new Moments(data.dimension());
        for (final Moments piece : pieces) {
            fold.merge(piece);
        }
        final Moments once = Moments.mergeInOrder(data.dimension(), pieces);
        final Moments again = Moments.mergeInOrder(data.dimension(), pieces);

        assertSameBits(once, fold);
        assertSameBits(again, once);
        Tolerance.assertAgrees("mergeInOrder vs Welford over all rows", once, data.welford(), data);
    }

    @Property
    void mergingEmptyStatisticsChangesNothingInEitherDirection(@ForAll("data") final Dataset data) {
        final Moments m = data.welford();

        final Moments withEmpty = m.copy();
        withEmpty.merge(new Moments(data.dimension()));
        final Moments intoEmpty = new Moments(data.dimension());
        intoEmpty.merge(m);

        assertSameBits(withEmpty, m);
        assertSameBits(intoEmpty, m);
    }

    @Property
    void oneObservationHasItselfAsMeanAndZeroCoMoments(@ForAll("data") final Dataset data) {
        final Moments m = data.welford(0, 1);

        for (int i = 0; i < data.dimension(); i++) {
            assertThat(m.mean(i)).isEqualTo(data.rows[0][i]);
            for (int j = 0; j < data.dimension(); j++) {
                assertThat(m.comoment(i, j)).isZero();
            }
        }
    }

    @Provide
    Arbitrary<double[][]> anyDoubles() {
        // Every double, NaN and infinities included: the codec must carry whatever the arithmetic produced.
        return Arbitraries.integers().between(1, Dataset.DIMENSION_MAX).flatMap(d ->
            Arbitraries.doubles().withStandardSpecialValues()
                .array(double[].class).ofSize(d)
                .array(double[][].class).ofMinSize(0).ofMaxSize(8));
    }

    @Property
    void writeThenReadGivesBackTheSameBits(@ForAll("anyDoubles") final double[][] rows,
                                           @ForAll @IntRange(max = 64) final int offset) {
        final int d = rows.length == 0 ? 3 : rows[0].length;
        final Moments original = new Moments(d);
        for (final double[] row : rows) {
            original.add(row);
        }
        final int length = Moments.encodedLength(d);
        final byte[] bytes = new byte[offset + length + 16];
        java.util.Arrays.fill(bytes, (byte) 0x5A);
        final UnsafeBuffer buffer = new UnsafeBuffer(bytes);

        original.writeTo(buffer, offset);
        final Moments read = new Moments(d);
        read.readFrom(buffer, offset);
        final byte[] rewritten = new byte[bytes.length];
        read.writeTo(new UnsafeBuffer(rewritten), offset);

        assertSameBits(read, original);
        assertThat(java.util.Arrays.copyOfRange(rewritten, offset, offset + length))
            .isEqualTo(java.util.Arrays.copyOfRange(bytes, offset, offset + length));
        for (int k = 0; k < bytes.length; k++) {
            if (k < offset || k >= offset + length) {
                assertThat(bytes[k]).as("byte %d outside the encoding", k).isEqualTo((byte) 0x5A);
            }
        }
    }

    @Example
    void encodedLengthIsCountShiftMeanAndPackedTriangle() {
        assertThat(Moments.encodedLength(1)).isEqualTo(8 + 8 + 8 + 8);
        assertThat(Moments.encodedLength(10)).isEqualTo(8 + 80 + 80 + 8 * 55);
    }

    @Example
    void packedIndexWalksTheUpperTriangleRowByRow() {
        final int d = 5;
        int expected = 0;
        for (int i = 0; i < d; i++) {
            for (int j = i; j < d; j++) {
                assertThat(Moments.packedIndex(d, i, j)).isEqualTo(expected++);
            }
        }
        assertThat(expected).isEqualTo(Moments.packedLength(d));
    }

    @Example
    void mergingDifferentDimensionsIsRefused() {
        assertThatThrownBy(() -> new Moments(2).merge(new Moments(3))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Moments(0)).isInstanceOf(IllegalArgumentException.class);
    }

    /** A cut point in [0, n] from a per-mille. */
    private static int split(final Dataset data, final int perMille) {
        return (int) ((long) data.size() * perMille / 1000);
    }

    /** The rows in {@code parts} consecutive pieces (some may be empty), each summarised by Welford. */
    static List<Moments> pieces(final Dataset data, final int parts) {
        final List<Moments> pieces = new ArrayList<>(parts);
        for (int p = 0; p < parts; p++) {
            pieces.add(data.welford(data.size() * p / parts, data.size() * (p + 1) / parts));
        }
        return pieces;
    }

    static void assertSameBits(final Moments actual, final Moments expected) {
        final int d = expected.dimension();
        assertThat(actual.dimension()).isEqualTo(d);
        assertThat(actual.count()).isEqualTo(expected.count());
        for (int i = 0; i < d; i++) {
            assertThat(Double.doubleToRawLongBits(actual.mean(i))).as("mean[%d] bits", i)
                .isEqualTo(Double.doubleToRawLongBits(expected.mean(i)));
            for (int j = i; j < d; j++) {
                assertThat(Double.doubleToRawLongBits(actual.comoment(i, j))).as("comoment[%d][%d] bits", i, j)
                    .isEqualTo(Double.doubleToRawLongBits(expected.comoment(i, j)));
            }
        }
    }
}
