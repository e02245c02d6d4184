package dev.vigil.accel;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.statistics.Statistics;

import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Laws of {@link ExactSum}: the correctly rounded exact sum whatever the terms; the same bytes in
 * any order and any batching; merge commutative and associative to the byte; the encoding round
 * trips, and the decoder is total (every input is refused or is the canonical encoding of what it
 * decodes to).
 */
class ExactSumProperties {
    private static final double[] EDGES = {
        0.0, -0.0, Double.MIN_VALUE, 2 * Double.MIN_VALUE, 1e-310, Math.nextDown(Double.MIN_NORMAL), Double.MIN_NORMAL,
        1e-300, 0x1p-53, 1.0, Math.nextUp(1.0), 3.0, 1e300, Math.nextDown(Double.MAX_VALUE), Double.MAX_VALUE,
    };

    /** One finite double: any bit pattern, subnormals, edges, log-likelihood-ratio sizes. */
    @Provide
    Arbitrary<Double> term() {
        final Arbitrary<Double> anyBits = Arbitraries.longs().map(Double::longBitsToDouble).filter(Double::isFinite);
        final Arbitrary<Double> subnormal = Arbitraries.longs().between(1, (1L << 52) - 1).map(Double::longBitsToDouble);
        final Arbitrary<Double> edge = Arbitraries.of(java.util.Arrays.stream(EDGES).boxed().toList());
        final Arbitrary<Double> llr = Arbitraries.doubles().between(-50, 50);
        final Arbitrary<Double> magnitude = Arbitraries.frequencyOf(
            net.jqwik.api.Tuple.of(3, anyBits), net.jqwik.api.Tuple.of(2, subnormal),
            net.jqwik.api.Tuple.of(2, edge), net.jqwik.api.Tuple.of(3, llr));
        return Combinators.combine(magnitude, Arbitraries.of(1.0, -1.0)).as((x, sign) -> sign * x);
    }

    /** Terms, and terms that also appear negated (so big ones cancel and small ones decide). */
    @Provide
    Arbitrary<double[]> increments() {
        return increments(2000);
    }

    @Provide
    Arbitrary<double[]> manyIncrements() {
        return increments(10_000);
    }

    private Arbitrary<double[]> increments(final int sizeMax) {
        // sizes drawn uniformly (jqwik's own list sizes favour short lists)
        final Arbitrary<List<Double>> plain = Arbitraries.integers().between(0, sizeMax / 2)
            .flatMap(n -> term().list().ofSize(n));
        final Arbitrary<List<Double>> paired = Arbitraries.integers().between(0, sizeMax / 4)
            .flatMap(n -> term().list().ofSize(n));
        return Combinators.combine(plain, paired, Arbitraries.longs()).as((p, q, seed) -> {
            final double[] xs = new double[p.size() + 2 * q.size()];
            int i = 0;
            for (final double x : p) {
                xs[i++] = x;
            }
            for (final double x : q) {
                xs[i++] = x;
                xs[i++] = -x;
            }
            Increments.shuffle(xs, new SplittableRandom(seed));
            return xs;
        });
    }

    /** Terms per try, by decade, in the jqwik report. */
    private static String sizeClass(final int n) {
        return n < 10 ? "terms < 10" : n < 100 ? "terms 10..99" : n < 1000 ? "terms 100..999" : "terms 1000+";
    }

    private static ExactSum sumOf(final double[] xs) {
        final ExactSum sum = new ExactSum();
        sum.add(xs);
        return sum;
    }

    @Property
    void valueIsTheExactSumRoundedToNearestEven(@ForAll("increments") final double[] xs) {
        Statistics.collect(sizeClass(xs.length));
        assertThat(Double.doubleToRawLongBits(sumOf(xs).value()))
            .isEqualTo(Double.doubleToRawLongBits(Reference.roundedSum(xs)));
    }

    @Property(tries = 300)
    void mixedGeneratorSumsAreExact(@ForAll final long seed, @ForAll @IntRange(min = 1, max = 4000) final int n,
                                    @ForAll final boolean cancelling) {
        final double[] xs = Increments.mixed(seed, n, cancelling);
        assertThat(Double.doubleToRawLongBits(sumOf(xs).value()))
            .isEqualTo(Double.doubleToRawLongBits(Reference.roundedSum(xs)));
    }

    @Property
    void anyOrderAndBatchingGivesTheSameBytesAndBits(@ForAll("manyIncrements") final double[] xs, @ForAll final long seed) {
        Statistics.collect(sizeClass(xs.length));
        final ExactSum reference = sumOf(xs);
        final SplittableRandom random = new SplittableRandom(seed);
        final ExactSum other = Batching.sumInRandomTree(Increments.shuffled(xs, random.nextLong()), random, 16);
        assertThat(other.toBytes()).isEqualTo(reference.toBytes());
        assertThat(Double.doubleToRawLongBits(other.value())).isEqualTo(Double.doubleToRawLongBits(reference.value()));
    }

