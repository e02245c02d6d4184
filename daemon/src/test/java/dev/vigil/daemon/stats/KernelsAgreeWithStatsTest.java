package dev.vigil.daemon.stats;

import dev.vigil.accel.Baselines;
import dev.vigil.accel.JavaKernels;
import dev.vigil.accel.Kernels;
import dev.vigil.accel.MomentsBatch;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The accel kernels the daemon hands its batches to compute what {@link Gaussian} and
 * {@link Moments} compute, to the bit, on the Java backend: a score is {@link Gaussian#mahalanobis2}
 * through {@link Gaussian#toBaselines}, a batch merge is {@link Moments#mergeInOrder} through
 * {@link Moments#copyTo} and {@link Moments#copyFrom}. Inputs are seeded: a failure names its
 * dimension and seed.
 */
class KernelsAgreeWithStatsTest {
    private static final Kernels JAVA = JavaKernels.INSTANCE;
    private static final int DIMENSION_MAX = 12;

    @Test
    void batchScoresAreTheBitsOfMahalanobis2ForSeveralGaussiansAtOnce() {
        for (int d = 1; d <= DIMENSION_MAX; d++) {
            final long seed = 0x5c0_0000L + d;
            final SplittableRandom rng = new SplittableRandom(seed);
            final List<Gaussian> models = new ArrayList<>();
            for (int b = 0; b < 4; b++) {
                // both ridge policies: ALWAYS ridges every model, WHEN_SINGULAR only a model with a constant feature
                final Gaussian g = Gaussian.fit(randomMoments(d, 5 + rng.nextInt(200), rng, b == 3),
                    b % 2 == 0 ? Gaussian.Ridge.ALWAYS : Gaussian.Ridge.WHEN_SINGULAR);
                assertThat(g).as("d %d seed %x model %d", d, seed, b).isNotNull();
                models.add(g);
            }
            final int n = 500;
            final double[] observations = new double[n * d];
            final int[] baselineOf = new int[n];
            for (int i = 0; i < n; i++) {
                baselineOf[i] = rng.nextInt(models.size());
                for (int j = 0; j < d; j++) {
                    // near each model's mean and far from it (scores from about 0 to 1e12)
                    observations[i * d + j] = models.get(baselineOf[i]).mean(j) + Math.pow(10, rng.nextDouble(-3, 6)) * rng.nextGaussian();
                }
            }
            final Baselines baselines = Gaussian.toBaselines(models);
            final double[] scores = new double[n];
            JAVA.score(baselines, observations, baselineOf, n, scores);

            for (int i = 0; i < n; i++) {
                final double[] x = java.util.Arrays.copyOfRange(observations, i * d, i * d + d);
                final double expected = models.get(baselineOf[i]).mahalanobis2(x);
                assertThat(Double.doubleToRawLongBits(scores[i])).as("d %d seed %x observation %d: %s vs %s", d, seed, i, scores[i], expected)
                    .isEqualTo(Double.doubleToRawLongBits(expected));
            }
        }
    }

    @Test
    void oneGaussiansBaselinesScoreAsItDoes() {
        final SplittableRandom rng = new SplittableRandom(7);
        final Gaussian g = Gaussian.fit(randomMoments(5, 300, rng, false), Gaussian.Ridge.WHEN_SINGULAR);
        final double[] x = {1, -2, 3e3, 0, 1e-9};
        final double[] out = new double[1];
        JAVA.score(g.toBaselines(), x, new int[] {0}, 1, out);
        assertThat(out[0]).isEqualTo(g.mahalanobis2(x));
        assertThat(g.toBaselines().count()).isEqualTo(1);
        assertThat(g.toBaselines().dimension()).isEqualTo(5);
    }

    @Test
    void gaussiansOfDifferentDimensionsAreNotOneBatch() {
        final SplittableRandom rng = new SplittableRandom(8);
        final Gaussian two = Gaussian.fit(randomMoments(2, 50, rng, false), Gaussian.Ridge.ALWAYS);
        final Gaussian three = Gaussian.fit(randomMoments(3, 50, rng, false), Gaussian.Ridge.ALWAYS);
        assertThatThrownBy(() -> Gaussian.toBaselines(List.of(two, three))).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("dimension 3");
        assertThatThrownBy(() -> Gaussian.toBaselines(List.of())).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void batchMergesAreTheBitsOfMergeInOrderEmptyPartsAndEmptyGroupsIncluded() {
        for (int d = 1; d <= DIMENSION_MAX; d++) {
            final long seed = 0x3e_0000L + d;
            final SplittableRandom rng = new SplittableRandom(seed);
            final int groups = 40;
            final List<List<Moments>> byGroup = new ArrayList<>();
            int partCount = 0;
            for (int g = 0; g < groups; g++) {
                final List<Moments> parts = new ArrayList<>();
                // group 0 has no parts, group 1 only empty ones; the rest a mix, some of one observation
                final int size = g == 0 ? 0 : 1 + rng.nextInt(9);
                for (int p = 0; p < size; p++) {
                    final int rows = g == 1 || rng.nextInt(4) == 0 ? 0 : rng.nextInt(3) == 0 ? 1 : 2 + rng.nextInt(60);
                    parts.add(randomMoments(d, rows, rng, rng.nextInt(5) == 0));
                }
                byGroup.add(parts);
                partCount += size;
            }
            final MomentsBatch parts = new MomentsBatch(d, partCount);
            final int[] ends = new int[groups];
            int next = 0;
            for (int g = 0; g < groups; g++) {
                for (final Moments m : byGroup.get(g)) {
                    m.copyTo(parts, next++);
                }
                ends[g] = next;
            }
            final MomentsBatch out = new MomentsBatch(d, groups);
            JAVA.merge(parts, ends, groups, out);

            for (int g = 0; g < groups; g++) {
                final Moments expected = Moments.mergeInOrder(d, byGroup.get(g));
                final Moments actual = new Moments(d);
                actual.copyFrom(out, g);
                assertThat(bytes(actual)).as("d %d seed %x group %d", d, seed, g).isEqualTo(bytes(expected));
            }
        }
    }

    @Test
    void copyToAndCopyFromKeepEveryFieldToTheBit() {
        final SplittableRandom rng = new SplittableRandom(11);
        final Moments m = randomMoments(4, 30, rng, false);
        final MomentsBatch batch = new MomentsBatch(4, 3);
        m.copyTo(batch, 2);
        assertThat(batch.counts()).containsExactly(0, 0, 30);
        final Moments back = new Moments(4);
        back.copyFrom(batch, 2);
        assertThat(bytes(back)).isEqualTo(bytes(m));
        // an untouched entry is empty statistics
        back.copyFrom(batch, 0);
        assertThat(bytes(back)).isEqualTo(bytes(new Moments(4)));
    }

    @Test
    void copyToAndCopyFromRefuseAnotherDimensionAnEntryOutOfRangeAndANegativeCount() {
        final Moments m = new Moments(3);
        assertThatThrownBy(() -> m.copyTo(new MomentsBatch(4, 1), 0)).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("dimension 4");
        assertThatThrownBy(() -> m.copyFrom(new MomentsBatch(2, 1), 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> m.copyTo(new MomentsBatch(3, 1), 1)).isInstanceOf(IndexOutOfBoundsException.class);
        final MomentsBatch negative = new MomentsBatch(3, 1);
        negative.counts()[0] = -1;
        assertThatThrownBy(() -> m.copyFrom(negative, 0)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("negative");
    }

    /**
     * Statistics of {@code rows} observations: correlated features, each with its own scale and an
     * offset up to 1e6 spreads away (so shifts matter); with {@code constantFeature} the last feature (of two or more) never varies.
     */
    static Moments randomMoments(final int d, final int rows, final SplittableRandom rng, final boolean constantFeature) {
        final double[] offset = new double[d];
        final double[] spread = new double[d];
        for (int j = 0; j < d; j++) {
            spread[j] = constantFeature && d > 1 && j == d - 1 ? 0 : Math.pow(10, rng.nextDouble(-3, 3));
            offset[j] = (rng.nextBoolean() ? 1 : -1) * Math.pow(10, rng.nextDouble(0, 6)) * Math.max(spread[j], 1);
        }
        final Moments m = new Moments(d);
        final double[] x = new double[d];
        for (int r = 0; r < rows; r++) {
            final double z0 = rng.nextGaussian();
            for (int j = 0; j < d; j++) {
                x[j] = offset[j] + spread[j] * (j == 0 ? z0 : rng.nextGaussian() + 0.5 * z0);
            }
            m.add(x);
        }
        return m;
    }

    /** Every field's bits: count, shift, mean relative to the shift, co-moments. */
    private static byte[] bytes(final Moments m) {
        final byte[] out = new byte[Moments.encodedLength(m.dimension())];
        m.writeTo(new UnsafeBuffer(out), 0);
        return out;
    }
}
