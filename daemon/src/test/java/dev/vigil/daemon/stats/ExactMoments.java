package dev.vigil.daemon.stats;

import java.math.BigDecimal;
import java.math.MathContext;

/**
 * The reference: mean and co-moments of the given doubles in exact decimal arithmetic. Every
 * double is an exact BigDecimal and sums and products of them are exact, so
 * n·C_ij = n·Σx_i x_j − Σx_i·Σx_j is exact; the only rounding is the one division by n, to 34
 * significant digits (MathContext.DECIMAL128), far below anything a double can resolve.
 * (Subtracting Σx_i·Σx_j / n instead would round before the cancellation and lose everything
 * on data far from zero.)
 */
final class ExactMoments {
    private final double[] mean;
    private final double[][] comoment;

    ExactMoments(final double[][] rows) {
        final int n = rows.length;
        final int d = rows[0].length;
        final BigDecimal count = BigDecimal.valueOf(n);
        final BigDecimal[] sum = new BigDecimal[d];
        final BigDecimal[][] sumOfProducts = new BigDecimal[d][d];
        for (int i = 0; i < d; i++) {
            sum[i] = BigDecimal.ZERO;
            for (int j = 0; j < d; j++) {
                sumOfProducts[i][j] = BigDecimal.ZERO;
            }
        }
        for (final double[] row : rows) {
            final BigDecimal[] x = new BigDecimal[d];
            for (int i = 0; i < d; i++) {
                x[i] = new BigDecimal(row[i]);
                sum[i] = sum[i].add(x[i]);
            }
            for (int i = 0; i < d; i++) {
                for (int j = i; j < d; j++) {
                    sumOfProducts[i][j] = sumOfProducts[i][j].add(x[i].multiply(x[j]));
                }
            }
        }
        mean = new double[d];
        comoment = new double[d][d];
        for (int i = 0; i < d; i++) {
            mean[i] = sum[i].divide(count, MathContext.DECIMAL128).doubleValue();
            for (int j = i; j < d; j++) {
                final BigDecimal scaled = count.multiply(sumOfProducts[i][j]).subtract(sum[i].multiply(sum[j]));
                comoment[i][j] = scaled.divide(count, MathContext.DECIMAL128).doubleValue();
                comoment[j][i] = comoment[i][j];
            }
        }
    }

    double mean(final int i) {
        return mean[i];
    }

    double comoment(final int i, final int j) {
        return comoment[i][j];
    }
}
