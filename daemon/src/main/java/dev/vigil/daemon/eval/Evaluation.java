package dev.vigil.daemon.eval;

import dev.vigil.accel.Baselines;
import dev.vigil.accel.JavaKernels;
import dev.vigil.accel.Kernels;
import dev.vigil.daemon.stats.Gaussian;
import dev.vigil.daemon.stats.Moments;

import java.util.Locale;
import java.util.function.DoubleConsumer;

/**
 * Scores a labelled data set with the daemon's detector (a Gaussian fitted to {@link Moments},
 * score = squared Mahalanobis distance from {@link Gaussian#mahalanobis2}) and measures how well
 * the scores rank the anomalies first.
 *
 * <ul>
 * <li>{@link Mode#BATCH}: one Gaussian fitted to every row (covariance divided by n, ridge only
 *     when the covariance is singular), then every row scored against it, in batches of up to
 *     {@link #SCORE_BATCH_BYTES_MAX} of rows through {@link Kernels#score} (on Java, the bits of
 *     {@link Gaussian#mahalanobis2}).</li>
 * <li>{@link Mode#STREAM}: rows in the given order, each scored against the statistics of the
 *     rows before it with the ridge always added, as a young baseline in the daemon is, then
 *     added to them. The first {@link #warmupRows} rows are added without being scored.</li>
 * </ul>
 */
public final class Evaluation {
    /** Rows that stream mode adds before it scores: enough for a covariance estimate to mean something. */
    public static final int WARMUP_ROWS_MIN = 100;
    public static final int WARMUP_ROWS_PER_FEATURE = 10;
    /**
     * Bytes of rows one scoring call takes: bounds the flat copy of the rows a call needs (a file
     * of {@link LabelledCsv#ROWS_MAX} rows of 64 features is 512 MiB of doubles, eight calls).
     */
    public static final int SCORE_BATCH_BYTES_MAX = 64 << 20;

    public enum Mode {
        BATCH, STREAM;

        /** "batch" or "stream", any case. */
        public static Mode parse(final String name) {
            for (final Mode mode : values()) {
                if (mode.name().equalsIgnoreCase(name)) {
                    return mode;
                }
            }
            throw new IllegalArgumentException("mode must be batch or stream, got \"" + name + "\"");
        }

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * What an evaluation found. {@code rows}, {@code features} and {@code anomalies} describe the
     * whole data set; {@code scoredRows} and {@code scoredAnomalies} the rows the metrics cover.
     * {@code ridged} says whether the ridge was added (always, in stream mode).
     */
    public record Result(Mode mode, int rows, int features, int anomalies, int warmupRows,
                         int scoredRows, int scoredAnomalies, boolean ridged, double rocAuc, double averagePrecision) {
    }

    private Evaluation() {
    }

    /** W = max(100, 10·d). */
    public static int warmupRows(final int features) {
        return Math.max(WARMUP_ROWS_MIN, WARMUP_ROWS_PER_FEATURE * features);
    }

    public static Result run(final LabelledCsv data, final Mode mode, final int[] order) {
        return run(data, mode, order, JavaKernels.INSTANCE);
    }

    /** @param kernels where batch mode scores its rows; stream mode scores each row against its own model, in Java */
    public static Result run(final LabelledCsv data, final Mode mode, final int[] order, final Kernels kernels) {
        return run(data, mode, order, kernels, PROGRESS_NONE);
    }

    /** @param progress told, now and then, the fraction of the rows done (it changes nothing else) */
    public static Result run(final LabelledCsv data, final Mode mode, final int[] order, final Kernels kernels,
                             final DoubleConsumer progress) {
        return mode == Mode.BATCH ? batch(data, order, kernels, progress) : stream(data, order, progress);
    }

    private static final DoubleConsumer PROGRESS_NONE = fraction -> {
    };
    /** Rows between two progress reports in stream mode. */
    private static final int PROGRESS_EVERY_ROWS = 1_024;

    /** {@link RowOrder} hands out only permutations; a caller building its own must do the same. */
    private static void requirePermutation(final int[] order, final int rows) {
        if (order.length != rows) {
            throw new IllegalArgumentException("order has " + order.length + " entries for " + rows + " rows");
        }
        final boolean[] seen = new boolean[rows];
        for (final int row : order) {
            if (row < 0 || row >= rows || seen[row]) {
                throw new IllegalArgumentException("order is not a permutation of [0, " + rows + "): " + row);
            }
            seen[row] = true;
        }
    }

    /**
     * Fits on all rows (added in {@code order}, which changes only rounding) and scores them all.
     */
    public static Result batch(final LabelledCsv data, final int[] order) {
        return batch(data, order, JavaKernels.INSTANCE);
    }

    /** As {@link #batch(LabelledCsv, int[])}, scoring the rows with {@code kernels}. */
    public static Result batch(final LabelledCsv data, final int[] order, final Kernels kernels) {
        return batch(data, order, kernels, PROGRESS_NONE);
    }

