package dev.vigil.daemon.stats;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Exact values for the small operations: clearing, the variance floor, a diagonal Gaussian's parts. */
class MomentsAndGaussianValuesTest {
    @Test
    void clearedMomentsEncodeAsAllZerosLikeNewOnes() {
        final Moments m = new Moments(3);
        m.add(new double[] {1e6, -2, 3});
        m.add(new double[] {1e6 + 4, 5, -6});
        m.clear();
        final byte[] encoded = new byte[Moments.encodedLength(3)];
        java.util.Arrays.fill(encoded, (byte)1);
        m.writeTo(new UnsafeBuffer(encoded), 0);
        assertThat(encoded).containsOnly(0);
        assertThat(m.count()).isZero();
    }

    @Test
    void theVarianceFloorAddsToEveryFeatureAndNothingElse() {
        final Moments m = new Moments(2);
        for (final double[] x : new double[][] {{0, 0}, {2, 1}, {0, 1}, {2, 0}}) {
            m.add(x);
        }
        assertThat(m.variance(0)).isCloseTo(1.0, within(1e-12));
        assertThat(m.variance(1)).isCloseTo(0.25, within(1e-12));
        final double covariance = m.comoment(0, 1);
        m.inflateVariance(0.5);
        assertThat(m.variance(0)).isCloseTo(1.5, within(1e-12));
        assertThat(m.variance(1)).isCloseTo(0.75, within(1e-12));
        assertThat(m.comoment(1, 0)).isEqualTo(covariance);
        assertThat(m.mean(0)).isEqualTo(1.0);
    }

    @Test
    void aDiagonalGaussianHasTheProductOfVariancesAsDeterminant() {
        final Moments m = new Moments(2);
        for (final double[] x : new double[][] {{1, 10}, {3, 14}, {1, 14}, {3, 10}}) {
            m.add(x);
        }
        final Gaussian g = Gaussian.fit(m, Gaussian.Ridge.WHEN_SINGULAR);
        assertThat(g.ridged()).isFalse();
        assertThat(g.ridge()).isZero();
        assertThat(g.dimension()).isEqualTo(2);
        assertThat(g.mean(0)).isEqualTo(2.0);
        assertThat(g.mean(1)).isEqualTo(12.0);
        assertThat(g.logDeterminant()).isCloseTo(Math.log(1.0 * 4.0), within(1e-12));
        assertThat(g.mahalanobis2(new double[] {3, 14})).as("one sd out on each").isCloseTo(2.0, within(1e-12));
    }
}
