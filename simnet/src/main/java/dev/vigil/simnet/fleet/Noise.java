package dev.vigil.simnet.fleet;

import java.util.SplittableRandom;

/**
 * The random draws the fleet needs, on one {@link SplittableRandom}. Gaussians come from
 * Marsaglia's polar method on {@link StrictMath}, not from {@code RandomGenerator.nextGaussian},
 * so a seed gives the same bits on every JVM.
 */
final class Noise {
    /** Above this mean a Poisson draw uses the normal approximation; Knuth's loop is O(mean). */
    private static final double POISSON_KNUTH_MEAN_MAX = 30;

    private final SplittableRandom random;
    private double spareGaussian;
    private boolean hasSpareGaussian;

    Noise(final SplittableRandom random) {
        this.random = random;
    }

    /** Standard normal. */
    double gaussian() {
        if (hasSpareGaussian) {
            hasSpareGaussian = false;
            return spareGaussian;
        }
        double u;
        double v;
        double s;
        do {
            u = 2 * random.nextDouble() - 1;
            v = 2 * random.nextDouble() - 1;
            s = u * u + v * v;
        } while (s >= 1 || s == 0);
        final double scale = Math.sqrt(-2 * StrictMath.log(s) / s);
        spareGaussian = v * scale;
        hasSpareGaussian = true;
        return u * scale;
    }

    /** Standard normal clipped to ±{@code bound}, for per-agent factors that must stay plausible. */
    double gaussianClipped(final double bound) {
        return Math.max(-bound, Math.min(bound, gaussian()));
    }

    /** exp(σ·N(0,1)): log-normal with median 1. */
    double logNormal(final double sigma) {
        return StrictMath.exp(sigma * gaussian());
    }

    /** Uniform in [lo, hi). */
    double uniform(final double lo, final double hi) {
        return lo + (hi - lo) * random.nextDouble();
    }

    /** Uniform in [lo, hi], both inclusive. */
    int uniformInt(final int lo, final int hiInclusive) {
        return random.nextInt(lo, hiInclusive + 1);
    }

    boolean chance(final double p) {
        return random.nextDouble() < p;
    }

    /** Poisson with the given mean: Knuth's product of uniforms, or the rounded normal approximation for large means. */
    int poisson(final double mean) {
        if (!(mean > 0)) {
            return 0;
        }
        if (mean > POISSON_KNUTH_MEAN_MAX) {
            return (int) Math.max(0, Math.round(mean + Math.sqrt(mean) * gaussian()));
        }
        final double limit = StrictMath.exp(-mean);
        double product = random.nextDouble();
        int k = 0;
        while (product > limit) {
            product *= random.nextDouble();
            k++;
        }
        return k;
    }
}
