package dev.vigil.simnet.bench;

import dev.vigil.accel.Accel;
import dev.vigil.accel.Calibration;
import dev.vigil.accel.ExactSum;
import dev.vigil.accel.JavaKernels;
import dev.vigil.accel.Kernels;
import dev.vigil.accel.MomentsBatch;
import dev.vigil.accel.OpenClDevice;
import dev.vigil.accel.OpenClKernels;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code vigil bench kernels}: the accel kernels on one backend at batch sizes 10³ … 10⁷, best of
 * the timed runs of at least 0.3 s after 0.3 s of warm-up (a plain harness rather than JMH: one device call at 10⁷ takes
 * up to a second and JMH's iteration model adds nothing there). Java's figures are measured at
 * every size too, for the crossover and for the device's exact sums, which are compared with
 * Java's bit for bit on each row's inputs.
 */
final class KernelsBench {
    record Params(String backend, String device, List<Integer> sizes, int runs, int dimension, int partsPerGroup) {
    }

    private KernelsBench() {
    }

    static Map<String, Object> run(final Params p) throws Exception {
        final Map<String, Object> out = new LinkedHashMap<>();
        final OpenClKernels device;
        final Kernels kernels;
        if (p.backend().equals("java")) {
            device = null;
            kernels = JavaKernels.INSTANCE;
            out.put("backend", "java");
            out.put("device", "java " + System.getProperty("java.version") + " on " + System.getProperty("os.arch")
                + ", " + Runtime.getRuntime().availableProcessors() + " cores (one thread)");
        } else if (p.backend().equals("opencl")) {
            device = OpenClKernels.open(pick(OpenClDevice.list(), p.device()));
            device.thresholds(OpenClKernels.Thresholds.ALWAYS);
            kernels = device;
            out.put("backend", "opencl");
            out.put("device", device.device().describe() + ", " + device.device().computeUnits() + " compute units, "
                + device.device().version());
        } else {
            throw new IllegalArgumentException("--backend must be java or opencl, got '" + p.backend() + "'");
        }
        out.put("dimension", p.dimension());
        out.put("parts_per_group", p.partsPerGroup());
        out.put("runs", p.runs());
        final List<Map<String, Object>> rows = new ArrayList<>();
        boolean bitIdentical = true;
        double scoreDiff = 0;
        double mergeDiff = 0;
        final Map<String, Integer> winsFrom = new LinkedHashMap<>();
        try {
            for (final int n : p.sizes()) {
                final Calibration.Inputs in = Calibration.Inputs.of(n, n, p.dimension(), p.partsPerGroup(), 31L * n + 7);
                final Map<String, Object> row = new LinkedHashMap<>();
                row.put("batch", n);
                final OpenClKernels.Counters before = device == null ? null : device.counters();

                final ExactSum sum = new ExactSum();
                final double accumulate = best(p.runs(), n, () -> {
                    sum.reset();
                    kernels.sum(in.increments, 0, n, sum);
                });
                final OpenClKernels.Counters afterAccumulate = device == null ? null : device.counters();
                final double[] scores = new double[n];
                final double score = best(p.runs(), n, () -> kernels.score(in.baselines, in.observations, in.baselineOf, n, scores));
                final OpenClKernels.Counters afterScore = device == null ? null : device.counters();
                final MomentsBatch merged = new MomentsBatch(p.dimension(), in.groups);
                final double merge = best(p.runs(), n, () -> kernels.merge(in.parts, in.groupEnds, in.groups, merged));
                row.put("accumulate_per_s", round(accumulate));
                row.put("score_per_s", round(score));
                row.put("merge_per_s", round(merge));
                if (device != null) {
                    final OpenClKernels.Counters after = device.counters();
                    row.put("transfer_share", share(before, after));
                    row.put("accumulate_transfer_share", share(before, afterAccumulate));
                    row.put("score_transfer_share", share(afterAccumulate, afterScore));
                    row.put("merge_transfer_share", share(afterScore, after));
                } else {
                    row.put("transfer_share", 0.0);
                }
                // Java at the same size: the reference bits and the crossover
                final ExactSum javaSum = new ExactSum();
                final double javaAccumulate = device == null ? accumulate : best(p.runs(), n, () -> {
                    javaSum.reset();
                    JavaKernels.INSTANCE.sum(in.increments, 0, n, javaSum);
                });
                if (device == null) {
                    javaSum.add(in.increments, 0, n);
                }
                final double[] javaScores = new double[n];
                final double javaScore = device == null ? score
                    : best(p.runs(), n, () -> JavaKernels.INSTANCE.score(in.baselines, in.observations, in.baselineOf, n, javaScores));
                final MomentsBatch javaMerged = new MomentsBatch(p.dimension(), in.groups);
                final double javaMerge = device == null ? merge
                    : best(p.runs(), n, () -> JavaKernels.INSTANCE.merge(in.parts, in.groupEnds, in.groups, javaMerged));
                final double naive = best(p.runs(), n, () -> naiveSum(in.increments, n));
                row.put("naive_sum_per_s", round(naive));
                if (device != null) {
                    row.put("java_accumulate_per_s", round(javaAccumulate));
                    row.put("java_score_per_s", round(javaScore));
                    row.put("java_merge_per_s", round(javaMerge));
                    final boolean same = Arrays.equals(sum.toBytes(), javaSum.toBytes());
                    row.put("bit_identical", same);
                    bitIdentical &= same;
                    scoreDiff = Math.max(scoreDiff, maxRelative(scores, javaScores));
                    mergeDiff = Math.max(mergeDiff, maxRelative(merged.comoments(), javaMerged.comoments()));
                    mergeDiff = Math.max(mergeDiff, maxRelative(merged.means(), javaMerged.means()));
                    wins(winsFrom, "accumulate", n, accumulate > javaAccumulate);
                    wins(winsFrom, "score", n, score > javaScore);
                    wins(winsFrom, "merge", n, merge > javaMerge);
                } else {
                    row.put("exact_over_naive_time", Math.round(100.0 * naive / accumulate) / 100.0);
                }
                rows.add(row);
                System.err.printf(Locale.ROOT, "kernels %s: batch %d done%n", p.backend(), n);
            }
        } finally {
            if (device != null) {
                device.close();
            }
        }
        out.put("rows", rows);
        out.put("bit_identical", bitIdentical);
        if (device != null) {
            out.put("score_max_relative_difference", scoreDiff);
            out.put("merge_max_relative_difference", mergeDiff);
            final Map<String, Object> crossover = new LinkedHashMap<>();
            winsFrom.forEach((k, v) -> crossover.put(k, v == Integer.MAX_VALUE ? "never" : v));
            out.put("device_wins_from", crossover);
        }
        return out;
    }

    /** The smallest batch from which the device wins at every larger measured batch. */
    private static void wins(final Map<String, Integer> winsFrom, final String kernel, final int n, final boolean deviceWins) {
        final Integer current = winsFrom.get(kernel);
        if (!deviceWins) {
            winsFrom.put(kernel, Integer.MAX_VALUE);
        } else if (current == null || current == Integer.MAX_VALUE) {
            winsFrom.put(kernel, n);
        }
    }

    /** The share of device-call time spent in transfers between two readings of the counters. */
    private static double share(final OpenClKernels.Counters from, final OpenClKernels.Counters to) {
        final long transfer = to.transferNanos() - from.transferNanos();
        final long total = to.totalNanos() - from.totalNanos();
        return Math.round(1000.0 * transfer / Math.max(1, total)) / 1000.0;
    }

    /** The device as the daemon's {@code accel.backend: opencl} would pick it (index or name substring, else the first with fp64). */
    private static OpenClDevice pick(final List<OpenClDevice> devices, final String selector) {
        final Accel.Choice choice = Accel.choose(devices, Accel.Backend.OPENCL, selector);
        if (choice.device() == null) {
            throw new IllegalArgumentException(choice.why());
        }
        return choice.device();
    }

    private static double naiveSum(final double[] xs, final int n) {
        double s = 0;
        for (int i = 0; i < n; i++) {
            s += xs[i];
        }
        sink += s;
        return s;
    }

    private static volatile double sink;

    private static double maxRelative(final double[] a, final double[] b) {
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            if (a[i] != b[i]) {
                max = Math.max(max, Math.abs(a[i] - b[i]) / Math.max(Math.abs(a[i]), Math.abs(b[i])));
            }
        }
        return max;
    }

    /** Items per second: the best of at least {@code runs} timed runs and 0.3 s of them, after 0.3 s of warm-up. */
    private static double best(final int runs, final int items, final Runnable run) {
        return Calibration.itemsPerSecond(run, items, runs, 300_000_000L);
    }

    private static double round(final double perSecond) {
        return Double.parseDouble(String.format(Locale.ROOT, "%.4g", perSecond));
    }
}
