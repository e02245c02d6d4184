package dev.vigil.accel;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Measures, on this machine, from which batch size each kernel is faster on a device than in
 * Java, transfers included: the best of a few runs at sizes 10³ … 10⁶, on seeded inputs whose
 * device results are also checked against Java's (a device that disagrees is not used). A kernel
 * that the device wins at the largest size goes to the device from the smallest size after which
 * it keeps winning; one it never wins stays in Java. Takes well under a second on a CPU device.
 */
public record Calibration(List<Point> points, OpenClKernels.Thresholds thresholds, boolean agrees, String disagreement) {

    /**
     * One kernel at one batch size: items per second on each side. The device wins when it is at
     * least {@value #WIN_MARGIN} times as fast: a device that merely ties costs transfers, memory
     * and a second code path for nothing, and timing noise on a loaded host is of that order.
     */
    public record Point(String kernel, int batch, double javaPerSecond, double devicePerSecond) {
        public boolean deviceWins() {
            return devicePerSecond > WIN_MARGIN * javaPerSecond;
        }
    }

    static final double WIN_MARGIN = 1.2;
    /** Each figure: the best of at least {@value #RUNS} runs and at least this long of them, after as long a warm-up. */
    private static final long MEASURE_NANOS = 20_000_000L;

    static final int[] SIZES = {1_000, 10_000, 100_000, 1_000_000};
    /** Scoring and merges are calibrated up to this size (their inputs are d(d+3)/2 + 1 doubles an item). */
    static final int MODEL_SIZE_MAX = 100_000;
    static final int DIMENSION = 8;
    static final int PARTS_PER_GROUP = 8;
    private static final int RUNS = 3;

    /** Whether some kernel goes to the device from some batch size (it wins that kernel at the largest size). */
    public boolean deviceKeepsSomeKernel() {
        return thresholds.accumulate() != Integer.MAX_VALUE || thresholds.score() != Integer.MAX_VALUE
            || thresholds.merge() != Integer.MAX_VALUE;
    }

    /** "accumulate from 100000, score never, merge from 10000". */
    public String describeThresholds() {
        return "accumulate " + describe(thresholds.accumulate()) + ", score " + describe(thresholds.score()) + ", merge "
            + describe(thresholds.merge());
    }

    private static String describe(final int threshold) {
        return threshold == Integer.MAX_VALUE ? "never on the device" : "on the device from " + threshold;
    }

    /** Calibrates the device behind {@code device}; leaves its thresholds as they were. */
    public static Calibration run(final OpenClKernels device) {
        final OpenClKernels.Thresholds before = device.thresholds();
        device.thresholds(OpenClKernels.Thresholds.ALWAYS);
        try {
            final List<Point> points = new ArrayList<>();
            String disagreement = null;
            for (final int n : SIZES) {
                final Inputs in = Inputs.of(n, n <= MODEL_SIZE_MAX ? n : 0, DIMENSION, PARTS_PER_GROUP, 17L * n);
                final ExactSum javaSum = new ExactSum();
                final ExactSum deviceSum = new ExactSum();
                final double javaAcc = best(() -> {
                    javaSum.reset();
                    JavaKernels.INSTANCE.sum(in.increments, 0, n, javaSum);
                }, n);
                final double devAcc = best(() -> {
                    deviceSum.reset();
                    device.sum(in.increments, 0, n, deviceSum);
                }, n);
                points.add(new Point("accumulate", n, javaAcc, devAcc));
                if (disagreement == null && !java.util.Arrays.equals(javaSum.toBytes(), deviceSum.toBytes())) {
                    disagreement = "exact sums of " + n + " terms differ: java " + javaSum + ", device " + deviceSum;
                }
                if (n > MODEL_SIZE_MAX) {
                    continue;
                }
                final double[] javaScores = new double[n];
                final double[] deviceScores = new double[n];
                points.add(new Point("score", n,
                    best(() -> JavaKernels.INSTANCE.score(in.baselines, in.observations, in.baselineOf, n, javaScores), n),
                    best(() -> device.score(in.baselines, in.observations, in.baselineOf, n, deviceScores), n)));
                if (disagreement == null && !java.util.Arrays.equals(javaScores, deviceScores)) {
                    disagreement = "scores of " + n + " observations differ";
                }
                final MomentsBatch javaMerged = new MomentsBatch(DIMENSION, in.groups);
                final MomentsBatch deviceMerged = new MomentsBatch(DIMENSION, in.groups);
                points.add(new Point("merge", n,
                    best(() -> JavaKernels.INSTANCE.merge(in.parts, in.groupEnds, in.groups, javaMerged), n),
                    best(() -> device.merge(in.parts, in.groupEnds, in.groups, deviceMerged), n)));
                if (disagreement == null && !(java.util.Arrays.equals(javaMerged.comoments(), deviceMerged.comoments())
                    && java.util.Arrays.equals(javaMerged.means(), deviceMerged.means()))) {
                    disagreement = "merges of " + n + " parts differ";
                }
            }
            return new Calibration(points, new OpenClKernels.Thresholds(threshold(points, "accumulate"),
                threshold(points, "score"), threshold(points, "merge")), disagreement == null, disagreement);
        } finally {
            device.thresholds(before);
        }
    }

