package dev.vigil.simnet.tree;

import dev.vigil.daemon.stats.Moments;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Arrays;

/**
 * The exact merge of every observation the nodes now in the fleet hold: sums and products of the observations as
 * BigDecimal (a double's exact value, added without rounding), against which the root's aggregate is measured.
 * A departed node's observations are subtracted again, so the reference follows churn.
 */
final class ExactReference {
    /** Precision of the divisions, far beyond a double's, so the reference's own error does not show. */
    private static final MathContext MC = MathContext.DECIMAL128;

    private final int dimension;
    private final BigDecimal[] sums;
    /** Sums of x[i] * x[j] for i <= j, at {@code i * dimension + j}. */
    private final BigDecimal[] products;
    private long count;

    ExactReference(final int dimension) {
        this.dimension = dimension;
        this.sums = new BigDecimal[dimension];
        this.products = new BigDecimal[dimension * dimension];
        Arrays.fill(sums, BigDecimal.ZERO);
        Arrays.fill(products, BigDecimal.ZERO);
    }

    /** Observations merged so far (less those subtracted). */
    long count() {
        return count;
    }

    void add(final double[] x) {
        addExact(x, 1);
    }

    /** Takes an observation added before out again (a departed node's). */
    void subtract(final double[] x) {
        addExact(x, -1);
    }

    private void addExact(final double[] x, final int sign) {
        assert x.length == dimension;
        final BigDecimal[] b = new BigDecimal[dimension];
        for (int i = 0; i < dimension; i++) {
            b[i] = new BigDecimal(x[i]);
            sums[i] = sign > 0 ? sums[i].add(b[i]) : sums[i].subtract(b[i]);
        }
        for (int i = 0; i < dimension; i++) {
            for (int j = i; j < dimension; j++) {
                final BigDecimal p = b[i].multiply(b[j]);
                products[i * dimension + j] = sign > 0 ? products[i * dimension + j].add(p) : products[i * dimension + j].subtract(p);
            }
        }
        count += sign;
    }

    /**
     * The largest relative error of {@code m}'s means and covariances against the exact merge: a mean's error relative
     * to the larger of its magnitude and its standard deviation, a covariance's to the larger of its magnitude and the
     * product of the two standard deviations (so a quantity near zero is not measured against zero).
     */
    double relativeError(final Moments m) {
        final BigDecimal n = BigDecimal.valueOf(count);
        final BigDecimal[] mean = new BigDecimal[dimension];
        double worst = 0;
        for (int i = 0; i < dimension; i++) {
            mean[i] = sums[i].divide(n, MC);
        }
        final double[] sd = new double[dimension];
        for (int i = 0; i < dimension; i++) {
            final BigDecimal cov = products[i * dimension + i].divide(n, MC).subtract(mean[i].multiply(mean[i], MC), MC);
            sd[i] = Math.sqrt(Math.max(cov.doubleValue(), 0));
        }
        for (int i = 0; i < dimension; i++) {
            worst = Math.max(worst, Math.abs(m.mean(i) - mean[i].doubleValue()) / Math.max(Math.abs(mean[i].doubleValue()), sd[i]));
            for (int j = i; j < dimension; j++) {
                final BigDecimal exact = products[i * dimension + j].divide(n, MC).subtract(mean[i].multiply(mean[j], MC), MC);
                final double got = m.comoment(i, j) / m.count();
                final double scale = Math.max(Math.abs(exact.doubleValue()), sd[i] * sd[j]);
                worst = Math.max(worst, Math.abs(got - exact.doubleValue()) / scale);
            }
        }
        return worst;
    }
}