    /** Progress: fitting is the first half, scoring the second. */
    private static Result batch(final LabelledCsv data, final int[] order, final Kernels kernels, final DoubleConsumer progress) {
        requirePermutation(order, data.rows());
        final int d = data.features();
        final Moments moments = new Moments(d);
        for (final int row : order) {
            moments.add(data.row(row));
        }
        final Gaussian model = Gaussian.fit(moments, Gaussian.Ridge.WHEN_SINGULAR);
        if (model == null) {
            throw new EvalInputException(data.source() + ": cannot fit a Gaussian: "
                + (data.rows() < 2 ? "fewer than two rows" : "the covariance is zero (every feature constant) or not finite"));
        }
        progress.accept(0.5);
        final double[] scores = score(model, data, kernels, SCORE_BATCH_BYTES_MAX, done -> progress.accept(0.5 + 0.5 * done));
        final boolean[] anomaly = new boolean[data.rows()];
        for (int i = 0; i < data.rows(); i++) {
            anomaly[i] = data.anomaly(i);
        }
        return result(data, Mode.BATCH, 0, scores, anomaly, model.ridged());
    }

    /** Every row's squared Mahalanobis distance from {@code model}, in file order, up to {@code bytesPerCall} of rows a call. */
    static double[] score(final Gaussian model, final LabelledCsv data, final Kernels kernels, final int bytesPerCall) {
        return score(model, data, kernels, bytesPerCall, PROGRESS_NONE);
    }

    private static double[] score(final Gaussian model, final LabelledCsv data, final Kernels kernels, final int bytesPerCall,
                                  final DoubleConsumer progress) {
        final int d = data.features();
        final int rows = data.rows();
        final int rowsPerCall = Math.min(rows, Math.max(1, bytesPerCall / (Double.BYTES * d)));
        final Baselines baseline = model.toBaselines();
        final double[] flat = new double[rowsPerCall * d];
        final int[] baselineOf = new int[rowsPerCall]; // every row against baseline 0
        final double[] out = new double[rowsPerCall];
        final double[] scores = new double[rows];
        for (int from = 0; from < rows; from += rowsPerCall) {
            final int n = Math.min(rowsPerCall, rows - from);
            for (int i = 0; i < n; i++) {
                System.arraycopy(data.row(from + i), 0, flat, i * d, d);
            }
            kernels.score(baseline, flat, baselineOf, n, out);
            System.arraycopy(out, 0, scores, from, n);
            progress.accept((double)(from + n) / rows);
        }
        return scores;
    }

    /** Scores each row in {@code order} against the rows before it, after the first {@link #warmupRows}. */
    public static Result stream(final LabelledCsv data, final int[] order) {
        return stream(data, order, PROGRESS_NONE);
    }

    private static Result stream(final LabelledCsv data, final int[] order, final DoubleConsumer progress) {
        requirePermutation(order, data.rows());
        final int d = data.features();
        final int warmup = warmupRows(d);
        if (data.rows() <= warmup) {
            throw new EvalInputException(data.source() + ": stream mode scores the rows after the first " + warmup
                + " (max(100, 10 per feature)), but there are only " + data.rows() + " rows");
        }
        final Moments moments = new Moments(d);
        final double[] scores = new double[data.rows() - warmup];
        final boolean[] anomaly = new boolean[scores.length];
        for (int t = 0; t < order.length; t++) {
            final int row = order[t];
            if (t >= warmup) {
                final Gaussian model = Gaussian.fit(moments, Gaussian.Ridge.ALWAYS);
                if (model == null) {
                    throw new EvalInputException(data.source() + ": line " + (row + 2) + " (row " + row + "): cannot score it: the covariance of the "
                        + t + " rows before it is zero (every feature constant) or not finite");
                }
                scores[t - warmup] = model.mahalanobis2(data.row(row));
                anomaly[t - warmup] = data.anomaly(row);
            }
            moments.add(data.row(row));
            if ((t + 1) % PROGRESS_EVERY_ROWS == 0 || t + 1 == order.length) {
                progress.accept((double)(t + 1) / order.length);
            }
        }
        return result(data, Mode.STREAM, warmup, scores, anomaly, true);
    }

    private static Result result(final LabelledCsv data, final Mode mode, final int warmup,
                                 final double[] scores, final boolean[] anomaly, final boolean ridged) {
        int scoredAnomalies = 0;
        for (int i = 0; i < scores.length; i++) {
            if (!Double.isFinite(scores[i])) {
                throw new EvalInputException(data.source() + ": a score overflowed (" + scores[i]
                    + "); the features' scales are too far apart for double precision");
            }
            scoredAnomalies += anomaly[i] ? 1 : 0;
        }
        if (scoredAnomalies == 0 || scoredAnomalies == scores.length) {
            throw new EvalInputException(data.source() + ": the " + scores.length + " scored rows"
                + (warmup > 0 ? " (after the first " + warmup + ")" : "") + " are all labelled "
                + (scoredAnomalies == 0 ? "0 (normal)" : "1 (anomaly)") + "; ROC-AUC needs both labels");
        }
        return new Result(mode, data.rows(), data.features(), data.anomalies(), warmup, scores.length, scoredAnomalies, ridged,
            Metrics.rocAuc(scores, anomaly), Metrics.averagePrecision(scores, anomaly));
    }
}
