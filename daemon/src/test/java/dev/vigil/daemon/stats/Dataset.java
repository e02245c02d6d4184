package dev.vigil.daemon.stats;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Generated observations for the statistics properties: feature j is
 * offset_j + spread_j · (z_j + mix_j · z_0) with z standard normal, so features are correlated
 * through z_0 and each has its own scale. jqwik picks the regime, dimension, row count and a seed;
 * everything else comes from the seed, so a failing sample is replayed from its printed
 * parameters, and the noise is never degenerate the way hand-shrunk arrays can be.
 */
final class Dataset {
    /** Where the offsets and spreads come from (exponents of 10, drawn uniformly). */
    enum Regime {
        /** Variances 1e-12 to 1e-6, within 100 spreads of zero. */
        TINY_VARIANCE(-6, -3, -2, 2, false),
        /** Spreads from 1e-6 to 1e6 in one data set, within 100 spreads of zero. */
        MIXED_SCALES(-6, 6, -2, 2, false),
        /** ±1e6 to ±1e12 plus noise with spread 1e-6 to 10: "1e9 + tiny noise". */
        LARGE_OFFSET(-6, 1, 6, 12, true);

        final double spreadExponentMin;
        final double spreadExponentMax;
        final double offsetExponentMin;
        final double offsetExponentMax;
        /** Whether the offset exponent is absolute (true) or relative to the spread (false). */
        final boolean absoluteOffset;

        Regime(final double spreadMin, final double spreadMax, final double offsetMin, final double offsetMax, final boolean absolute) {
            this.spreadExponentMin = spreadMin;
            this.spreadExponentMax = spreadMax;
            this.offsetExponentMin = offsetMin;
            this.offsetExponentMax = offsetMax;
            this.absoluteOffset = absolute;
        }
    }

    /** One feature in this many is constant (spread 0), to cover exact zeros. */
    private static final int CONSTANT_FEATURE_ONE_IN = 8;
    static final int DIMENSION_MAX = 6;

    final Regime regime;
    final long seed;
    final double[] offset;
    final double[] spread;
    final double[] mix;
    final double[][] rows;

    private Dataset(final Regime regime, final int dimension, final int rowCount, final long seed, final boolean constantFeatures) {
        this.regime = regime;
        this.seed = seed;
        final Random random = new Random(seed);
        offset = new double[dimension];
        spread = new double[dimension];
        mix = new double[dimension];
        for (int j = 0; j < dimension; j++) {
            final boolean constant = random.nextInt(CONSTANT_FEATURE_ONE_IN) == 0 && constantFeatures;
            spread[j] = constant ? 0
                : Math.pow(10, uniform(random, regime.spreadExponentMin, regime.spreadExponentMax));
            final double magnitude = Math.pow(10, uniform(random, regime.offsetExponentMin, regime.offsetExponentMax));
            final double unit = regime.absoluteOffset ? 1 : Math.max(spread[j], 1e-6);
            offset[j] = (random.nextBoolean() ? 1 : -1) * magnitude * unit;
            mix[j] = j == 0 ? 0 : uniform(random, -1, 1);
        }
        rows = new double[rowCount][dimension];
        for (final double[] row : rows) {
            final double z0 = random.nextGaussian();
            for (int j = 0; j < dimension; j++) {
                final double z = j == 0 ? z0 : random.nextGaussian() + mix[j] * z0;
                row[j] = offset[j] + spread[j] * z;
            }
        }
    }

    private static double uniform(final Random random, final double min, final double max) {
        return min + (max - min) * random.nextDouble();
    }

    /**
     * @param constantFeatures whether a feature may be constant (one in {@value #CONSTANT_FEATURE_ONE_IN});
     *                         without, the covariance has full rank almost surely once rows > dimension
     */
    static Arbitrary<Dataset> of(final List<Regime> regimes, final int dimensionMin, final int rowsMin, final int rowsMax,
                                 final boolean constantFeatures) {
        return Combinators.combine(
                Arbitraries.of(regimes),
                Arbitraries.integers().between(dimensionMin, DIMENSION_MAX),
                Arbitraries.integers().between(rowsMin, rowsMax),
                Arbitraries.longs())
            .as((regime, d, n, seed) -> new Dataset(regime, d, n, seed, constantFeatures));
    }

    /** Any regime, dimension 1 to {@value #DIMENSION_MAX}, constant features included. */
    static Arbitrary<Dataset> any(final int rowsMin, final int rowsMax) {
        return of(List.of(Regime.values()), 1, rowsMin, rowsMax, true);
    }

    /** A data set with fixed parameters, for examples. */
    static Dataset fixed(final Regime regime, final int dimension, final int rowCount, final long seed) {
        return new Dataset(regime, dimension, rowCount, seed, false);
    }

    /** This data set with its rows replaced (same parameters, for messages). */
    Dataset withRows(final double[][] replacement) {
        return new Dataset(this, replacement);
    }

    private Dataset(final Dataset parameters, final double[][] replacement) {
        this.regime = parameters.regime;
        this.seed = parameters.seed;
        this.offset = parameters.offset;
        this.spread = parameters.spread;
        this.mix = parameters.mix;
        this.rows = replacement;
    }

    int dimension() {
        return offset.length;
    }

    int size() {
        return rows.length;
    }

    /** max_k |x_kj|: the scale of feature j's values, which the mean can only be resolved to. */
    double magnitude(final int j) {
        double m = 0;
        for (final double[] row : rows) {
            m = Math.max(m, Math.abs(row[j]));
        }
        return m;
    }

    Moments welford() {
        return welford(0, rows.length);
    }

    /** Welford over rows [from, to). */
    Moments welford(final int from, final int to) {
        final Moments m = new Moments(dimension());
        for (int k = from; k < to; k++) {
            m.add(rows[k]);
        }
        return m;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "Dataset[%s, d=%d, n=%d, seed=%dL, offset=%s, spread=%s]",
            regime, dimension(), size(), seed, Arrays.toString(offset), Arrays.toString(spread));
    }
}