    @Property
    void tiesGoToTheEvenNeighbourWhateverSurroundsThem(@ForAll @IntRange(min = 2, max = 2046) final int exponent,
                                                      @ForAll final long fraction, @ForAll final boolean negative,
                                                      @ForAll @Size(max = 200) final List<@net.jqwik.api.From("term") Double> noise,
                                                      @ForAll final boolean aHairMore) {
        final double a = Double.longBitsToDouble(((long) exponent << 52) | (fraction & ((1L << 52) - 1)));
        final double half = Math.ulp(a) / 2; // exact: exponent ≥ 2, so ulp(a) ≥ 2^-1073
        final double[] xs = new double[3 + 2 * noise.size()];
        xs[0] = a;
        xs[1] = half;
        xs[2] = aHairMore ? Double.MIN_VALUE : 0.0;
        for (int i = 0; i < noise.size(); i++) {
            xs[3 + 2 * i] = noise.get(i);
            xs[4 + 2 * i] = -noise.get(i);
        }
        final double sign = negative ? -1 : 1;
        for (int i = 0; i < xs.length; i++) {
            xs[i] *= sign;
        }
        Increments.shuffle(xs, new SplittableRandom(fraction));
        final boolean even = (Double.doubleToRawLongBits(a) & 1) == 0;
        final double expected = sign * (even && !aHairMore ? a : Math.nextUp(a));
        assertThat(sumOf(xs).value()).isEqualTo(expected);
    }

    @Property(tries = 300)
    void mergeIsCommutativeAndAssociativeToTheByte(@ForAll("increments") final double[] a, @ForAll("increments") final double[] b,
                                                   @ForAll("increments") final double[] c) {
        final ExactSum ab = sumOf(a);
        ab.merge(sumOf(b));
        final ExactSum ba = sumOf(b);
        ba.merge(sumOf(a));
        assertThat(ab.toBytes()).isEqualTo(ba.toBytes());

        final ExactSum abThenC = ab.copy();
        abThenC.merge(sumOf(c));
        final ExactSum bc = sumOf(b);
        bc.merge(sumOf(c));
        final ExactSum aThenBc = sumOf(a);
        aThenBc.merge(bc);
        assertThat(abThenC.toBytes()).isEqualTo(aThenBc.toBytes());
        assertThat(Double.doubleToRawLongBits(abThenC.value())).isEqualTo(Double.doubleToRawLongBits(aThenBc.value()));
    }

    @Property
    void encodingRoundTripsAndTheDecodedSumCarriesOn(@ForAll("increments") final double[] xs, @ForAll("increments") final double[] more) {
        final ExactSum sum = sumOf(xs);
        final byte[] bytes = sum.toBytes();
        assertThat(bytes.length).isEqualTo(sum.serializedSize()).isBetween(ExactSum.SERIALIZED_BYTES_MIN, ExactSum.SERIALIZED_BYTES_MAX);
        final ExactSum back = ExactSum.readFrom(bytes, 0, bytes.length);
        assertThat(back.toBytes()).isEqualTo(bytes);
        assertThat(Double.doubleToRawLongBits(back.value())).isEqualTo(Double.doubleToRawLongBits(sum.value()));
        sum.add(more);
        back.add(more);
        assertThat(back.toBytes()).isEqualTo(sum.toBytes());
    }

    @Property
    void theDecoderIsTotalOnMutatedEncodings(@ForAll("increments") final double[] xs, @ForAll @IntRange(max = 300) final int at,
                                             @ForAll final byte value, @ForAll @IntRange(min = -8, max = 8) final int resize) {
        final byte[] good = sumOf(xs).toBytes();
        final byte[] bad = java.util.Arrays.copyOf(good, Math.max(0, good.length + resize));
        if (bad.length > 0) {
            bad[at % bad.length] = value;
        }
        final ExactSum decoded;
        try {
            decoded = ExactSum.readFrom(bad, 0, bad.length);
        } catch (final IllegalArgumentException refused) {
            assertThat(refused).hasMessageStartingWith("ExactSum encoding refused: ");
            return;
        }
        assertThat(decoded.toBytes()).isEqualTo(bad); // accepted only as the canonical encoding of its sum
        assertThat(decoded.value()).isNotNaN();
    }

    @Property
    void theDecoderIsTotalOnArbitraryBytes(@ForAll @Size(max = 300) final byte[] bytes) {
        try {
            assertThat(ExactSum.readFrom(bytes, 0, bytes.length).toBytes()).isEqualTo(bytes);
        } catch (final IllegalArgumentException refused) {
            assertThat(refused).hasMessageStartingWith("ExactSum encoding refused: ");
        }
    }

    @Property(tries = 200)
    void refusedTermsLeaveTheSumAsItWas(@ForAll("increments") final double[] xs, @ForAll final int where,
                                        @ForAll("nonFinite") final double bad) {
        final ExactSum sum = sumOf(xs);
        final byte[] before = sum.toBytes();
        final double[] withBad = java.util.Arrays.copyOf(xs, xs.length + 1);
        final int at = Math.floorMod(where, withBad.length);
        withBad[withBad.length - 1] = withBad[at];
        withBad[at] = bad;
        assertThatThrownBy(() -> sum.add(withBad)).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining(Double.toString(bad)).hasMessageContaining("index " + at);
        assertThat(sum.toBytes()).isEqualTo(before);
    }

    @Provide
    Arbitrary<Double> nonFinite() {
        return Arbitraries.of(Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY,
            Double.longBitsToDouble(0x7FF0_0000_0000_0001L), Double.longBitsToDouble(0xFFF8_0000_0000_0123L));
    }
}
