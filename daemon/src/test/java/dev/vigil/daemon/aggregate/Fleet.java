package dev.vigil.daemon.aggregate;

import dev.vigil.daemon.stats.Moments;
import org.agrona.concurrent.UnsafeBuffer;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Random;

/**
 * Generated fleets for the aggregation tests: every contributor (a leaf node) has its own rows,
 * feature j being base_j + bias_cj + spread_j · (z_j + mix_j · z_0), all from one seed so a
 * failure replays from its printed parameters. Also the exact reference and bit comparisons.
 */
final class Fleet {
    /** Where bases, biases and spreads come from. */
    enum Regime {
        /** One fleet-wide base of ±1e6 to ±1e11.9 per feature, noise 1e-6 to 10, small per-node bias; feature 0 constant. */
        LARGE_OFFSET,
        /** Near zero, spreads from 1e-6 to 1e6 in one fleet. */
        MIXED_SCALES,
        /** Every node has its own base, ±1 to ±1e11: the spread between nodes dominates. */
        HETEROGENEOUS
    }

    final Regime regime;
    final long seed;
    final int dimension;
    /** rows[c] are contributor c's observations (possibly none). */
    final double[][][] rows;

    Fleet(final Regime regime, final int dimension, final int contributors, final int rowsMax, final long seed) {
        this.regime = regime;
        this.seed = seed;
        this.dimension = dimension;
        final Random random = new Random(seed);
        final double[] base = new double[dimension];
        final double[] spread = new double[dimension];
        final double[] mix = new double[dimension];
        for (int j = 0; j < dimension; j++) {
            spread[j] = switch (regime) {
                case LARGE_OFFSET -> j == 0 ? 0 : Math.pow(10, uniform(random, -6, 1));
                case MIXED_SCALES -> Math.pow(10, uniform(random, -6, 6));
                case HETEROGENEOUS -> Math.pow(10, uniform(random, -3, 3));
            };
            base[j] = switch (regime) {
                case LARGE_OFFSET -> sign(random) * Math.pow(10, uniform(random, 6, 11.9));
                case MIXED_SCALES -> spread[j] * uniform(random, -100, 100);
                case HETEROGENEOUS -> 0;
            };
            mix[j] = j == 0 ? 0 : uniform(random, -1, 1);
        }
        rows = new double[contributors][][];
        for (int c = 0; c < contributors; c++) {
            final double[] bias = new double[dimension];
            for (int j = 0; j < dimension; j++) {
                bias[j] = regime == Regime.HETEROGENEOUS
                    ? sign(random) * Math.pow(10, uniform(random, 0, 11))
                    : spread[j] * uniform(random, -3, 3);
            }
            // one node in fifty has no observations yet
            final int n = random.nextInt(50) == 0 ? 0 : 1 + random.nextInt(rowsMax);
            rows[c] = new double[n][dimension];
            for (final double[] row : rows[c]) {
                final double z0 = random.nextGaussian();
                for (int j = 0; j < dimension; j++) {
                    final double z = j == 0 ? z0 : random.nextGaussian() + mix[j] * z0;
                    row[j] = base[j] + bias[j] + spread[j] * z;
                }
            }
        }
    }

    private static double uniform(final Random random, final double min, final double max) {
        return min + (max - min) * random.nextDouble();
    }

    private static double sign(final Random random) {
        return random.nextBoolean() ? 1 : -1;
    }

    /** Welford over contributor c's rows. */
    Moments moments(final int c) {
        final Moments m = new Moments(dimension);
        for (final double[] row : rows[c]) {
            m.add(row);
        }
        return m;
    }

    double[][] allRows() {
        int n = 0;
        for (final double[][] r : rows) {
            n += r.length;
        }
        final double[][] all = new double[n][];
        int k = 0;
        for (final double[][] r : rows) {
            for (final double[] row : r) {
                all[k++] = row;
            }
        }
        return all;
    }

    @Override
    public String toString() {
        return "Fleet[" + regime + ", d=" + dimension + ", contributors=" + rows.length + ", seed=" + seed + "L]";
    }

    static byte[] bits(final Moments m) {
        final byte[] bytes = new byte[Moments.encodedLength(m.dimension())];
        m.writeTo(new UnsafeBuffer(bytes), 0);
        return bytes;
    }

    /**
     * Mean and co-moments of all rows in exact decimal arithmetic: sums and products of doubles
     * are exact as BigDecimals, so n·C_ij = n·Σx_i x_j − Σx_i·Σx_j is exact and the one division
     * by n rounds at 34 digits, far below what a double resolves.
     */
    static final class Exact {
        final long count;
        final double[] mean;
        final double[][] comoment;
        final double[] magnitude;

        Exact(final double[][] rows, final int d) {
            count = rows.length;
            final BigDecimal n = BigDecimal.valueOf(rows.length);
            final BigDecimal[] sum = new BigDecimal[d];
            final BigDecimal[][] products = new BigDecimal[d][d];
            magnitude = new double[d];
            for (int i = 0; i < d; i++) {
                sum[i] = BigDecimal.ZERO;
                for (int j = i; j < d; j++) {
                    products[i][j] = BigDecimal.ZERO;
                }
            }
            final BigDecimal[] x = new BigDecimal[d];
            for (final double[] row : rows) {
                for (int i = 0; i < d; i++) {
                    x[i] = new BigDecimal(row[i]);
                    sum[i] = sum[i].add(x[i]);
                    magnitude[i] = Math.max(magnitude[i], Math.abs(row[i]));
                }
                for (int i = 0; i < d; i++) {
                    for (int j = i; j < d; j++) {
                        products[i][j] = products[i][j].add(x[i].multiply(x[j]));
                    }
                }
            }
            mean = new double[d];
            comoment = new double[d][d];
            for (int i = 0; i < d; i++) {
                mean[i] = sum[i].divide(n, MathContext.DECIMAL128).doubleValue();
                for (int j = i; j < d; j++) {
                    comoment[i][j] = n.multiply(products[i][j]).subtract(sum[i].multiply(sum[j]))
                        .divide(n, MathContext.DECIMAL128).doubleValue();
                    comoment[j][i] = comoment[i][j];
                }
            }
        }

        /** Worst error of {@code m}'s mean relative to max|x_i|. */
        double meanErrorRelative(final Moments m) {
            double worst = 0;
            for (int i = 0; i < mean.length; i++) {
                worst = Math.max(worst, relative(Math.abs(m.mean(i) - mean[i]), magnitude[i]));
            }
            return worst;
        }

        /** Worst error of {@code m}'s co-moments relative to sqrt(C_ii·C_jj) (exact ones). */
        double comomentErrorRelative(final Moments m) {
            double worst = 0;
            for (int i = 0; i < mean.length; i++) {
                for (int j = i; j < mean.length; j++) {
                    final double scale = Math.sqrt(Math.abs(comoment[i][i])) * Math.sqrt(Math.abs(comoment[j][j]));
                    worst = Math.max(worst, relative(Math.abs(m.comoment(i, j) - comoment[i][j]), scale));
                }
            }
            return worst;
        }

        /** error / scale, where an error against a zero scale only counts when it is not zero itself. */
        private static double relative(final double error, final double scale) {
            if (scale == 0) {
                return error == 0 ? 0 : Double.POSITIVE_INFINITY;
            }
            return error / scale;
        }
    }
}
