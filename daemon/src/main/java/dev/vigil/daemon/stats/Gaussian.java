package dev.vigil.daemon.stats;

import dev.vigil.accel.Baselines;

import java.util.List;

/**
 * A multivariate Gaussian fitted to {@link Moments}: mean, covariance (divided by n) and its
 * lower Cholesky factor L (LLᵀ = Σ), so that the squared Mahalanobis distance
 * D² = (x - μ)ᵀ Σ⁻¹ (x - μ) = |L⁻¹(x - μ)|² costs one triangular solve.
 *
 * <p>Ridge: λ = 1e-6 · trace(Σ) / d is added to the diagonal either always (streaming scoring,
 * where a young baseline is often singular) or only when Σ is singular (batch fitting). Σ counts
 * as singular when a Cholesky pivot falls below {@link #SINGULAR_PIVOT_RELATIVE} of its diagonal
 * entry, which is how an exactly collinear feature shows up in floating point.
 */
public final class Gaussian {
    public static final double RIDGE_FRACTION = 1e-6;
    public static final double SINGULAR_PIVOT_RELATIVE = 1e-10;

    /** When to add the ridge. */
    public enum Ridge { ALWAYS, WHEN_SINGULAR }

    private final int dimension;
    private final double[] mean;
    private final double[] lower; // row-major packed lower triangle: L[i][j], j <= i
    private final boolean ridged;
    private final double ridge;
    private final double[] work;

    private Gaussian(final int dimension, final double[] mean, final double[] lower, final boolean ridged, final double ridge) {
        this.dimension = dimension;
        this.mean = mean;
        this.lower = lower;
        this.ridged = ridged;
        this.ridge = ridge;
        this.work = new double[dimension];
    }

    /**
     * @return the fitted model, or {@code null} when there is nothing to fit (fewer than two
     *         observations, or a covariance that is zero or not positive definite even with the ridge).
     */
    public static Gaussian fit(final Moments m, final Ridge policy) {
        final int d = m.dimension();
        if (m.count() < 2) {
            return null;
        }
        final double[] cov = new double[Moments.packedLength(d)];
        m.covariance(cov);
        double trace = 0;
        for (int i = 0; i < d; i++) {
            trace += cov[Moments.packedIndex(d, i, i)];
        }
        if (!(trace > 0) || !Double.isFinite(trace)) {
            return null;
        }
        final double ridge = RIDGE_FRACTION * trace / d;
        double[] lower = null;
        boolean ridged = policy == Ridge.ALWAYS;
        if (!ridged) {
            lower = cholesky(cov, d, 0);
            ridged = lower == null;
        }
        if (ridged) {
            lower = cholesky(cov, d, ridge);
            if (lower == null) {
                return null;
            }
        }
        return new Gaussian(d, m.mean(), lower, ridged, ridged ? ridge : 0);
    }

    /** Cholesky of the packed-upper covariance plus {@code ridge}·I, or null when a pivot is not clearly positive. */
    private static double[] cholesky(final double[] cov, final int d, final double ridge) {
        final double[] l = new double[d * (d + 1) / 2];
        for (int i = 0; i < d; i++) {
            for (int j = 0; j <= i; j++) {
                double s = cov[Moments.packedIndex(d, j, i)] + (i == j ? ridge : 0);
                for (int k = 0; k < j; k++) {
                    s -= l[lowerIndex(i, k)] * l[lowerIndex(j, k)];
                }
                if (i == j) {
                    final double diagonal = cov[Moments.packedIndex(d, i, i)] + ridge;
                    if (!(s > SINGULAR_PIVOT_RELATIVE * diagonal) || !(diagonal > 0)) {
                        return null;
                    }
                    l[lowerIndex(i, i)] = Math.sqrt(s);
                } else {
                    l[lowerIndex(i, j)] = s / l[lowerIndex(j, j)];
                }
            }
        }
        return l;
    }

    private static int lowerIndex(final int i, final int j) {
        return i * (i + 1) / 2 + j;
    }

    /** Squared Mahalanobis distance of {@code x} from the mean. Not thread-safe (uses a work array). */
    public double mahalanobis2(final double[] x) {
        double sum = 0;
        for (int i = 0; i < dimension; i++) {
            double s = x[i] - mean[i];
            final int row = i * (i + 1) / 2;
            for (int k = 0; k < i; k++) {
                s -= lower[row + k] * work[k];
            }
            final double y = s / lower[row + i];
            work[i] = y;
            sum += y * y;
        }
        return sum;
    }

    /**
     * This model as a batch of one for {@link dev.vigil.accel.Kernels#score}: its mean and its
     * lower factor, copied, in the layout {@link #mahalanobis2} reads them, so that Java's batch
     * score of x is the same bits as {@code mahalanobis2(x)}.
     */
    public Baselines toBaselines() {
        return toBaselines(List.of(this));
    }

    /**
     * Several models of one dimension as baselines 0, 1, … in list order (copied).
     *
     * @throws IllegalArgumentException if the list is empty or the dimensions differ
     */
    public static Baselines toBaselines(final List<Gaussian> models) {
        if (models.isEmpty()) {
            throw new IllegalArgumentException("no models");
        }
        final int d = models.get(0).dimension;
        final int t = d * (d + 1) / 2;
        final double[] means = new double[models.size() * d];
        final double[] lowers = new double[models.size() * t];
        for (int b = 0; b < models.size(); b++) {
            final Gaussian g = models.get(b);
            if (g.dimension != d) {
                throw new IllegalArgumentException("model " + b + " has dimension " + g.dimension + ", model 0 has " + d);
            }
            System.arraycopy(g.mean, 0, means, b * d, d);
            System.arraycopy(g.lower, 0, lowers, b * t, t);
        }
        return new Baselines(d, models.size(), means, lowers);
    }

    public int dimension() {
        return dimension;
    }

    public double mean(final int i) {
        return mean[i];
    }

    /** Whether the ridge was added. */
    public boolean ridged() {
        return ridged;
    }

    public double ridge() {
        return ridge;
    }

    /** log det Σ (of the ridged covariance when ridged). */
    public double logDeterminant() {
        double s = 0;
        for (int i = 0; i < dimension; i++) {
            s += Math.log(lower[lowerIndex(i, i)]);
        }
        return 2 * s;
    }
}
