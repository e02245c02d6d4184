package dev.vigil.accel;

import java.util.SplittableRandom;

/**
 * Textbook forms of the scoring and merge rules, written apart from the backends, and seeded
 * random baselines and statistics for the tests.
 */
final class ModelReference {
    private ModelReference() {
    }

    /** |L⁻¹(x − μ)|² by forward substitution on the full (unpacked) factor. */
    static double mahalanobis2(final double[] x, final double[] mean, final double[][] lower) {
        final int d = x.length;
        final double[] y = new double[d];
        double sum = 0;
        for (int i = 0; i < d; i++) {
            double s = x[i] - mean[i];
            for (int k = 0; k < i; k++) {
                s -= lower[i][k] * y[k];
            }
            y[i] = s / lower[i][i];
            sum += y[i] * y[i];
        }
        return sum;
    }

    /** The same distance through Σ⁻¹ = (LLᵀ)⁻¹ solved with BigDecimal-free Gaussian elimination: an independent route. */
    static double viaCovariance(final double[] x, final double[] mean, final double[][] lower) {
        final int d = x.length;
        final double[][] a = new double[d][d + 1];
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < d; j++) {
                double s = 0;
                for (int k = 0; k <= Math.min(i, j); k++) {
                    s += lower[i][k] * lower[j][k];
                }
                a[i][j] = s;
            }
            a[i][d] = x[i] - mean[i];
        }
        for (int c = 0; c < d; c++) { // partial pivoting
            int p = c;
            for (int r = c + 1; r < d; r++) {
                if (Math.abs(a[r][c]) > Math.abs(a[p][c])) {
                    p = r;
                }
            }
            final double[] t = a[c];
            a[c] = a[p];
            a[p] = t;
            for (int r = c + 1; r < d; r++) {
                final double f = a[r][c] / a[c][c];
                for (int k = c; k <= d; k++) {
                    a[r][k] -= f * a[c][k];
                }
            }
        }
        final double[] z = new double[d];
        for (int i = d - 1; i >= 0; i--) {
            double s = a[i][d];
            for (int k = i + 1; k < d; k++) {
                s -= a[i][k] * z[k];
            }
            z[i] = s / a[i][i];
        }
        double q = 0;
        for (int i = 0; i < d; i++) {
            q += (x[i] - mean[i]) * z[i];
        }
        return q;
    }

    /** Random well-conditioned baselines: diagonal of L in [0.5, 1.5), off-diagonal N(0, 0.3²). */
    static Baselines baselines(final SplittableRandom random, final int d, final int count) {
        final int t = Baselines.packedLength(d);
        final double[] means = new double[count * d];
        final double[] lowers = new double[count * t];
        for (int b = 0; b < count; b++) {
            for (int i = 0; i < d; i++) {
                means[b * d + i] = random.nextGaussian() * Math.scalb(1.0, random.nextInt(-3, 12));
                for (int j = 0; j <= i; j++) {
                    lowers[b * t + i * (i + 1) / 2 + j] = i == j ? 0.5 + random.nextDouble() : random.nextGaussian() * 0.3;
                }
            }
        }
        return new Baselines(d, count, means, lowers);
    }

    static double[][] lower(final Baselines b, final int which) {
        final int d = b.dimension();
        final int t = Baselines.packedLength(d);
        final double[][] l = new double[d][d];
        for (int i = 0; i < d; i++) {
            for (int j = 0; j <= i; j++) {
                l[i][j] = b.lowers()[which * t + i * (i + 1) / 2 + j];
            }
        }
        return l;
    }

    static double[] mean(final Baselines b, final int which) {
        final int d = b.dimension();
        return java.util.Arrays.copyOfRange(b.means(), which * d, which * d + d);
    }

    /** Statistics of raw observations, Welford on the first observation's shift (as Moments.add). */
    static final class Stats {
        final int d;
        long count;
        final double[] shift;
        final double[] mean;
        final double[][] comoment;

        Stats(final int d) {
            this.d = d;
            shift = new double[d];
            mean = new double[d];
            comoment = new double[d][d];
        }

        void add(final double[] x) {
            if (count == 0) {
                System.arraycopy(x, 0, shift, 0, d);
            }
            count++;
            final double[] delta = new double[d];
            for (int i = 0; i < d; i++) {
                delta[i] = (x[i] - shift[i]) - mean[i];
                mean[i] += delta[i] / count;
            }
            for (int i = 0; i < d; i++) {
                for (int j = i; j < d; j++) {
                    comoment[i][j] += delta[i] * ((x[j] - shift[j]) - mean[j]);
                }
            }
        }

        /** Chan et al.: the other set on this shift. */
        void merge(final Stats o) {
            if (o.count == 0) {
                return;
            }
            if (count == 0) {
                count = o.count;
                System.arraycopy(o.shift, 0, shift, 0, d);
                System.arraycopy(o.mean, 0, mean, 0, d);
                for (int i = 0; i < d; i++) {
                    System.arraycopy(o.comoment[i], 0, comoment[i], 0, d);
                }
                return;
            }
            final double na = count;
            final double nb = o.count;
            final double n = na + nb;
            final double[] delta = new double[d];
            for (int i = 0; i < d; i++) {
                delta[i] = (o.shift[i] - shift[i]) + (o.mean[i] - mean[i]);
            }
            final double factor = na * nb / n;
            for (int i = 0; i < d; i++) {
                for (int j = i; j < d; j++) {
                    comoment[i][j] += o.comoment[i][j] + delta[i] * delta[j] * factor;
                }
            }
            for (int i = 0; i < d; i++) {
                mean[i] += delta[i] * (nb / n);
            }
            count += o.count;
        }

        void copyTo(final MomentsBatch batch, final int e) {
            batch.counts()[e] = count;
            System.arraycopy(shift, 0, batch.shifts(), batch.vectorOffset(e), d);
            System.arraycopy(mean, 0, batch.means(), batch.vectorOffset(e), d);
            int k = batch.comomentOffset(e);
            for (int i = 0; i < d; i++) {
                for (int j = i; j < d; j++) {
                    batch.comoments()[k++] = comoment[i][j];
                }
            }
        }
    }
}
