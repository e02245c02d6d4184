package dev.vigil.accel;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What every {@link Kernels} backend must do, bit for bit. A backend's test is a one-line
 * subclass ({@link JavaKernelsTest}); the OpenCL backend will add its own.
 */
abstract class KernelsContract {
    private static final CombineRule F1 = new CombineRule(10, 1, 0);

    abstract Kernels kernels();

    private Combination combine(final CombineRule rule, final double... totals) {
        return kernels().combine(totals, totals.length, rule);
    }

    @Test
    void sumsARangeExactly() {
        final double[] xs = Increments.mixed(11, 50_000, true);
        final ExactSum viaKernels = new ExactSum();
        viaKernels.add(0.25);
        kernels().sum(xs, 100, 40_000, viaKernels);
        final ExactSum direct = new ExactSum();
        direct.add(0.25);
        direct.add(Arrays.copyOfRange(xs, 100, 40_100));
        assertThat(viaKernels.toBytes()).isEqualTo(direct.toBytes());
        final double[] withInfinity = {1, 2, Double.POSITIVE_INFINITY};
        assertThatThrownBy(() -> kernels().sum(withInfinity, 0, 3, viaKernels)).isInstanceOf(IllegalArgumentException.class);
        assertThat(viaKernels.toBytes()).isEqualTo(direct.toBytes());
    }

    @Test
    void clipsEachObserverIncludingInfiniteTotals() {
        final Combination c = combine(new CombineRule(10, 0, 0), 100, -3, 4, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY);
        assertThat(c.logOdds()).isEqualTo(10 - 3 + 4 + 10 - 10);
        assertThat(c.quorum()).isTrue();
        assertThat(c.kept()).containsExactly(0, 1, 2, 3, 4);
    }

    @Test
    void trimsTheFLowestAndFHighestWithAQuorum() {
        final Combination c = combine(F1, 5, -7, 1, 2, 9);
        assertThat(c.quorum()).isTrue();
        assertThat(c.trimmedLow()).containsExactly(1);
        assertThat(c.trimmedHigh()).containsExactly(4);
        assertThat(c.kept()).containsExactly(0, 2, 3);
        assertThat(c.logOdds()).isEqualTo(8.0);
        assertThat(c.observers()).isEqualTo(5);

        final Combination f2 = combine(new CombineRule(10, 2, 0), 5, -7, 1, 2, 9, 3);
        assertThat(f2.trimmedLow()).containsExactly(1, 2);
        assertThat(f2.trimmedHigh()).containsExactly(0, 4);
        assertThat(f2.kept()).containsExactly(3, 5);
        assertThat(f2.logOdds()).isEqualTo(5.0);
    }

    @Test
    void exactlyTwoFPlusOneObserversKeepTheMedian() {
        final Combination c = combine(F1, 9, -9, 0.5);
        assertThat(c.quorum()).isTrue();
        assertThat(c.kept()).containsExactly(2);
        assertThat(c.logOdds()).isEqualTo(0.5);
    }

    @Test
    void withoutAQuorumNothingIsTrimmedAndTheResultSaysSo() {
        final Combination two = combine(F1, 9, -2);
        assertThat(two.quorum()).isFalse();
        assertThat(two.trimmedLow()).isEmpty();
        assertThat(two.trimmedHigh()).isEmpty();
        assertThat(two.kept()).containsExactly(0, 1);
        assertThat(two.logOdds()).isEqualTo(7.0);

        final Combination none = combine(new CombineRule(10, 0, -4.5));
        assertThat(none.quorum()).isFalse();
        assertThat(none.kept()).isEmpty();
        assertThat(none.logOdds()).isEqualTo(-4.5);
        assertThat(combine(new CombineRule(10, 0, 0), 1.0).quorum()).isTrue();
    }

