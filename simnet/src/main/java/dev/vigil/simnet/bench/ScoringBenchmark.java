package dev.vigil.simnet.bench;

import dev.vigil.daemon.detect.DetectionConfig;
import dev.vigil.daemon.detect.Detector;
import dev.vigil.daemon.detect.Feature;
import dev.vigil.daemon.detect.FeatureSchema;
import dev.vigil.daemon.stats.Gaussian;
import dev.vigil.daemon.stats.Moments;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * The cost of one observation at d features. {@code kernel}: Welford update plus squared
 * Mahalanobis distance (the arithmetic alone). {@code observe}: the detector's whole path for a
 * warm agent with a day of history — transform, bucket bookkeeping, scoring, CUSUM, the three
 * baseline updates (agent, role cohort, everyone), and the amortised refit of the lagged
 * baseline when a one-minute bucket closes (every 6th observation at 10 s windows).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class ScoringBenchmark {
    @Param({"10", "16"})
    public int features;

    private static final int VECTORS = 1024;
    private final SplittableRandom random = new SplittableRandom(7);
    private double[][] vectors;
    private Moments moments;
    private Gaussian gaussian;
    private Detector detector;
    private long tsMicros;
    private int next;

    @Setup
    public void setUp() {
        final List<Feature> list = new ArrayList<>();
        for (int i = 0; i < features; i++) {
            list.add(new Feature("f" + i, Feature.Transform.LOG1P, "", "bench", "bench feature"));
        }
        final FeatureSchema schema = new FeatureSchema(list);
        vectors = new double[VECTORS][features];
        for (final double[] v : vectors) {
            final double shared = random.nextGaussian();
            for (int i = 0; i < features; i++) {
                v[i] = Math.exp(2 + 0.3 * shared + 0.2 * random.nextGaussian()); // correlated, log-normal
            }
        }
        moments = new Moments(features);
        for (final double[] v : vectors) {
            moments.add(v);
        }
        gaussian = Gaussian.fit(moments, Gaussian.Ridge.WHEN_SINGULAR);
        detector = new Detector(schema, DetectionConfig.defaults());
        tsMicros = 1_767_225_600_000_000L;
        for (int i = 0; i < 8640; i++) { // one day of 10 s windows
            detector.observe("agent", "role", tsMicros += 10_000_000L, vectors[i % VECTORS]);
        }
    }

    @Benchmark
    public double kernel() {
        final double[] x = vectors[next++ & (VECTORS - 1)];
        moments.add(x);
        return gaussian.mahalanobis2(x);
    }

    @Benchmark
    public Detector.Outcome observe() {
        return detector.observe("agent", "role", tsMicros += 10_000_000L, vectors[next++ & (VECTORS - 1)]);
    }
}
