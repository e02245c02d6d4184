package dev.vigil.daemon.stats;

import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Welford updates and Chan merges against exact decimal arithmetic ({@link ExactMoments}) on
 * ill-conditioned data: variances down to 1e-12, scales from 1e-6 to 1e6 in one data set, and
 * offsets of 1e6 to 1e12 with noise of 1e-6 to 10.
 *
 * <p>Mean: within 1e-12 of max|x| everywhere, large offsets included. Co-moments, measured
 * against sqrt(C_ii·C_jj) (C_ii itself on the diagonal): within 1e-12 everywhere, large offsets
 * included, because {@link Moments} keeps its statistics relative to a shift (a plain double
 * mean would leave 1e9 + noise of 1e-3 with co-moments about 1e-4 off).
 */
class MomentsReferenceProperties {

    @Provide
    Arbitrary<Dataset> nearZero() {
        return Dataset.of(List.of(Dataset.Regime.TINY_VARIANCE, Dataset.Regime.MIXED_SCALES), 1, 8, 200, true);
    }

    @Provide
    Arbitrary<Dataset> anyRegime() {
        return Dataset.any(1, 200);
    }

    @Property(tries = 300)
    void welfordMatchesExactArithmeticToOneInATrillionNearZero(@ForAll("nearZero") final Dataset data) {
        Tolerance.assertAgrees("Welford", data.welford(), new ExactMoments(data.rows), data);
    }

    @Property(tries = 300)
    void chanMergesMatchExactArithmeticToOneInATrillionNearZero(@ForAll("nearZero") final Dataset data,
                                                               @ForAll @IntRange(min = 2, max = 8) final int parts) {
        final Moments merged = Moments.mergeInOrder(data.dimension(), MomentsProperties.pieces(data, parts));

        Tolerance.assertAgrees("Chan merge of " + parts + " pieces", merged, new ExactMoments(data.rows), data);
    }

    @Property(tries = 300)
    void farFromZeroTheShiftKeepsOneInATrillion(@ForAll("anyRegime") final Dataset data,
                                                @ForAll @IntRange(min = 1, max = 8) final int parts) {
        final ExactMoments exact = new ExactMoments(data.rows);

        Tolerance.assertAgrees("Welford", data.welford(), exact, data);
        Tolerance.assertAgrees("Chan merge of " + parts + " pieces",
            Moments.mergeInOrder(data.dimension(), MomentsProperties.pieces(data, parts)), exact, data);
    }

    @Example
    void varianceOfOneInAMillionIsExactToOneInATrillion() {
        final double[][] rows = new double[1000][3];
        final java.util.Random random = new java.util.Random(7);
        for (final double[] row : rows) {
            row[0] = 1e-3 * random.nextGaussian();
            row[1] = 0.5 + 1e-3 * random.nextGaussian();
            row[2] = row[0] + 1e-6 * random.nextGaussian(); // correlation 0.9999995 with feature 0
        }
        final Dataset data = Dataset.fixed(Dataset.Regime.TINY_VARIANCE, 3, 1, 0L).withRows(rows);

        Tolerance.assertAgrees("Welford", data.welford(), new ExactMoments(rows), data);
        assertThat(data.welford().variance(0)).isCloseTo(1e-6, org.assertj.core.data.Percentage.withPercentage(10));
    }

    @Example
    void aBillionPlusNoiseKeepsMeanAndCoMomentsToOneInATrillion() {
        final double[][] rows = new double[500][2];
        final java.util.Random random = new java.util.Random(11);
        for (final double[] row : rows) {
            row[0] = 1e9 + 1e-3 * random.nextGaussian();
            row[1] = -1e9 + 1.0 * random.nextGaussian();
        }
        final Dataset data = Dataset.fixed(Dataset.Regime.LARGE_OFFSET, 2, 1, 0L).withRows(rows);
        final ExactMoments exact = new ExactMoments(rows);
        final Moments welford = data.welford();

        Tolerance.assertAgrees("Welford", welford, exact, data);
        assertThat(Math.abs(welford.mean(0) - exact.mean(0))).isLessThanOrEqualTo(1e-12 * 1e9);
        // Values near 1e9 are resolved to 1.2e-7, a ten-thousandth of the noise; a mean kept in one
        // double would leave the variance 3.5e-5 off. Relative to the first row, differences are exact.
        assertThat(Math.abs(welford.comoment(0, 0) - exact.comoment(0, 0)) / exact.comoment(0, 0)).isLessThan(1e-12);
        assertThat(Math.abs(welford.comoment(1, 1) - exact.comoment(1, 1)) / exact.comoment(1, 1)).isLessThan(1e-12);
    }
}
