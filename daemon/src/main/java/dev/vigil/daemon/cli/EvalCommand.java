package dev.vigil.daemon.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.accel.Accel;
import dev.vigil.accel.JavaKernels;
import dev.vigil.daemon.eval.EvalInputException;
import dev.vigil.daemon.eval.Evaluation;
import dev.vigil.daemon.eval.LabelledCsv;
import dev.vigil.daemon.eval.RowOrder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code vigil eval}: the detector on labelled data, with the daemon's own statistics code. */
@Command(name = "eval", mixinStandardHelpOptions = true,
    description = {
        "Score a labelled CSV (header f0,...,f{d-1},label; label 1 = anomaly, 0 = normal) with the daemon's detector "
            + "(squared Mahalanobis distance from a Gaussian fitted to the data) and print rows, features, anomalies, "
            + "ROC-AUC and PR-AUC.",
        "batch: fit mean and covariance (divided by n) on all rows, ridge 1e-6*trace/d only when the covariance is "
            + "singular, score every row.",
        "stream: take rows in --order (default file order); score each row against the running statistics of the rows "
            + "before it with the ridge always added, then add it; the first max(100, 10*d) rows are not scored.",
        "--accel: where batch mode scores its rows, as the daemon's accel.backend; the scores are the same on every backend "
            + "(a device that disagrees with Java in the calibration is not used).",
        "ROC-AUC gives tied scores their average rank (as scikit-learn's roc_auc_score). PR-AUC is average precision "
            + "as scikit-learn's average_precision_score defines it: sum over thresholds of (R_n - R_n-1) * P_n, "
            + "not a trapezoidal area."})
