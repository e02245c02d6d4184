package dev.vigil.daemon.stats;

import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link Gaussian}: the Cholesky route to D² agrees with an explicit inverse, and the ridge is
 * added exactly when the policy says so.
 *
 * <p>Tolerance for D²: relative {@code 64·d·ε·κ₁(R)}, ε = 2^-52 and κ₁(R) the 1-norm condition
 * number of the equilibrated (correlation-scaled) matrix that is inverted: the usual bound for a
 * backward-stable solve, with room. "Well-conditioned" means κ₁(R) ≤ 1e6, so D² agrees to
 * better than about 1e-8 relative even in the worst case allowed.
 */
class GaussianProperties {
    private static final double CONDITION_MAX = 1e6;
    private static final double SOLVE_ERROR_FACTOR = 64;
    private static final double REST_CONDITION_MAX = 1e4;

    @Provide
    Arbitrary<Dataset> fullRank() {
        return Dataset.of(List.of(Dataset.Regime.TINY_VARIANCE, Dataset.Regime.MIXED_SCALES), 1, 40, 200, false);
    }

    @Provide
    Arbitrary<Dataset> fullRankAtLeastTwoFeatures() {
        return Dataset.of(List.of(Dataset.Regime.TINY_VARIANCE, Dataset.Regime.MIXED_SCALES), 2, 40, 200, false);
    }

    @Property
    void mahalanobisEqualsTheExplicitInverseOnWellConditionedData(@ForAll("fullRank") final Dataset data) {
        final Moments m = data.welford();
        final ExplicitInverse direct = new ExplicitInverse(m, 0);
        Assume.that(direct.conditionNumber() <= CONDITION_MAX);

        final Gaussian model = Gaussian.fit(m, Gaussian.Ridge.WHEN_SINGULAR);

        assertThat(model).isNotNull();
        assertDistancesAgree(model, direct, data);
    }

    @Property
    void fullRankCovarianceIsNotRidgedWhenSingular(@ForAll("fullRank") final Dataset data) {
        final Moments m = data.welford();
        Assume.that(new ExplicitInverse(m, 0).conditionNumber() <= CONDITION_MAX);

        final Gaussian model = Gaussian.fit(m, Gaussian.Ridge.WHEN_SINGULAR);

        assertThat(model.ridged()).isFalse();
        assertThat(model.ridge()).isZero();
    }

    @Property
    void ridgeAlwaysAddsOneMillionthOfTheMeanVariance(@ForAll("fullRank") final Dataset data) {
        final Moments m = data.welford();

        final Gaussian model = Gaussian.fit(m, Gaussian.Ridge.ALWAYS);

        assertThat(model.ridged()).isTrue();
        assertThat(model.ridge()).isEqualTo(expectedRidge(m));
        assertDistancesAgree(model, new ExplicitInverse(m, model.ridge()), data);
    }

    /** Ways to make a covariance rank-deficient. */
    enum Deficiency {
        /** The last feature repeats the first. */
        DUPLICATE,
        /** The last feature is twice the first (exact in binary). */
        DOUBLED,
        /** The last feature is the sum of the first two (or twice the first when d = 2), rounded. */
        SUM,
        /** The last feature is a constant. */
        CONSTANT,
        /** Only d observations of d features: rank at most d − 1. */
        FEWER_ROWS_THAN_FEATURES
    }

    /**
     * Rank deficiency is caught when it survives rounding: the deficient direction's Cholesky
     * pivot comes out as rounding noise, about ε times the condition number of the rest of the
     * covariance, which must be well below {@link Gaussian#SINGULAR_PIVOT_RELATIVE}. So the rest
     * (all features but the last, over the same rows) must be well-conditioned, κ₁ ≤ 1e4. Beyond
     * that, d points in d dimensions can give a last pivot above 1e-10 (seen: 1.7e-10 with
     * κ₁ = 6e5; the smallest κ₁ among 158 misses in 200,000 such draws was 9.5e4), a matrix that
     * numpy's matrix_rank would also call full rank.
     */
    @Property
    void rankDeficientCovarianceIsRidgedWhenSingular(@ForAll("fullRankAtLeastTwoFeatures") final Dataset full,
                                                     @ForAll final Deficiency deficiency) {
        final Dataset data = full.withRows(deficient(full.rows, deficiency));
        Assume.that(restConditionNumber(data) <= REST_CONDITION_MAX);
        final Moments m = data.welford();

        final Gaussian model = Gaussian.fit(m, Gaussian.Ridge.WHEN_SINGULAR);

        assertThat(model).as("fitted").isNotNull();
        assertThat(model.ridged()).as("ridged").isTrue();
        assertThat(model.ridge()).isEqualTo(expectedRidge(m));
        assertDistancesAgree(model, new ExplicitInverse(m, model.ridge()), data);
    }

