package dev.vigil.simnet.bench;

import dev.vigil.accel.Combination;
import dev.vigil.accel.CombineRule;
import dev.vigil.accel.ExactSum;
import dev.vigil.accel.JavaKernels;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * Exact summation against a naive double loop, per call over {@code terms} increments (divide by
 * terms for ns per term; {@code vigil bench combine} does). {@code exactSum}: reset, add the array
 * with the bulk add, read the rounded value. {@code exactSumTermByTerm}: the same through
 * {@code add(double)} one term at a time. {@code naiveSum}: {@code s += x}. Increments are
 * {@code llr} (Gaussian times 10^-3..10^3, the size of log-likelihood ratios) or {@code wide}
 * (any finite double, subnormals to 1e308). {@code combine}: one combination of 7 observers, f = 2.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class CombineBenchmark {

    @State(Scope.Benchmark)
    public static class Terms {
        @Param({"1000", "10000", "100000", "1000000", "10000000"})
        public int terms;

        @Param({"llr", "wide"})
        public String spread;

        double[] xs;

        @Setup
        public void setUp() {
            final SplittableRandom random = new SplittableRandom(17);
            xs = new double[terms];
            for (int i = 0; i < terms; i++) {
                if (spread.equals("llr")) {
                    xs[i] = random.nextGaussian() * StrictMath.pow(10, random.nextDouble(-3, 3));
                } else {
                    final long bits = random.nextLong() & 0x800F_FFFF_FFFF_FFFFL | ((long) random.nextInt(0, 2047) << 52);
                    xs[i] = Double.longBitsToDouble(bits);
                }
            }
        }
    }

    @State(Scope.Thread)
    public static class Accumulator {
        final ExactSum sum = new ExactSum();
    }

    @State(Scope.Thread)
    public static class Committee {
        final double[] totals = {3.25, -1.5, 7.0, 0.125, 12.0, -0.75, 2.5};
        final CombineRule rule = new CombineRule(10, 2, -4.6);
    }

    @Benchmark
    public double exactSum(final Terms t, final Accumulator a) {
        a.sum.reset();
        a.sum.add(t.xs, 0, t.xs.length);
        return a.sum.value();
    }

    @Benchmark
    public double exactSumTermByTerm(final Terms t, final Accumulator a) {
        a.sum.reset();
        for (final double x : t.xs) {
            a.sum.add(x);
        }
        return a.sum.value();
    }

    @Benchmark
    public double naiveSum(final Terms t) {
        double s = 0;
        for (final double x : t.xs) {
            s += x;
        }
        return s;
    }

    @Benchmark
    public Combination combine(final Committee c) {
        return JavaKernels.INSTANCE.combine(c.totals, c.totals.length, c.rule);
    }
}
