package dev.vigil.daemon.detect;

import dev.vigil.daemon.stats.Gaussian;
import dev.vigil.daemon.stats.Moments;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The variance floor under every baseline: a feature that happened to be constant still gets a spread. */
class BaselineFloorTest {
    @Test
    void aConstantFeatureIsFittedWithTheFloorAsItsVarianceAndNoRidge() {
        final Moments m = new Moments(2);
        for (final double x : new double[] {1, 3, 1, 3}) {
            m.add(new double[] {x, 7});
        }
        final Gaussian g = Baselines.fitFloored(m, 0.01);
        assertThat(g.ridged()).isFalse();
        assertThat(g.logDeterminant()).isCloseTo(Math.log((1 + 0.01) * 0.01), within(1e-9));
        assertThat(g.mahalanobis2(new double[] {2, 7.1})).isCloseTo(0.01 / 0.01, within(1e-9));
        assertThat(m.variance(1)).as("the statistics themselves are not changed").isZero();
    }
}
