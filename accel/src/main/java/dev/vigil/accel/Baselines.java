package dev.vigil.accel;

import java.util.Objects;

/**
 * Gaussian baselines for batch scoring, in flat arrays a device can take as they are: baseline b
 * has its mean at {@code means[b·d, b·d + d)} and the lower Cholesky factor L of its covariance
 * (LLᵀ = Σ) at {@code lowers[b·t, b·t + t)}, t = d(d+1)/2, packed row by row (L[i][j], j ≤ i,
 * at i(i+1)/2 + j). The squared Mahalanobis distance of x is then |L⁻¹(x − μ)|², one forward
 * substitution. The arrays are not copied: the caller must not change them while a kernel runs.
 */
public final class Baselines {
    /** The largest dimension: that of the daemon's statistics. */
    public static final int DIMENSION_MAX = 64;

    private final int dimension;
    private final int count;
    private final double[] means;
    private final double[] lowers;

    /**
     * @throws IllegalArgumentException if the dimension is outside [1, {@value #DIMENSION_MAX}] or
     *         an array's length is not count times the per-baseline length
     */
    public Baselines(final int dimension, final int count, final double[] means, final double[] lowers) {
        if (dimension < 1 || dimension > DIMENSION_MAX) {
            throw new IllegalArgumentException("dimension must be in [1, " + DIMENSION_MAX + "], got " + dimension);
        }
        if (count < 0) {
            throw new IllegalArgumentException("count must be ≥ 0, got " + count);
        }
        Objects.requireNonNull(means, "means");
        Objects.requireNonNull(lowers, "lowers");
        if ((long) count * dimension != means.length) {
            throw new IllegalArgumentException("means has " + means.length + " values, expected " + count + " × " + dimension);
        }
        if ((long) count * packedLength(dimension) != lowers.length) {
            throw new IllegalArgumentException("lowers has " + lowers.length + " values, expected " + count + " × "
                + packedLength(dimension));
        }
        this.dimension = dimension;
        this.count = count;
        this.means = means;
        this.lowers = lowers;
    }

    /** Entries of a packed triangle of a d×d matrix. */
    public static int packedLength(final int dimension) {
        return dimension * (dimension + 1) / 2;
    }

    public int dimension() {
        return dimension;
    }

    public int count() {
        return count;
    }

    double[] means() {
        return means;
    }

    double[] lowers() {
        return lowers;
    }

    /**
     * Checks a scoring call's arguments against these baselines.
     *
     * @throws IllegalArgumentException naming the first argument that does not fit
     */
    void checkScoring(final double[] observations, final int[] baselineOf, final int n, final double[] out) {
        Objects.requireNonNull(observations, "observations");
        Objects.requireNonNull(baselineOf, "baselineOf");
        Objects.requireNonNull(out, "out");
        if (n < 0 || (long) n * dimension > observations.length || n > baselineOf.length || n > out.length) {
            throw new IllegalArgumentException("n = " + n + " does not fit: observations hold "
                + observations.length / dimension + " rows of " + dimension + ", baselineOf " + baselineOf.length
                + ", out " + out.length);
        }
        for (int i = 0; i < n; i++) {
            if (baselineOf[i] < 0 || baselineOf[i] >= count) {
                throw new IllegalArgumentException("baselineOf[" + i + "] = " + baselineOf[i] + " is not a baseline (there are "
                    + count + ")");
            }
        }
    }
}
