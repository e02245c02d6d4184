package dev.vigil.daemon.eval;

import java.util.Arrays;

/**
 * Ranking metrics of anomaly scores against labels (higher score = more anomalous), defined as
 * scikit-learn defines them so that numbers can be compared with published ones.
 *
 * <ul>
 * <li>{@link #rocAuc}: the area under the ROC curve; tied scores get their average rank, which is
 *     what {@code roc_auc_score} computes (its trapezoids through tied points are the same area).
 *     AUC = (Σ ranks of anomalies − P(P+1)/2) / (P·N), the Mann–Whitney U over P·N.</li>
 * <li>{@link #averagePrecision}: {@code average_precision_score}, AP = Σₙ (Rₙ − Rₙ₋₁)·Pₙ over
 *     the distinct score thresholds from the highest down, Pₙ and Rₙ the precision and recall of
 *     flagging every score ≥ the n-th threshold. It is a step sum, not a trapezoidal or
 *     interpolated area under the precision-recall curve.</li>
 * </ul>
 */
public final class Metrics {
    private Metrics() {
    }

    /** ROC-AUC with average ranks for ties; needs at least one anomaly and one normal. */
    public static double rocAuc(final double[] scores, final boolean[] anomaly) {
        final double[][] split = splitByLabel(scores, anomaly);
        final double[] positives = split[0];
        final double[] negatives = split[1];
        if (positives.length == 0 || negatives.length == 0) {
            throw new IllegalArgumentException("ROC-AUC needs both labels: " + positives.length + " anomalies, " + negatives.length + " normals");
        }
        final double[] all = scores.clone();
        Arrays.sort(all);
        // The average rank (1-based) of a score s is (#below s) + (#equal to s + 1) / 2.
        double rankSum = 0;
        for (final double s : positives) {
            final int below = firstAtLeast(all, s);
            final int atOrBelow = firstAbove(all, s);
            rankSum += below + (atOrBelow - below + 1) / 2.0;
        }
        final double p = positives.length;
        final double n = negatives.length;
        return (rankSum - p * (p + 1) / 2) / (p * n);
    }

    /** Average precision as {@code average_precision_score}; needs at least one anomaly. */
    public static double averagePrecision(final double[] scores, final boolean[] anomaly) {
        final double[][] split = splitByLabel(scores, anomaly);
        final double[] positives = split[0];
        final double[] negatives = split[1];
        if (positives.length == 0) {
            throw new IllegalArgumentException("average precision needs at least one anomaly");
        }
        Arrays.sort(positives);
        Arrays.sort(negatives);
        // Only thresholds at an anomaly's score raise recall, so only they add a term: walk the
        // distinct anomaly scores from the top, counting everything flagged at each one.
        final double p = positives.length;
        double sum = 0;
        int truePositives = 0;
        int next = positives.length - 1;
        while (next >= 0) {
            final double threshold = positives[next];
            final int truePositivesBefore = truePositives;
            while (next >= 0 && positives[next] == threshold) {
                next--;
                truePositives++;
            }
            final int falsePositives = negatives.length - firstAtLeast(negatives, threshold);
            final double precision = truePositives / (double) (truePositives + falsePositives);
            sum += (truePositives - truePositivesBefore) / p * precision;
        }
        return sum;
    }

    /** [anomaly scores, normal scores]; rejects mismatched lengths and scores that are not finite. */
    private static double[][] splitByLabel(final double[] scores, final boolean[] anomaly) {
        if (scores.length != anomaly.length) {
            throw new IllegalArgumentException(scores.length + " scores but " + anomaly.length + " labels");
        }
        int p = 0;
        for (int i = 0; i < scores.length; i++) {
            if (!Double.isFinite(scores[i])) {
                throw new IllegalArgumentException("score " + i + " is " + scores[i] + ", expected a finite number");
            }
            p += anomaly[i] ? 1 : 0;
        }
        final double[] positives = new double[p];
        final double[] negatives = new double[scores.length - p];
        int ip = 0;
        int in = 0;
        for (int i = 0; i < scores.length; i++) {
            if (anomaly[i]) {
                positives[ip++] = scores[i];
            } else {
                negatives[in++] = scores[i];
            }
        }
        return new double[][] {positives, negatives};
    }

    /** Index of the first element ≥ {@code s} in ascending {@code sorted} (its length when none). */
    private static int firstAtLeast(final double[] sorted, final double s) {
        int lo = 0;
        int hi = sorted.length;
        while (lo < hi) {
            final int mid = (lo + hi) >>> 1;
            if (sorted[mid] < s) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** Index of the first element > {@code s} in ascending {@code sorted} (its length when none). */
    private static int firstAbove(final double[] sorted, final double s) {
        int lo = 0;
        int hi = sorted.length;
        while (lo < hi) {
            final int mid = (lo + hi) >>> 1;
            if (sorted[mid] <= s) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }
}
