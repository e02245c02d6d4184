package dev.vigil.accel;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/** The test references themselves, on the cases where rounding is hard. */
class ReferenceTest {
    private static final BigDecimal TINY = new BigDecimal(Double.MIN_VALUE).multiply(new BigDecimal("1e-40"));

    private static BigDecimal exact(final double x) {
        return new BigDecimal(x);
    }

    private static BigDecimal halfway(final double below) {
        return exact(below).add(exact(Math.nextUp(below))).divide(BigDecimal.valueOf(2));
    }

    @Test
    void everyDoubleRoundsToItself() {
        final SplittableRandom random = new SplittableRandom(1);
        for (int i = 0; i < 20_000; i++) {
            final double x = Double.longBitsToDouble(random.nextLong() & 0x7FEF_FFFF_FFFF_FFFFL | (random.nextBoolean() ? Long.MIN_VALUE : 0));
            assertThat(Reference.roundHalfEven(exact(x))).isEqualTo(x);
        }
        for (final double x : new double[] {Double.MIN_VALUE, Double.MIN_NORMAL, Double.MAX_VALUE, 1.0, Math.nextDown(Double.MIN_NORMAL)}) {
            assertThat(Reference.roundHalfEven(exact(x))).isEqualTo(x);
            assertThat(Reference.roundHalfEven(exact(-x))).isEqualTo(-x);
        }
    }

    @Test
    void halfwayCasesGoToTheEvenNeighbour() {
        // 1 + 2^-53: between 1 (even) and 1 + 2^-52 (odd)
        assertThat(Reference.roundHalfEven(halfway(1.0))).isEqualTo(1.0);
        // between 1 + 2^-52 (odd) and 1 + 2^-51 (even)
        assertThat(Reference.roundHalfEven(halfway(Math.nextUp(1.0)))).isEqualTo(Math.nextUp(Math.nextUp(1.0)));
        assertThat(Reference.roundHalfEven(halfway(1.0).negate())).isEqualTo(-1.0);
        // a hair above or below half decides
        assertThat(Reference.roundHalfEven(halfway(1.0).add(TINY))).isEqualTo(Math.nextUp(1.0));
        assertThat(Reference.roundHalfEven(halfway(Math.nextUp(1.0)).subtract(TINY))).isEqualTo(Math.nextUp(1.0));
        // 2^53 + 1 as an integer: ties to 2^53
        assertThat(Reference.roundHalfEven(new BigDecimal((1L << 53) + 1))).isEqualTo(0x1p53);
        assertThat(Reference.roundHalfEven(new BigDecimal((1L << 53) + 3))).isEqualTo(0x1p53 + 4);
    }

    @Test
    void subnormalBoundary() {
        final BigDecimal min = exact(Double.MIN_VALUE);
        // half the smallest subnormal ties to 0 (even); a hair more is MIN_VALUE
        assertThat(Reference.roundHalfEven(min.divide(BigDecimal.valueOf(2)))).isEqualTo(0.0);
        assertThat(Reference.roundHalfEven(min.divide(BigDecimal.valueOf(2)).add(TINY))).isEqualTo(Double.MIN_VALUE);
        assertThat(Reference.roundHalfEven(min.multiply(new BigDecimal("1.5")))).isEqualTo(2 * Double.MIN_VALUE);
        assertThat(Reference.roundHalfEven(min.multiply(new BigDecimal("2.5")))).isEqualTo(2 * Double.MIN_VALUE);
        // between the largest subnormal (odd) and MIN_NORMAL (even): up to MIN_NORMAL
        assertThat(Reference.roundHalfEven(halfway(Math.nextDown(Double.MIN_NORMAL)))).isEqualTo(Double.MIN_NORMAL);
        assertThat(Reference.roundHalfEven(halfway(Double.MIN_NORMAL))).isEqualTo(Double.MIN_NORMAL);
        assertThat(Reference.roundHalfEven(halfway(Double.MIN_NORMAL).add(TINY))).isEqualTo(Math.nextUp(Double.MIN_NORMAL));
    }

    @Test
    void overflowAtMaxValuePlusHalfAnUlp() {
        final BigDecimal halfUlp = exact(Math.ulp(Double.MAX_VALUE)).divide(BigDecimal.valueOf(2));
        final BigDecimal max = exact(Double.MAX_VALUE);
        assertThat(Reference.roundHalfEven(max.add(halfUlp))).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(Reference.roundHalfEven(max.add(halfUlp).negate())).isEqualTo(Double.NEGATIVE_INFINITY);
        assertThat(Reference.roundHalfEven(max.add(halfUlp).subtract(BigDecimal.ONE))).isEqualTo(Double.MAX_VALUE);
        assertThat(Reference.roundHalfEven(max.multiply(BigDecimal.TEN))).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(Reference.roundHalfEven(new BigDecimal("1e400"))).isEqualTo(Double.POSITIVE_INFINITY);
    }

    @Test
    void agreesWithThePlatformParserOnDecimalsNearHalfwayPoints() {
        final SplittableRandom random = new SplittableRandom(2);
        for (int i = 0; i < 2_000; i++) {
            final double x = Increments.term(random);
            if (x == 0 || x == Double.MAX_VALUE) {
                continue;
            }
            // a decimal of 17..40 digits near x, and x's exact halfway point to its neighbour
            final BigDecimal near = exact(x).round(new MathContext(17 + random.nextInt(24)));
            final BigDecimal half = halfway(x);
            for (final BigDecimal v : new BigDecimal[] {near, half, half.add(TINY), half.subtract(TINY)}) {
                assertThat(Reference.roundHalfEven(v)).as("%s", v).isEqualTo(Double.parseDouble(v.toString()));
            }
        }
    }

    @Test
    void theGroupedSumEqualsThePlainBigDecimalSum() {
        for (final boolean cancelling : new boolean[] {true, false}) {
            final double[] xs = Increments.mixed(3, 4_000, cancelling);
            assertThat(Reference.sum(xs)).isEqualByComparingTo(Reference.plainSum(xs));
        }
        final double[] big = new double[5000];
        java.util.Arrays.fill(big, Double.MAX_VALUE); // the per-group long overflows and is flushed
        assertThat(Reference.sum(big)).isEqualByComparingTo(exact(Double.MAX_VALUE).multiply(BigDecimal.valueOf(5000)));
    }
}
