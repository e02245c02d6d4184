package dev.vigil.accel;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.MathContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SigmoidTest {
    private static final BigDecimal LN2 = new BigDecimal(
        "0.69314718055994530941723212145817656807550013436025525412068000949339362196969471560586332699641868754200148102");
    private static final MathContext PRECISION = MathContext.DECIMAL128;

    @Test
    void middleAndEnds() {
        assertThat(Sigmoid.of(0.0)).isEqualTo(0.5);
        assertThat(Sigmoid.of(-0.0)).isEqualTo(0.5);
        assertThat(Sigmoid.of(Double.POSITIVE_INFINITY)).isEqualTo(1.0);
        assertThat(Sigmoid.of(Double.NEGATIVE_INFINITY)).isEqualTo(0.0);
        assertThat(Sigmoid.of(Double.MAX_VALUE)).isEqualTo(1.0);
        assertThat(Sigmoid.of(-Double.MAX_VALUE)).isEqualTo(0.0);
        assertThat(Sigmoid.of(Double.MIN_VALUE)).isEqualTo(0.5);
        assertThatThrownBy(() -> Sigmoid.of(Double.NaN)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("NaN");
    }

    @Test
    void agreesWithTheTextbookFormulaWhereThatOneIsAccurate() {
        for (double z = -30; z <= 30; z += 0.0137) {
            final double textbook = 1 / (1 + StrictMath.exp(-z));
            assertThat(Math.abs(Sigmoid.of(z) - textbook)).as("z = %s", z).isLessThanOrEqualTo(2 * Math.ulp(textbook));
        }
    }

    @Test
    void neverDecreasesAndStaysInZeroOne() {
        double previous = 0;
        for (double z = -800; z <= 800; z += 0.25) {
            final double p = Sigmoid.of(z);
            assertThat(p).isBetween(0.0, 1.0).isGreaterThanOrEqualTo(previous);
            previous = p;
        }
    }

    @Test
    void exactlyOneOnlyWhereTheTrueValueRoundsToOne() {
        // σ(z) rounds to 1 from z1 = ln(2^54 - 1) on (there 1 - σ = 2^-54, half the gap below 1)
        final BigDecimal z1 = LN2.multiply(BigDecimal.valueOf(54), PRECISION)
            .subtract(new BigDecimal(0x1p-54), PRECISION); // ln(1 - 2^-54) = -2^-54 - ...: far below an ulp of 37
        final double nearest = z1.doubleValue();
        final BigDecimal margin = new BigDecimal("1e-15"); // a seventh of an ulp at 37.4
        double z = nearest;
        for (int i = 0; i < 3000; i++) {
            z = Math.nextDown(z);
        }
        for (int i = 0; i < 6000; i++, z = Math.nextUp(z)) {
            final BigDecimal exact = new BigDecimal(z);
            if (exact.compareTo(z1.subtract(margin)) < 0) {
                assertThat(Sigmoid.of(z)).as("z = %s", z).isLessThan(1.0);
                assertThat(Sigmoid.of(-z)).as("z = %s", -z).isGreaterThan(0.0);
            } else if (exact.compareTo(z1.add(margin)) > 0) {
                assertThat(Sigmoid.of(z)).as("z = %s", z).isEqualTo(1.0);
            }
        }
        // the textbook formula already says 1.0 at 37, where the nearest double is 1 - 2^-53
        assertThat(1 / (1 + StrictMath.exp(-37.0))).isEqualTo(1.0);
        assertThat(Sigmoid.of(37.0)).isEqualTo(Math.nextDown(1.0));
        assertThat(Sigmoid.of(36.0)).isEqualTo(1 - 0x1p-52);
    }

    @Test
    void exactlyZeroOnlyWhereTheTrueValueIsBelowHalfTheSmallestSubnormal() {
        // σ(z) ≈ e^z there; e^z = 2^-1075 (half of MIN_VALUE, a tie that goes to 0) at z0 = -1075 ln 2
        final BigDecimal z0 = LN2.multiply(BigDecimal.valueOf(-1075), PRECISION);
        final BigDecimal margin = new BigDecimal("1e-12"); // 9 ulps at 745
        double z = z0.doubleValue();
        for (int i = 0; i < 2000; i++) {
            z = Math.nextDown(z);
        }
        for (int i = 0; i < 4000; i++, z = Math.nextUp(z)) {
            final BigDecimal exact = new BigDecimal(z);
            if (exact.compareTo(z0.subtract(margin)) < 0) {
                assertThat(Sigmoid.of(z)).as("z = %s", z).isEqualTo(0.0);
            } else if (exact.compareTo(z0.add(margin)) > 0) {
                assertThat(Sigmoid.of(z)).as("z = %s", z).isEqualTo(Double.MIN_VALUE);
            }
        }
        assertThat(Sigmoid.of(-745.0)).isEqualTo(Double.MIN_VALUE);
        assertThat(Sigmoid.of(-746.0)).isEqualTo(0.0);
        assertThat(Sigmoid.of(-700.0)).isEqualTo(StrictMath.exp(-700.0));
    }
}