    /** The smallest size from which the device wins at every calibrated size; MAX_VALUE when it loses the largest. */
    static int threshold(final List<Point> points, final String kernel) {
        final List<Point> mine = points.stream().filter(p -> p.kernel().equals(kernel)).toList();
        int threshold = Integer.MAX_VALUE;
        for (int i = mine.size() - 1; i >= 0 && mine.get(i).deviceWins(); i--) {
            threshold = mine.get(i).batch();
        }
        return threshold;
    }

    private static double best(final Runnable run, final int items) {
        return itemsPerSecond(run, items, RUNS, MEASURE_NANOS);
    }

    /**
     * Items per second of {@code run}: warm-up runs for {@code nanos} (at least one), then the best
     * of at least {@code runsMin} timed runs and at least {@code nanos} of them. The calibration and
     * {@code vigil bench kernels} both measure this way.
     */
    public static double itemsPerSecond(final Runnable run, final int items, final int runsMin, final long nanos) {
        final long warmUntil = System.nanoTime() + nanos;
        int warm = 0;
        while (warm < 1 || (System.nanoTime() < warmUntil && warm < 10_000)) {
            run.run();
            warm++;
        }
        long best = Long.MAX_VALUE;
        final long until = System.nanoTime() + nanos;
        for (int r = 0; r < runsMin || (System.nanoTime() < until && r < 10_000); r++) {
            final long start = System.nanoTime();
            run.run();
            best = Math.min(best, System.nanoTime() - start);
        }
        return items / (Math.max(1, best) / 1e9);
    }

    /**
     * Seeded inputs: n log-likelihood-ratio-sized increments; m observations of dimension d
     * against m/64 + 1 baselines; m parts in groups of partsPerGroup, a fifth of them empty.
     * Public for the benchmark.
     */
    public static final class Inputs {
        public final double[] increments;
        public final Baselines baselines;
        public final double[] observations;
        public final int[] baselineOf;
        public final MomentsBatch parts;
        public final int[] groupEnds;
        public final int groups;

        private Inputs(final double[] increments, final Baselines baselines, final double[] observations, final int[] baselineOf,
                       final MomentsBatch parts, final int[] groupEnds) {
            this.increments = increments;
            this.baselines = baselines;
            this.observations = observations;
            this.baselineOf = baselineOf;
            this.parts = parts;
            this.groupEnds = groupEnds;
            this.groups = groupEnds.length;
        }

        public static Inputs of(final int n, final int m, final int d, final int partsPerGroup, final long seed) {
            final SplittableRandom random = new SplittableRandom(seed);
            final double[] increments = new double[n];
            for (int i = 0; i < n; i++) {
                increments[i] = random.nextGaussian() * Math.scalb(1.0, random.nextInt(-10, 8));
            }
            final int b = m / 64 + 1;
            final int t = Baselines.packedLength(d);
            final double[] means = new double[b * d];
            final double[] lowers = new double[b * t];
            for (int k = 0; k < b; k++) {
                for (int i = 0; i < d; i++) {
                    means[k * d + i] = random.nextGaussian() * 10;
                    for (int j = 0; j <= i; j++) {
                        lowers[k * t + i * (i + 1) / 2 + j] = i == j ? 0.5 + random.nextDouble() : random.nextGaussian() * 0.3;
                    }
                }
            }
            final double[] observations = new double[m * d];
            for (int i = 0; i < observations.length; i++) {
                observations[i] = random.nextGaussian() * 10;
            }
            final int[] baselineOf = new int[m];
            for (int i = 0; i < m; i++) {
                baselineOf[i] = random.nextInt(b);
            }
            final MomentsBatch parts = new MomentsBatch(d, m);
            for (int e = 0; e < m; e++) {
                parts.counts()[e] = random.nextInt(5) == 0 ? 0 : 1 + random.nextInt(1000);
                for (int i = 0; i < d; i++) {
                    parts.shifts()[e * d + i] = 100 + random.nextGaussian();
                    parts.means()[e * d + i] = random.nextGaussian() * 0.1;
                }
                for (int i = 0; i < d; i++) {
                    for (int j = i; j < d; j++) {
                        final int k = e * t + i * d - i * (i - 1) / 2 + (j - i);
                        parts.comoments()[k] = i == j ? parts.counts()[e] * (1 + random.nextDouble()) : random.nextGaussian();
                    }
                }
            }
            final int groups = (m + partsPerGroup - 1) / partsPerGroup;
            final int[] groupEnds = new int[groups];
            for (int g = 0; g < groups; g++) {
                groupEnds[g] = Math.min(m, (g + 1) * partsPerGroup);
            }
            return new Inputs(increments, new Baselines(d, b, means, lowers), observations, baselineOf, parts, groupEnds);
        }
    }
}
