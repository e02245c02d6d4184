package dev.vigil.daemon.stats;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How far two computations of the same statistics may differ. Stated once, used by every
 * property.
 *
 * <p>Mean: {@link #RELATIVE} of the data's scale, max_k |x_ki| (for data far from zero that is
 * relative to the mean itself; for a mean near zero of large values, nothing finer than the
 * values' resolution is meaningful).
 *
 * <p>Co-moment C_ij: {@link #RELATIVE} of sqrt(C_ii·C_jj), which is C_ii itself on the diagonal
 * and, off it, the Cauchy–Schwarz bound on |C_ij| (so the correlation coefficient agrees to
 * {@link #RELATIVE}). This holds far from zero too (1e9 + noise of 1e-3): {@link Moments} keeps
 * its statistics relative to a shift, so the data's offset costs no precision.
 */
final class Tolerance {
    static final double RELATIVE = 1e-12;

    private Tolerance() {
    }

    static double mean(final double magnitude) {
        return RELATIVE * magnitude;
    }

    static double comoment(final double cii, final double cjj) {
        return RELATIVE * Math.sqrt(Math.abs(cii) * Math.abs(cjj));
    }

    /** Asserts that {@code actual} agrees with the exact statistics of {@code data}. */
    static void assertAgrees(final String what, final Moments actual, final ExactMoments exact, final Dataset data) {
        final int d = data.dimension();
        assertThat(actual.count()).as(what + ": count").isEqualTo(data.size());
        for (int i = 0; i < d; i++) {
            assertWithin(what + ": mean[" + i + "]", actual.mean(i), exact.mean(i), mean(data.magnitude(i)));
        }
        for (int i = 0; i < d; i++) {
            for (int j = i; j < d; j++) {
                final double allowed = comoment(exact.comoment(i, i), exact.comoment(j, j));
                assertWithin(what + ": comoment[" + i + "][" + j + "]", actual.comoment(i, j), exact.comoment(i, j), allowed);
            }
        }
    }

    /** Asserts that two computations of the statistics of {@code data} agree with each other. */
    static void assertAgrees(final String what, final Moments actual, final Moments expected, final Dataset data) {
        final int d = data.dimension();
        assertThat(actual.count()).as(what + ": count").isEqualTo(expected.count()).isEqualTo(data.size());
        for (int i = 0; i < d; i++) {
            assertWithin(what + ": mean[" + i + "]", actual.mean(i), expected.mean(i), mean(data.magnitude(i)));
        }
        for (int i = 0; i < d; i++) {
            for (int j = i; j < d; j++) {
                final double cii = Math.max(Math.abs(actual.comoment(i, i)), Math.abs(expected.comoment(i, i)));
                final double cjj = Math.max(Math.abs(actual.comoment(j, j)), Math.abs(expected.comoment(j, j)));
                final double allowed = comoment(cii, cjj);
                assertWithin(what + ": comoment[" + i + "][" + j + "]", actual.comoment(i, j), expected.comoment(i, j), allowed);
            }
        }
    }

    private static void assertWithin(final String what, final double actual, final double expected, final double allowed) {
        final double error = Math.abs(actual - expected);
        assertThat(error <= allowed)
            .as("%s: got %s, expected %s, error %s > allowed %s", what, actual, expected, error, allowed)
            .isTrue();
    }
}
