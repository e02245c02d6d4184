package dev.vigil.daemon.stats;

/**
 * The squared Mahalanobis distance the long way, independent of {@link Gaussian}'s Cholesky:
 * A = Σ + λI from {@link Moments#covariance}, equilibrated to R = S⁻¹AS⁻¹ with S = sqrt(diag A)
 * (so features on scales 1e-6 and 1e6 do not upset the pivoting), R inverted by Gauss–Jordan
 * elimination with partial pivoting, and D² = wᵀR⁻¹w with w = S⁻¹(x − μ).
 */
final class ExplicitInverse {
    private final int d;
    private final double[] mean;
    private final double[] scale;
    private final double[][] inverse;
    private final double conditionNumber;

    ExplicitInverse(final Moments m, final double ridge) {
        d = m.dimension();
        mean = m.mean();
        final double[] packed = new double[Moments.packedLength(d)];
        m.covariance(packed);
        scale = new double[d];
        for (int i = 0; i < d; i++) {
            scale[i] = Math.sqrt(packed[Moments.packedIndex(d, i, i)] + ridge);
        }
        final double[][] r = new double[d][d];
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < d; j++) {
                final double a = packed[Moments.packedIndex(d, Math.min(i, j), Math.max(i, j))] + (i == j ? ridge : 0);
                r[i][j] = a / (scale[i] * scale[j]);
            }
        }
        inverse = gaussJordan(r);
        conditionNumber = norm1(r) * norm1(inverse);
    }

    /** κ₁(R) = ‖R‖₁·‖R⁻¹‖₁ of the equilibrated matrix. */
    double conditionNumber() {
        return conditionNumber;
    }

    double mahalanobis2(final double[] x) {
        final double[] w = new double[d];
        for (int i = 0; i < d; i++) {
            w[i] = (x[i] - mean[i]) / scale[i];
        }
        double sum = 0;
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < d; j++) {
                sum += w[i] * inverse[i][j] * w[j];
            }
        }
        return sum;
    }

    private static double[][] gaussJordan(final double[][] matrix) {
        final int n = matrix.length;
        final double[][] a = new double[n][2 * n];
        for (int i = 0; i < n; i++) {
            System.arraycopy(matrix[i], 0, a[i], 0, n);
            a[i][n + i] = 1;
        }
        for (int col = 0; col < n; col++) {
            int pivot = col;
            for (int row = col + 1; row < n; row++) {
                if (Math.abs(a[row][col]) > Math.abs(a[pivot][col])) {
                    pivot = row;
                }
            }
            final double[] swap = a[col];
            a[col] = a[pivot];
            a[pivot] = swap;
            final double p = a[col][col];
            for (int k = 0; k < 2 * n; k++) {
                a[col][k] /= p;
            }
            for (int row = 0; row < n; row++) {
                if (row != col && a[row][col] != 0) {
                    final double f = a[row][col];
                    for (int k = 0; k < 2 * n; k++) {
                        a[row][k] -= f * a[col][k];
                    }
                }
            }
        }
        final double[][] inverse = new double[n][n];
        for (int i = 0; i < n; i++) {
            System.arraycopy(a[i], n, inverse[i], 0, n);
        }
        return inverse;
    }

    private static double norm1(final double[][] a) {
        double max = 0;
        for (int j = 0; j < a.length; j++) {
            double column = 0;
            for (final double[] row : a) {
                column += Math.abs(row[j]);
            }
            max = Math.max(max, column);
        }
        return max;
    }
}