    @Test
    void tiesAreBrokenByIndexLowerFirst() {
        final Combination c = combine(F1, 4, 1, 4, 1, 2);
        assertThat(c.trimmedLow()).containsExactly(1);
        assertThat(c.trimmedHigh()).containsExactly(2);
        assertThat(c.kept()).containsExactly(0, 3, 4);

        // three observers clipped to the same +10: the last index is the one trimmed
        final Combination clipped = combine(F1, 50, 20, 30, -1);
        assertThat(clipped.trimmedLow()).containsExactly(3);
        assertThat(clipped.trimmedHigh()).containsExactly(2);
        assertThat(clipped.kept()).containsExactly(0, 1);
        assertThat(clipped.logOdds()).isEqualTo(20.0);

        // -0.0 and 0.0 tie
        final Combination zeros = combine(F1, 0.0, -0.0, 0.0);
        assertThat(zeros.trimmedLow()).containsExactly(0);
        assertThat(zeros.kept()).containsExactly(1);
        assertThat(zeros.trimmedHigh()).containsExactly(2);
    }

    @Test
    void addsThePriorAndSumsExactly() {
        final Combination c = combine(new CombineRule(1e17, 0, -2.0), 1e16, 1.0, -1e16);
        assertThat(c.logOdds()).isEqualTo(-1.0); // a left-to-right double sum gives -2
        assertThat(c.posterior()).isEqualTo(Sigmoid.of(-1.0));
        assertThat(combine(new CombineRule(10, 0, 3.0), 0.0).posterior()).isEqualTo(Sigmoid.of(3.0));
    }

    @Test
    void extremeLogOddsGiveZeroOrOneAndNeverNaN() {
        final CombineRule wide = new CombineRule(Double.MAX_VALUE, 0, 0);
        final Combination up = combine(wide, Double.MAX_VALUE, Double.MAX_VALUE);
        assertThat(up.logOdds()).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(up.posterior()).isEqualTo(1.0);
        final Combination down = combine(wide, -Double.MAX_VALUE, -Double.MAX_VALUE, Double.NEGATIVE_INFINITY);
        assertThat(down.logOdds()).isEqualTo(Double.NEGATIVE_INFINITY);
        assertThat(down.posterior()).isEqualTo(0.0);
        final Combination back = combine(wide, Double.MAX_VALUE, Double.MAX_VALUE, -Double.MAX_VALUE, Double.NEGATIVE_INFINITY);
        assertThat(back.logOdds()).isEqualTo(0.0);
        assertThat(back.posterior()).isEqualTo(0.5);
        assertThat(combine(new CombineRule(500, 0, 0), 500, 500).posterior()).isEqualTo(1.0);
        assertThat(combine(new CombineRule(500, 0, 0), -500, -500).posterior()).isEqualTo(0.0);
        assertThat(combine(new CombineRule(500, 0, 0), -500, -200).posterior()).isEqualTo(StrictMath.exp(-700));
    }