    @Example
    void thePivotThresholdIsOneInTenBillionOfTheDiagonal() {
        // Unit variances with correlation ρ: the second Cholesky pivot is 1 − ρ² of its diagonal.
        final double justSingular = Math.sqrt(1 - 1e-12);
        final double justRegular = Math.sqrt(1 - 1e-8);

        assertThat(Gaussian.fit(correlated(justSingular), Gaussian.Ridge.WHEN_SINGULAR).ridged()).isTrue();
        assertThat(Gaussian.fit(correlated(justRegular), Gaussian.Ridge.WHEN_SINGULAR).ridged()).isFalse();
        assertThat(Gaussian.SINGULAR_PIVOT_RELATIVE).isBetween(1e-12, 1e-8);
    }

    @Example
    void nothingToFitWithoutTwoObservationsOrWithoutVariance() {
        final Moments m = new Moments(3);
        assertThat(Gaussian.fit(m, Gaussian.Ridge.ALWAYS)).isNull();
        m.add(new double[] {1, 2, 3});
        assertThat(Gaussian.fit(m, Gaussian.Ridge.ALWAYS)).isNull();
        m.add(new double[] {1, 2, 3});
        assertThat(Gaussian.fit(m, Gaussian.Ridge.ALWAYS)).as("zero covariance").isNull();
        assertThat(Gaussian.fit(m, Gaussian.Ridge.WHEN_SINGULAR)).as("zero covariance").isNull();
    }

    @Example
    void unitCovarianceGivesTheSquaredEuclideanDistance() {
        // count 4, mean (1, -2), co-moments 4·I: covariance I.
        final Gaussian model = Gaussian.fit(moments(2, 4, new double[] {1, -2}, new double[] {4, 0, 4}), Gaussian.Ridge.WHEN_SINGULAR);

        assertThat(model.ridged()).isFalse();
        assertThat(model.mahalanobis2(new double[] {4, 2})).isEqualTo(25.0);
        assertThat(model.logDeterminant()).isZero();
    }

    private static void assertDistancesAgree(final Gaussian model, final ExplicitInverse direct, final Dataset data) {
        final double allowedRelative = SOLVE_ERROR_FACTOR * data.dimension() * Math.ulp(1.0) * direct.conditionNumber();
        for (final double[] x : data.rows) {
            final double expected = direct.mahalanobis2(x);
            final double actual = model.mahalanobis2(x);
            assertThat(Math.abs(actual - expected))
                .as("D² %s vs explicit inverse %s (allowed relative %s, κ₁ %s)", actual, expected, allowedRelative, direct.conditionNumber())
                .isLessThanOrEqualTo(allowedRelative * expected + Double.MIN_NORMAL);
        }
    }

    /** κ₁ of the equilibrated covariance of all features but the last. */
    private static double restConditionNumber(final Dataset data) {
        final int rest = data.dimension() - 1;
        final Moments m = new Moments(rest);
        for (final double[] row : data.rows) {
            m.add(java.util.Arrays.copyOf(row, rest));
        }
        return new ExplicitInverse(m, 0).conditionNumber();
    }

    /** λ = 1e-6 · trace(Σ) / d, summed in feature order like {@link Gaussian#fit}. */
    private static double expectedRidge(final Moments m) {
        double trace = 0;
        for (int i = 0; i < m.dimension(); i++) {
            trace += m.variance(i);
        }
        return Gaussian.RIDGE_FRACTION * trace / m.dimension();
    }

    private static double[][] deficient(final double[][] rows, final Deficiency deficiency) {
        final int d = rows[0].length;
        final int n = deficiency == Deficiency.FEWER_ROWS_THAN_FEATURES ? d : rows.length;
        final double[][] out = new double[n][];
        for (int k = 0; k < n; k++) {
            out[k] = rows[k].clone();
            final double[] x = out[k];
            switch (deficiency) {
                case DUPLICATE -> x[d - 1] = x[0];
                case DOUBLED -> x[d - 1] = 2 * x[0];
                case SUM -> x[d - 1] = x[0] + x[d > 2 ? 1 : 0];
                case CONSTANT -> x[d - 1] = 42.5;
                case FEWER_ROWS_THAN_FEATURES -> { }
                default -> throw new AssertionError(deficiency);
            }
        }
        return out;
    }

    /** Two unit-variance features with correlation ρ, over 1000 observations. */
    private static Moments correlated(final double rho) {
        final double n = 1000;
        return moments(2, 1000, new double[] {0, 0}, new double[] {n, n * rho, n});
    }

    /** Statistics with exactly the given count, mean and packed co-moments, through the codec. */
    /** Statistics with the given count, mean (as the shift, relative mean 0) and co-moments. */
    private static Moments moments(final int d, final long count, final double[] mean, final double[] comoment) {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[Moments.encodedLength(d)]);
        buffer.putLong(0, count, java.nio.ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < d; i++) {
            buffer.putDouble(8 + 8 * i, mean[i], java.nio.ByteOrder.LITTLE_ENDIAN);
            buffer.putDouble(8 + 8 * d + 8 * i, 0.0, java.nio.ByteOrder.LITTLE_ENDIAN);
        }
        for (int k = 0; k < comoment.length; k++) {
            buffer.putDouble(8 + 16 * d + 8 * k, comoment[k], java.nio.ByteOrder.LITTLE_ENDIAN);
        }
        final Moments m = new Moments(d);
        m.readFrom(buffer, 0);
        return m;
    }
}
