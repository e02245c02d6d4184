package dev.vigil.accel;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AfterProperty;

import java.util.Arrays;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Both backends on the same random inputs: exact sums bit-identical, scores and merges within
 * 1e-12 relative. The OpenCL side runs every batch on the device, in passes small enough that
 * most inputs span several.
 */
class BackendEquivalenceProperties {
    private static final long SMALL_PASSES = 64 * 1024;

    private static OpenClKernels device() {
        final OpenClKernels device = OpenClTesting.kernels();
        device.passBytes(SMALL_PASSES);
        return device;
    }

    @AfterProperty
    void restorePasses() {
        // the shared backend keeps the small passes only for this class's properties
        OpenClTesting.kernels().passBytes(1L << 28);
    }

    @Property(tries = 40)
    void exactSumsAreTheSameBits(@ForAll final long seed, @ForAll @IntRange(max = 200_000) final int n,
                                 @ForAll @IntRange(min = 1, max = 50) final int segments) {
        final SplittableRandom random = new SplittableRandom(seed);
        final double[] xs = Increments.mixed(seed, n, random.nextBoolean());
        final int[] ends = new int[segments];
        for (int s = 0; s < segments - 1; s++) {
            ends[s] = random.nextInt(n + 1);
        }
        ends[segments - 1] = n;
        Arrays.sort(ends);
        final ExactSum[] java = new ExactSum[segments];
        final ExactSum[] opencl = new ExactSum[segments];
        for (int s = 0; s < segments; s++) {
            java[s] = new ExactSum();
            opencl[s] = new ExactSum();
        }
        JavaKernels.INSTANCE.sum(xs, ends, java);
        device().sum(xs, ends, opencl);
        for (int s = 0; s < segments; s++) {
            assertThat(opencl[s].toBytes()).as("segment %d", s).isEqualTo(java[s].toBytes());
            assertThat(Double.doubleToRawLongBits(opencl[s].value())).isEqualTo(Double.doubleToRawLongBits(java[s].value()));
        }
    }

    @Property(tries = 30)
    void scoresAgree(@ForAll final long seed, @ForAll @IntRange(min = 1, max = 64) final int d,
                     @ForAll @IntRange(max = 20_000) final int n) {
        final SplittableRandom random = new SplittableRandom(seed);
        final Baselines baselines = ModelReference.baselines(random, d, 1 + random.nextInt(100));
        final double[] observations = new double[n * d];
        Arrays.setAll(observations, i -> random.nextGaussian() * Math.scalb(1.0, random.nextInt(-4, 12)));
        final int[] baselineOf = new int[n];
        Arrays.setAll(baselineOf, i -> random.nextInt(baselines.count()));
        final double[] java = new double[n];
        final double[] opencl = new double[n];
        JavaKernels.INSTANCE.score(baselines, observations, baselineOf, n, java);
        device().score(baselines, observations, baselineOf, n, opencl);
        for (int i = 0; i < n; i++) {
            KernelsContract.assertRelative(opencl[i], java[i], 1e-12, "observation " + i);
        }
    }

    @Property(tries = 30)
    void mergesAgree(@ForAll final long seed, @ForAll @IntRange(min = 1, max = 24) final int d,
                     @ForAll @IntRange(max = 1_000) final int groups) {
        final SplittableRandom random = new SplittableRandom(seed);
        final int[] groupEnds = new int[groups];
        int parts = 0;
        for (int g = 0; g < groups; g++) {
            parts += random.nextInt(10);
            groupEnds[g] = parts;
        }
        final Calibration.Inputs in = Calibration.Inputs.of(0, parts, d, 1, seed);
        final MomentsBatch java = new MomentsBatch(d, groups);
        final MomentsBatch opencl = new MomentsBatch(d, groups);
        JavaKernels.INSTANCE.merge(in.parts, groupEnds, groups, java);
        device().merge(in.parts, groupEnds, groups, opencl);
        assertThat(opencl.counts()).isEqualTo(java.counts());
        final int t = Baselines.packedLength(d);
        for (int g = 0; g < groups; g++) {
            KernelsContract.assertClose(Arrays.copyOfRange(opencl.means(), g * d, g * d + d),
                Arrays.copyOfRange(java.means(), g * d, g * d + d), 1e-12, "group " + g + " mean");
            KernelsContract.assertClose(Arrays.copyOfRange(opencl.comoments(), g * t, g * t + t),
                Arrays.copyOfRange(java.comoments(), g * t, g * t + t), 1e-12, "group " + g + " co-moments");
            assertThat(Arrays.copyOfRange(opencl.shifts(), g * d, g * d + d)).isEqualTo(Arrays.copyOfRange(java.shifts(), g * d, g * d + d));
        }
    }
}
