package dev.vigil.accel;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Seeded test data: increments of mixed magnitudes, from Double.MIN_VALUE and 1e-310 through
 * log-likelihood-ratio sizes to 1e300 and MAX_VALUE, with cancelling signs: x and -x pairs and
 * huge terms that cancel and leave the small ones to decide the sum.
 */
final class Increments {
    private static final double[] EDGES = {
        Double.MIN_VALUE, 1e-310, Double.MIN_NORMAL, Math.nextDown(Double.MIN_NORMAL), 1e-300,
        1.0, Math.nextUp(1.0), 1e300, Double.MAX_VALUE, Math.ulp(1.0) / 2, 0.0, -0.0,
    };

    private Increments() {
    }

    /**
     * n increments. {@code cancelling}: every term above 1e-250 comes with its negation somewhere,
     * so the exact sum is that of subnormals and tiny normals alone (a naive sum of them is noise).
     * Otherwise part of the terms are unpaired at every size, up to 1e300.
     */
    static double[] mixed(final long seed, final int n, final boolean cancelling) {
        final SplittableRandom random = new SplittableRandom(seed);
        final double[] xs = new double[n];
        int i = 0;
        while (i < n) {
            final double x = term(random);
            final boolean pair = cancelling ? Math.abs(x) > 1e-250 : random.nextInt(3) == 0;
            if (pair && i + 2 <= n) {
                xs[i++] = x;
                xs[i++] = -x;
            } else if (!pair || !cancelling) {
                xs[i++] = x;
            }
        }
        shuffle(xs, random);
        return xs;
    }

    /** One term of a random kind. */
    static double term(final SplittableRandom random) {
        final double sign = random.nextBoolean() ? 1 : -1;
        switch (random.nextInt(8)) {
            case 0: // a log-likelihood ratio: Gaussian, scaled by 10^-3 .. 10^3
                return gaussian(random) * StrictMath.pow(10, random.nextDouble(-3, 3));
            case 1: // a subnormal, any significand
                return sign * Double.longBitsToDouble(random.nextLong(1, 1L << 52));
            case 2: // a tiny normal, 2^-1022 .. 2^-900
                return sign * withExponent(random, random.nextInt(1, 123));
            case 3: // huge: 1e270 .. MAX_VALUE
                return sign * withExponent(random, random.nextInt(1920, 2047));
            case 4: // anywhere in the finite range
                return sign * withExponent(random, random.nextInt(0, 2047));
            case 5: // an edge value
                return sign * EDGES[random.nextInt(EDGES.length)];
            case 6: // a significand with all bits set: the most carry per addition
                return sign * Double.longBitsToDouble(((long) random.nextInt(1, 2047) << 52) | ((1L << 52) - 1));
            default: // a small integer: many equal exponents pile into the same chunks
                return sign * random.nextInt(1, 1 << 20);
        }
    }

    private static double withExponent(final SplittableRandom random, final int biasedExponent) {
        return Double.longBitsToDouble(((long) biasedExponent << 52) | (random.nextLong() & ((1L << 52) - 1)));
    }

    private static double gaussian(final SplittableRandom random) {
        // Box–Muller on the generator's own doubles, so the data do not depend on the JDK's
        // nextGaussian algorithm
        final double u = 1 - random.nextDouble();
        return StrictMath.sqrt(-2 * StrictMath.log(u)) * StrictMath.cos(2 * StrictMath.PI * random.nextDouble());
    }

    static void shuffle(final double[] xs, final SplittableRandom random) {
        for (int i = xs.length - 1; i > 0; i--) {
            final int j = random.nextInt(i + 1);
            final double t = xs[i];
            xs[i] = xs[j];
            xs[j] = t;
        }
    }

    static double[] shuffled(final double[] xs, final long seed) {
        final double[] copy = Arrays.copyOf(xs, xs.length);
        shuffle(copy, new SplittableRandom(seed));
        return copy;
    }
}