    @Test
    void refusesNaNAndBadCounts() {
        assertThatThrownBy(() -> combine(F1, 1, Double.NaN, 2)).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("observer 1").hasMessageContaining("NaN");
        assertThatThrownBy(() -> kernels().combine(new double[3], 4, F1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> kernels().combine(new double[3], -1, F1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> kernels().combine(new double[Kernels.OBSERVERS_MAX + 1], Kernels.OBSERVERS_MAX + 1, F1))
            .isInstanceOf(IllegalArgumentException.class);
        assertThat(kernels().combine(new double[Kernels.OBSERVERS_MAX], Kernels.OBSERVERS_MAX, F1).kept())
            .hasSize(Kernels.OBSERVERS_MAX - 2);
        // only the first `observers` totals count
        assertThat(kernels().combine(new double[] {1, 2, Double.NaN}, 2, new CombineRule(10, 0, 0)).logOdds()).isEqualTo(3.0);
    }

    @Test
    void rulesRefuseNonsense() {
        for (final double clip : new double[] {0, -1, Double.NaN, Double.POSITIVE_INFINITY}) {
            assertThatThrownBy(() -> new CombineRule(clip, 1, 0)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("clip");
        }
        assertThatThrownBy(() -> new CombineRule(1, -1, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new CombineRule(1, Kernels.OBSERVERS_MAX / 2 + 1, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new CombineRule(1, 1, Double.NaN)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new CombineRule(1, 1, Double.NEGATIVE_INFINITY)).isInstanceOf(IllegalArgumentException.class);
    }

    @Provide
    Arbitrary<double[]> totals() {
        // few distinct values, so ties are common; some beyond the clip, some infinite
        final Arbitrary<Double> total = Arbitraries.frequencyOf(
            net.jqwik.api.Tuple.of(3, Arbitraries.of(-3.0, -1.0, 0.0, -0.0, 0.5, 2.0, 7.0)),
            net.jqwik.api.Tuple.of(3, Arbitraries.doubles().between(-40, 40)),
            net.jqwik.api.Tuple.of(1, Arbitraries.of(1e-300, -1e300, 1e300, Double.MIN_VALUE,
                Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY)));
        return total.list().ofMaxSize(40).map(l -> l.stream().mapToDouble(Double::doubleValue).toArray());
    }

    @Property
    void permutingTheObserversChangesNoBitOfTheResult(@ForAll("totals") final double[] totals, @ForAll final long seed,
                                                     @ForAll @IntRange(max = 4) final int f,
                                                     @ForAll("clips") final double clip, @ForAll("priors") final double prior) {
        final CombineRule rule = new CombineRule(clip, f, prior);
        final Combination c = kernels().combine(totals, totals.length, rule);
        final double[] permuted = Increments.shuffled(totals, seed);
        final Combination p = kernels().combine(permuted, permuted.length, rule);
        assertThat(Double.doubleToRawLongBits(p.logOdds())).isEqualTo(Double.doubleToRawLongBits(c.logOdds()));
        assertThat(Double.doubleToRawLongBits(p.posterior())).isEqualTo(Double.doubleToRawLongBits(c.posterior()));
        assertThat(p.quorum()).isEqualTo(c.quorum());
        assertThat(sortedClipped(permuted, p.kept(), clip)).isEqualTo(sortedClipped(totals, c.kept(), clip));
        assertThat(p.trimmedLow()).hasSameSizeAs(c.trimmedLow());
    }

    @Property
    void theResultIsTheExactSumOfTheMiddleOfTheClippedTotals(@ForAll("totals") final double[] totals,
                                                            @ForAll @IntRange(max = 4) final int f,
                                                            @ForAll("clips") final double clip, @ForAll("priors") final double prior) {
        final Combination c = kernels().combine(totals, totals.length, new CombineRule(clip, f, prior));
        final double[] clipped = Arrays.stream(totals).map(t -> Math.max(-clip, Math.min(clip, t))).sorted().toArray();
        final int trim = totals.length >= 2 * f + 1 ? f : 0;
        assertThat(c.quorum()).isEqualTo(totals.length >= 2 * f + 1);
        final double[] middle = Arrays.copyOfRange(clipped, trim, clipped.length - trim);
        final double[] withPrior = Arrays.copyOf(middle, middle.length + 1);
        withPrior[middle.length] = prior;
        assertThat(c.logOdds()).isEqualTo(Reference.roundedSum(withPrior));
        assertThat(c.posterior()).isEqualTo(Sigmoid.of(c.logOdds())).isBetween(0.0, 1.0);
        // every trimmed-low total ≤ every kept one ≤ every trimmed-high one
        final double keptMin = c.kept().stream().mapToDouble(i -> clip(totals[i], clip)).min().orElse(Double.NaN);
        final double keptMax = c.kept().stream().mapToDouble(i -> clip(totals[i], clip)).max().orElse(Double.NaN);
        c.trimmedLow().forEach(i -> assertThat(clip(totals[i], clip)).isLessThanOrEqualTo(keptMin));
        c.trimmedHigh().forEach(i -> assertThat(clip(totals[i], clip)).isGreaterThanOrEqualTo(keptMax));
        final List<Integer> all = new ArrayList<>(c.kept());
        all.addAll(c.trimmedLow());
        all.addAll(c.trimmedHigh());
        assertThat(all).containsExactlyInAnyOrderElementsOf(java.util.stream.IntStream.range(0, totals.length).boxed().toList());
    }

    @Property(tries = 200)
    void sumsAnyRangeLikeExactSum(@ForAll final long seed, @ForAll @IntRange(max = 20_000) final int n,
                                  @ForAll @Size(max = 2) final List<@IntRange(max = 20_000) Integer> cut) {
        final double[] xs = Increments.mixed(seed, n, new SplittableRandom(seed).nextBoolean());
        final int from = cut.isEmpty() ? 0 : Math.min(cut.get(0), n);
        final int to = cut.size() < 2 ? n : Math.max(from, Math.min(cut.get(1), n));
        final ExactSum viaKernels = new ExactSum();
        kernels().sum(xs, from, to - from, viaKernels);
        final ExactSum direct = new ExactSum();
        for (int i = from; i < to; i++) {
            direct.add(xs[i]);
        }
        assertThat(viaKernels.toBytes()).isEqualTo(direct.toBytes());
    }

    @Property(tries = 100)
    void sumsEachSegmentLikeExactSum(@ForAll final long seed, @ForAll @Size(max = 30) final List<@IntRange(max = 3_000) Integer> lengths) {
        final int total = lengths.stream().mapToInt(Integer::intValue).sum();
        final double[] xs = Increments.mixed(seed, total, new SplittableRandom(seed).nextBoolean());
        final int[] ends = new int[lengths.size()];
        final ExactSum[] into = new ExactSum[lengths.size()];
        final ExactSum[] direct = new ExactSum[lengths.size()];
        int at = 0;
        for (int s = 0; s < ends.length; s++) {
            into[s] = new ExactSum();
            into[s].add(s); // a starting value, kept
            direct[s] = into[s].copy();
            for (int i = at; i < at + lengths.get(s); i++) {
                direct[s].add(xs[i]);
            }
            at += lengths.get(s);
            ends[s] = at;
        }
        kernels().sum(xs, ends, into);
        for (int s = 0; s < ends.length; s++) {
            assertThat(into[s].toBytes()).as("segment %d", s).isEqualTo(direct[s].toBytes());
        }
    }

    @Test
    void aRefusedIncrementChangesNoSegment() {
        final double[] xs = Increments.mixed(5, 20_000, false);
        xs[15_432] = Double.NaN;
        final ExactSum[] into = {new ExactSum(), new ExactSum(), new ExactSum()};
        into[0].add(1.5);
        final byte[][] before = {into[0].toBytes(), into[1].toBytes(), into[2].toBytes()};
        assertThatThrownBy(() -> kernels().sum(xs, new int[] {10_000, 15_000, 20_000}, into))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("NaN").hasMessageContaining("15432");
        for (int s = 0; s < 3; s++) {
            assertThat(into[s].toBytes()).isEqualTo(before[s]);
        }
        assertThatThrownBy(() -> kernels().sum(xs, new int[] {10, 5}, new ExactSum[] {new ExactSum(), new ExactSum()}))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ends[1]");
        assertThatThrownBy(() -> kernels().sum(xs, new int[] {10}, new ExactSum[0]))
            .isInstanceOf(IllegalArgumentException.class);
    }

    @Property(tries = 60)
    void scoresLikeTheTextbookSolve(@ForAll final long seed, @ForAll @IntRange(min = 1, max = 16) final int d,
                                    @ForAll @IntRange(max = 3_000) final int n) {
        final SplittableRandom random = new SplittableRandom(seed);
        final Baselines baselines = ModelReference.baselines(random, d, 1 + n / 50);
        final double[] observations = new double[n * d];
        final int[] baselineOf = new int[n];
        for (int i = 0; i < n; i++) {
            baselineOf[i] = random.nextInt(baselines.count());
            for (int j = 0; j < d; j++) {
                observations[i * d + j] = baselines.means()[baselineOf[i] * d + j] + random.nextGaussian() * Math.scalb(1.0, random.nextInt(-2, 4));
            }
        }
        final double[] out = new double[n + 3];
        out[n] = 42; // beyond n: untouched
        kernels().score(baselines, observations, baselineOf, n, out);
        assertThat(out[n]).isEqualTo(42);
        for (int i = 0; i < n; i++) {
            final double[] x = Arrays.copyOfRange(observations, i * d, i * d + d);
            final double expected = ModelReference.mahalanobis2(x, ModelReference.mean(baselines, baselineOf[i]),
                ModelReference.lower(baselines, baselineOf[i]));
            assertRelative(out[i], expected, 1e-12, "observation " + i);
            if (i % 97 == 0) { // an independent route through Σ: only to a looser tolerance
                assertRelative(out[i], ModelReference.viaCovariance(x, ModelReference.mean(baselines, baselineOf[i]),
                    ModelReference.lower(baselines, baselineOf[i])), 1e-7, "observation " + i + " via Σ");
            }
        }
    }

    @Test
    void scoresAtTheLargestDimension() {
        final SplittableRandom random = new SplittableRandom(64);
        final int d = Baselines.DIMENSION_MAX;
        final Baselines baselines = ModelReference.baselines(random, d, 3);
        final double[] observations = new double[5 * d];
        Arrays.setAll(observations, i -> random.nextGaussian() * 3);
        final int[] baselineOf = {2, 0, 1, 2, 0};
        final double[] out = new double[5];
        kernels().score(baselines, observations, baselineOf, 5, out);
        for (int i = 0; i < 5; i++) {
            final double[] x = Arrays.copyOfRange(observations, i * d, i * d + d);
            assertRelative(out[i], ModelReference.mahalanobis2(x, ModelReference.mean(baselines, baselineOf[i]),
                ModelReference.lower(baselines, baselineOf[i])), 1e-12, "observation " + i);
        }
        assertThatThrownBy(() -> kernels().score(baselines, observations, new int[] {0, 3, 0, 0, 0}, 5, out))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("baselineOf[1]");
        assertThatThrownBy(() -> kernels().score(baselines, observations, baselineOf, 6, new double[6]))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("n = 6");
        assertThatThrownBy(() -> new Baselines(d, 2, new double[2 * d], new double[5]))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("lowers");
    }

    @Property(tries = 60)
    void mergesEachGroupLikeChanInItsOrder(@ForAll final long seed, @ForAll @IntRange(min = 1, max = 10) final int d,
                                           @ForAll @IntRange(max = 40) final int groups) {
        final SplittableRandom random = new SplittableRandom(seed);
        final int[] groupEnds = new int[groups];
        final List<ModelReference.Stats> parts = new ArrayList<>();
        final List<ModelReference.Stats> merged = new ArrayList<>();
        final List<ModelReference.Stats> raw = new ArrayList<>();
        for (int g = 0; g < groups; g++) {
            final ModelReference.Stats m = new ModelReference.Stats(d);
            final ModelReference.Stats all = new ModelReference.Stats(d);
            final double centre = random.nextGaussian() * Math.scalb(1.0, random.nextInt(0, 20));
            final int count = random.nextInt(13);
            for (int p = 0; p < count; p++) {
                final ModelReference.Stats part = new ModelReference.Stats(d);
                final int observations = random.nextInt(4) == 0 ? 0 : 1 + random.nextInt(30);
                for (int o = 0; o < observations; o++) {
                    final double[] x = new double[d];
                    for (int j = 0; j < d; j++) {
                        x[j] = centre + random.nextGaussian() * (1 + j);
                    }
                    part.add(x);
                    all.add(x);
                }
                parts.add(part);
                m.merge(part);
            }
            merged.add(m);
            raw.add(all);
            groupEnds[g] = parts.size();
        }
        final MomentsBatch in = new MomentsBatch(d, parts.size());
        for (int e = 0; e < parts.size(); e++) {
            parts.get(e).copyTo(in, e);
        }
        final MomentsBatch out = new MomentsBatch(d, groups + 1);
        Arrays.fill(out.comoments(), 7.0); // stale values: a merge overwrites its entries
        out.counts()[groups] = 99;
        kernels().merge(in, groupEnds, groups, out);
        assertThat(out.counts()[groups]).isEqualTo(99);
        for (int g = 0; g < groups; g++) {
            final MomentsBatch expected = new MomentsBatch(d, 1);
            merged.get(g).copyTo(expected, 0);
            assertThat(out.counts()[g]).as("group %d count", g).isEqualTo(raw.get(g).count).isEqualTo(expected.counts()[0]);
            assertClose(Arrays.copyOfRange(out.shifts(), g * d, g * d + d), expected.shifts(), 1e-12, "group " + g + " shift");
            assertClose(Arrays.copyOfRange(out.means(), g * d, g * d + d), expected.means(), 1e-12, "group " + g + " mean");
            final int t = Baselines.packedLength(d);
            final double[] comoments = Arrays.copyOfRange(out.comoments(), g * t, g * t + t);
            assertClose(comoments, expected.comoments(), 1e-12, "group " + g + " co-moments");
            // and, independently, the statistics of the group's raw observations, to rounding
            final MomentsBatch direct = new MomentsBatch(d, 1);
            raw.get(g).copyTo(direct, 0);
            assertClose(comoments, direct.comoments(), 1e-8, "group " + g + " co-moments against the raw observations");
        }
    }

    @Test
    void groupsWithoutPartsAreEmptyEvenPastTheLastPart() {
        final MomentsBatch none = new MomentsBatch(3, 0);
        final MomentsBatch out = new MomentsBatch(3, 2);
        Arrays.fill(out.means(), 5.0);
        out.counts()[1] = 4;
        kernels().merge(none, new int[] {0, 0}, 2, out);
        assertThat(out.counts()).containsExactly(0, 0);
        assertThat(out.means()).containsOnly(0.0);
        final MomentsBatch one = new MomentsBatch(2, 1);
        one.counts()[0] = 3;
        one.means()[1] = 1.5;
        final MomentsBatch two = new MomentsBatch(2, 3);
        kernels().merge(one, new int[] {1, 1, 1}, 3, two);
        assertThat(two.counts()).containsExactly(3, 0, 0);
        assertThat(two.means()).containsExactly(0, 1.5, 0, 0, 0, 0);
    }

    @Test
    void refusesMergesThatDoNotFit() {
        final MomentsBatch parts = new MomentsBatch(3, 4);
        assertThatThrownBy(() -> kernels().merge(parts, new int[] {2, 1}, 2, new MomentsBatch(3, 2)))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("groupEnds[1]");
        assertThatThrownBy(() -> kernels().merge(parts, new int[] {5}, 1, new MomentsBatch(3, 1)))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("groupEnds[0]");
        assertThatThrownBy(() -> kernels().merge(parts, new int[] {4}, 1, new MomentsBatch(2, 1)))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("dimension");
        parts.counts()[2] = -1;
        assertThatThrownBy(() -> kernels().merge(parts, new int[] {4}, 1, new MomentsBatch(3, 1)))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("counts[2]");
    }

    static void assertRelative(final double actual, final double expected, final double tolerance, final String what) {
        assertThat(Math.abs(actual - expected)).as(what + ": " + actual + " vs " + expected)
            .isLessThanOrEqualTo(tolerance * Math.abs(expected));
    }

    /** Within tolerance relative to the largest magnitude of the expected vector (cancelled entries can be near 0). */
    static void assertClose(final double[] actual, final double[] expected, final double tolerance, final String what) {
        double scale = 0;
        for (final double v : expected) {
            scale = Math.max(scale, Math.abs(v));
        }
        assertThat(actual).hasSameSizeAs(expected);
        for (int i = 0; i < expected.length; i++) {
            assertThat(Math.abs(actual[i] - expected[i])).as(what + " [" + i + "]: " + actual[i] + " vs " + expected[i])
                .isLessThanOrEqualTo(tolerance * scale);
        }
    }

    @Provide
    Arbitrary<Double> clips() {
        return Arbitraries.of(0.5, 5.0, 10.0, 1e300, Double.MAX_VALUE);
    }

    @Provide
    Arbitrary<Double> priors() {
        return Arbitraries.of(0.0, -4.6, 2.0, -1e300);
    }

    private static double clip(final double total, final double clip) {
        return Math.max(-clip, Math.min(clip, total)) + 0.0;
    }

    private static List<Double> sortedClipped(final double[] totals, final List<Integer> indices, final double clip) {
        return indices.stream().map(i -> clip(totals[i], clip)).sorted().toList();
    }
}
