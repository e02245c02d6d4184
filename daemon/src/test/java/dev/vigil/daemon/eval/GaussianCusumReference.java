package dev.vigil.daemon.eval;

import java.util.ArrayList;
import java.util.List;

/**
 * An independent implementation, written from the detector's documented maths with plain arrays
 * and nothing from {@code stats} or {@code detect}, of what the detector does with one agent that
 * reports one observation per baseline bucket and has no lag (lag_buckets = 0) and no cohort of
 * other agents:
 *
 * <ol>
 *   <li>the first {@code coldObservations} rows only enter the baseline (warming up: no baseline
 *       holds enough observations);</li>
 *   <li>the baseline is refitted at the first scored row and then every {@code refitRows} rows
 *       (a warm agent's baseline is refitted every five bucket moves), on every earlier row that
 *       entered it: mean, covariance divided by n computed in two passes, plus
 *       {@code varianceFloor} on the diagonal;</li>
 *   <li>D² = (x − μ)ᵀ Σ⁻¹ (x − μ) by a Cholesky factor and a forward solve;</li>
 *   <li>LLR = −d·ln k + D²·(1 − 1/k²)/2, clipped above at {@code llrMax};</li>
 *   <li>CUSUM S ← max(0, S + LLR); alarmed at S ≥ alarmAt (for good), suspect at S ≥ suspectAt,
 *       normal again from suspect when S is 0;</li>
 *   <li>the row enters the baseline unless D² is above {@code excludeD2} or the agent was already
 *       alarmed before the row.</li>
 * </ol>
 * Rows arrive already transformed (the caller applies log1p where the schema says so).
 */
final class GaussianCusumReference {
    /** What became of one row; d2, llr, cusum are NaN and status is null while warming up. */
    record Step(boolean scored, double d2, double llr, double cusum, String status) {
    }

    /** The run, and how close any row came to the exclusion threshold (|D² − threshold| / threshold). */
    record Run(List<Step> steps, int excluded, double exclusionMarginMin) {
    }

    private final int coldObservations;
    private final int refitRows;
    private final double varianceFloor;
    private final double inflation;
    private final double llrMax;
    private final double suspectAt;
    private final double alarmAt;
    private final double excludeD2;

    GaussianCusumReference(final int coldObservations, final int refitRows, final double varianceFloor, final double inflation,
                           final double llrMax, final double suspectAt, final double alarmAt, final double excludeD2) {
        this.coldObservations = coldObservations;
        this.refitRows = refitRows;
        this.varianceFloor = varianceFloor;
        this.inflation = inflation;
        this.llrMax = llrMax;
        this.suspectAt = suspectAt;
        this.alarmAt = alarmAt;
        this.excludeD2 = excludeD2;
    }

    /**
     * Wilson–Hilferty's approximation of the χ²_d quantile at normal quantile z, the way the
     * detector approximates it: d·(1 − 2/(9d) + z·√(2/(9d)))³.
     */
    static double wilsonHilferty(final int d, final double z) {
        final double a = 2.0 / (9.0 * d);
        final double c = 1 - a + z * Math.sqrt(a);
        return d * c * c * c;
    }

    Run run(final double[][] rows) {
        final int d = rows[0].length;
        final List<double[]> baseline = new ArrayList<>();
        final List<Step> steps = new ArrayList<>(rows.length);
        double[] mean = null;
        double[][] lower = null;
        int fittedAt = -1;
        double cusum = 0;
        String status = "normal";
        int excluded = 0;
        double marginMin = Double.POSITIVE_INFINITY;
        for (int t = 0; t < rows.length; t++) {
            final double[] x = rows[t];
            if (baseline.size() < coldObservations) {
                steps.add(new Step(false, Double.NaN, Double.NaN, Double.NaN, null));
                baseline.add(x);
                continue;
            }
            if (fittedAt < 0 || t - fittedAt >= refitRows) {
                mean = mean(baseline, d);
                lower = cholesky(flooredCovariance(baseline, mean, d));
                fittedAt = t;
            }
            final double d2 = mahalanobis2(x, mean, lower);
            final double llr = Math.min(llrMax, -d * Math.log(inflation) + d2 * (1 - 1 / (inflation * inflation)) / 2);
            final boolean alarmedBefore = status.equals("alarmed");
            cusum = Math.max(0, cusum + llr);
            if (!alarmedBefore && cusum >= alarmAt) {
                status = "alarmed";
            } else if (status.equals("normal") && cusum >= suspectAt) {
                status = "suspect";
            } else if (status.equals("suspect") && cusum == 0) {
                status = "normal";
            }
            steps.add(new Step(true, d2, llr, cusum, status));
            marginMin = Math.min(marginMin, Math.abs(d2 - excludeD2) / excludeD2);
            if (alarmedBefore || d2 > excludeD2) {
                excluded++;
            } else {
                baseline.add(x);
            }
        }
        return new Run(steps, excluded, marginMin);
    }

    private static double[] mean(final List<double[]> xs, final int d) {
        final double[] m = new double[d];
        for (final double[] x : xs) {
            for (int i = 0; i < d; i++) {
                m[i] += x[i];
            }
        }
        for (int i = 0; i < d; i++) {
            m[i] /= xs.size();
        }
        return m;
    }

    private double[][] flooredCovariance(final List<double[]> xs, final double[] mean, final int d) {
        final double[][] c = new double[d][d];
        for (final double[] x : xs) {
            for (int i = 0; i < d; i++) {
                for (int j = 0; j <= i; j++) {
                    c[i][j] += (x[i] - mean[i]) * (x[j] - mean[j]);
                }
            }
        }
        for (int i = 0; i < d; i++) {
            for (int j = 0; j <= i; j++) {
                c[i][j] /= xs.size();
                c[j][i] = c[i][j];
            }
            c[i][i] += varianceFloor;
        }
        return c;
    }

    /** L with LLᵀ = c; the floor makes c positive definite, so a pivot that is not positive is a bug here. */
    private static double[][] cholesky(final double[][] c) {
        final int d = c.length;
        final double[][] l = new double[d][d];
        for (int i = 0; i < d; i++) {
            for (int j = 0; j <= i; j++) {
                double s = c[i][j];
                for (int k = 0; k < j; k++) {
                    s -= l[i][k] * l[j][k];
                }
                if (i == j) {
                    if (!(s > 0)) {
                        throw new IllegalStateException("covariance plus floor not positive definite at pivot " + i + ": " + s);
                    }
                    l[i][i] = Math.sqrt(s);
                } else {
                    l[i][j] = s / l[j][j];
                }
            }
        }
        return l;
    }

    /** |y|² where L·y = x − μ. */
    private static double mahalanobis2(final double[] x, final double[] mean, final double[][] lower) {
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
}