final class EvalCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--csv", required = true, paramLabel = "FILE", description = "The labelled data.")
    Path csv;

    @Option(names = "--mode", defaultValue = "batch", paramLabel = "batch|stream", description = "Evaluation mode (default: ${DEFAULT-VALUE}).")
    String mode;

    @Option(names = "--order", paramLabel = "PERMFILE",
        description = "Row order: one 0-based row index per line, each row exactly once (default: file order). "
            + "In batch mode it changes only rounding.")
    Path order;

    @Option(names = "--accel", defaultValue = "auto", paramLabel = "auto|java|opencl",
        description = "Batch mode: auto (an OpenCL GPU or accelerator with fp64 where a calibration of a second or two finds it "
            + "faster than Java; files under " + AUTO_ROWS_MIN + " rows stay in Java), java, or opencl (every batch on the "
            + "device) (default: ${DEFAULT-VALUE}). Stream mode scores each row against a model of its own, in Java.")
    String accel;

    @Option(names = "--json", description = "Print one JSON object: rows, features, anomalies, roc_auc, pr_auc, mode, "
        + "scored_rows, scored_anomalies, warmup_rows, ridged, accel (requested, backend, device, reason).")
    boolean json;

    /**
     * Under auto, files with fewer rows are scored in Java without looking for a device: the
     * calibration starts at batches of 1,000, so auto never sends a smaller one to a device.
     */
    static final int AUTO_ROWS_MIN = 1_000;

    /** Files with at least this many rows show a progress bar (on a terminal's stderr): smaller ones take well under a second. */
    static final int PROGRESS_ROWS_MIN = 100_000;

    @Override
    public Integer call() throws JsonProcessingException {
        final Evaluation.Mode evaluationMode;
        try {
            evaluationMode = Evaluation.Mode.parse(mode);
        } catch (final IllegalArgumentException e) {
            throw new CliException("--mode: " + e.getMessage());
        }
        final Accel.Backend backend;
        try {
            backend = Accel.Backend.parse(accel);
        } catch (final IllegalArgumentException e) {
            throw new CliException("--accel must be auto, java or opencl, got '" + accel + "'");
        }
        final Evaluation.Result result;
        final Accel.Status scoredOn;
        try {
            final LabelledCsv data = LabelledCsv.read(csv);
            final String dataName = String.valueOf(csv.getFileName());
            final int[] rowOrder = order == null ? RowOrder.fileOrder(data.rows()) : RowOrder.read(order, data.rows(), dataName);
            final String javaWhy = evaluationMode == Evaluation.Mode.STREAM
                ? "stream mode scores each row against a model of its own, in Java"
                : backend == Accel.Backend.AUTO && data.rows() < AUTO_ROWS_MIN
                ? data.rows() + " rows: under auto, fewer than " + AUTO_ROWS_MIN + " are scored in Java" : null;
            // a bar on a terminal's stderr for a file large enough to wait on; nothing otherwise (stdout is the report)
            final Progress bar = data.rows() >= PROGRESS_ROWS_MIN ? Progress.forWork(null) : new Progress(Writer.nullWriter(), Progress.Mode.QUIET);
            final String detail = String.format(Locale.ROOT, "%s: %s mode, %,d rows", dataName, evaluationMode.label(), data.rows());
            if (javaWhy != null) {
                result = Evaluation.run(data, evaluationMode, rowOrder, JavaKernels.INSTANCE, done -> bar.update(done, detail));
                scoredOn = new Accel.Status(backend.label(), "java", "", javaWhy, "", 0, 0, 0, 0, 0);
            } else {
                // a one-off: select now (a second or two with OpenCL) rather than score in Java while a background selection runs
                try (Accel kernels = Accel.selected(backend, "")) {
                    final long batchesBefore = kernels.status().batches(); // the calibration's
                    result = Evaluation.run(data, evaluationMode, rowOrder, kernels, done -> bar.update(done, detail));
                    scoredOn = whereScored(kernels.status(), batchesBefore, data.rows());
                }
            }
            bar.done(detail);
        } catch (final EvalInputException e) {
            throw new CliException(e.getMessage());
        }
        final PrintWriter out = spec.commandLine().getOut();
        if (json) {
            final Map<String, Object> fields = jsonFields(result);
            final Map<String, Object> accelFields = new LinkedHashMap<>();
            accelFields.put("requested", scoredOn.requested());
            accelFields.put("backend", scoredOn.backend());
            accelFields.put("device", scoredOn.device());
            accelFields.put("reason", scoredOn.reason());
            fields.put("accel", accelFields);
            out.println(new ObjectMapper().writeValueAsString(fields));
        } else {
            printText(out, result, scoredOn);
        }
        out.flush();
        return 0;
    }

    /** The device's status, or Java's when the device ran none of the scoring (its thresholds kept it in Java). */
    private static Accel.Status whereScored(final Accel.Status s, final long batchesBefore, final int rows) {
        if (!s.backend().equals("opencl") || s.batches() > batchesBefore) {
            return s;
        }
        return new Accel.Status(s.requested(), "java", "", "the calibration keeps score batches of " + rows + " rows off "
            + s.device() + " (" + s.thresholds() + ")", s.thresholds(), s.batches(), s.bytesMoved(), s.transferShare(),
            s.deviceNanos(), s.transferNanos());
    }

    private static Map<String, Object> jsonFields(final Evaluation.Result r) {
        final Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("rows", r.rows());
        fields.put("features", r.features());
        fields.put("anomalies", r.anomalies());
        fields.put("roc_auc", r.rocAuc());
        fields.put("pr_auc", r.averagePrecision());
        fields.put("mode", r.mode().label());
        fields.put("scored_rows", r.scoredRows());
        fields.put("scored_anomalies", r.scoredAnomalies());
        fields.put("warmup_rows", r.warmupRows());
        fields.put("ridged", r.ridged());
        return fields;
    }

    private void printText(final PrintWriter out, final Evaluation.Result r, final Accel.Status scoredOn) {
        out.printf(Locale.ROOT, "%s: %d rows, %d features, %d anomalies (%.2f %%)%n",
            csv, r.rows(), r.features(), r.anomalies(), 100.0 * r.anomalies() / r.rows());
        if (r.mode() == Evaluation.Mode.BATCH) {
            out.printf(Locale.ROOT, "mode batch: fitted on all rows, %s%n",
                r.ridged() ? "ridge added (the covariance is singular)" : "no ridge (the covariance is not singular)");
        } else {
            out.printf(Locale.ROOT, "mode stream: %s, first %d rows not scored, ridge always added%n",
                order == null ? "file order" : "order from " + order, r.warmupRows());
        }
        out.printf(Locale.ROOT, "scored %d rows, %d anomalies%n", r.scoredRows(), r.scoredAnomalies());
        out.printf(Locale.ROOT, "scored on %s%s: %s%n", scoredOn.backend(),
            scoredOn.device().isEmpty() ? "" : " (" + scoredOn.device() + ")", scoredOn.reason());
        out.printf(Locale.ROOT, "ROC-AUC %.6f%n", r.rocAuc());
        out.printf(Locale.ROOT, "PR-AUC  %.6f (average precision)%n", r.averagePrecision());
    }
}
