package dev.vigil.daemon.consensus.evidence;

import dev.vigil.accel.Baselines;
import dev.vigil.accel.Combination;
import dev.vigil.accel.CombineRule;
import dev.vigil.accel.ExactSum;
import dev.vigil.accel.JavaKernels;
import dev.vigil.accel.Kernels;
import dev.vigil.accel.MomentsBatch;
import dev.vigil.daemon.consensus.Request;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An evidence request's increments go to the kernels as one segmented sum, in bounded calls, and
 * the totals are those of adding every record as it is taken.
 */
class PendingIncrementsTest {
    private static final double PRIOR = StrictMath.log(1e-4 / (1 - 1e-4));
    private static final long OBSERVER = 0x2222L;

    @Test
    void anEvidenceRequestAddsAllItsRecordsInOneSegmentedSumAndANewExcursionStillStartsAgain() {
        final Recording kernels = new Recording();
        final EvidenceState s = new EvidenceState(EvidenceState.Config.defaults(1), kernels);
        final List<EvidenceBatch.Record> records = List.of(
            new EvidenceBatch.Record(1, "a", 1, new double[] {1.0, 2.0}),
            new EvidenceBatch.Record(2, "b", 1, new double[] {1e-3, -2e-3}),
            new EvidenceBatch.Record(3, "a", 1, new double[] {3.0}),
            // a newer excursion of a: its total starts again within the same request
            new EvidenceBatch.Record(4, "a", 2, new double[] {10.0}),
            new EvidenceBatch.Record(5, "c", 1, new double[0]),
            new EvidenceBatch.Record(6, "a", 2, new double[] {0.5}),
            // a closed excursion of a: ignored
            new EvidenceBatch.Record(7, "a", 1, new double[] {100.0}));

        final byte[] result = s.apply(1, List.of(new Request(7, OBSERVER, 1, new EvidenceBatch(0, records).encode(), new byte[64]))).get(0);

        assertThat(EvidenceResult.decode(result).applied()).isEqualTo(6);
        assertThat(kernels.segmentedCalls).isEqualTo(1);
        assertThat(kernels.singleCalls).isZero();
        assertThat(kernels.segments).as("one segment per record with increments that was taken").isEqualTo(5);
        assertThat(s.combination("a").logOdds()).isEqualTo(10.5 + PRIOR);
        final ExactSum b = new ExactSum();
        b.add(1e-3);
        b.add(-2e-3);
        assertThat(s.combination("b").logOdds()).isEqualTo(b.value() + PRIOR);
        assertThat(s.combination("c").logOdds()).isEqualTo(PRIOR);
    }

    @Test
    void moreIncrementsThanTheBoundGoInSeveralCallsNoneAboveItAndTheTotalsAreExact() {
        final Recording kernels = new Recording();
        final PendingIncrements pending = new PendingIncrements(kernels);
        final ExactSum[] totals = {new ExactSum(), new ExactSum(), new ExactSum()};
        final ExactSum[] expected = {new ExactSum(), new ExactSum(), new ExactSum()};
        final SplittableRandom rng = new SplittableRandom(5);
        for (int r = 0; r < 300; r++) {
            final double[] xs = new double[EvidenceBatch.INCREMENTS_MAX];
            for (int i = 0; i < xs.length; i++) {
                xs[i] = rng.nextGaussian() * Math.pow(10, rng.nextInt(-8, 8));
            }
            final int t = r % totals.length;
            pending.add(new EvidenceBatch.Record(r + 1, "a", 1, xs), totals[t]);
            expected[t].add(xs, 0, xs.length);
            assertThat(pending.waiting()).isLessThanOrEqualTo(PendingIncrements.INCREMENTS_MAX);
        }
        pending.flush();

        assertThat(pending.waiting()).isZero();
        assertThat(kernels.segmentedCalls).isEqualTo((300 * EvidenceBatch.INCREMENTS_MAX + PendingIncrements.INCREMENTS_MAX - 1)
            / PendingIncrements.INCREMENTS_MAX);
        assertThat(kernels.largestCall).isLessThanOrEqualTo(PendingIncrements.INCREMENTS_MAX);
        for (int t = 0; t < totals.length; t++) {
            assertThat(totals[t].toBytes()).as("total %d", t).isEqualTo(expected[t].toBytes());
        }
        pending.flush();
        assertThat(kernels.segmentedCalls).as("nothing waiting: no call").isEqualTo(2);
    }

    /** Java's kernels, counting the sums asked of them. */
    private static final class Recording implements Kernels {
        int segmentedCalls;
        int singleCalls;
        int segments;
        int largestCall;

        @Override
        public String name() {
            return "recording";
        }

        @Override
        public void sum(final double[] increments, final int off, final int len, final ExactSum into) {
            singleCalls++;
            JavaKernels.INSTANCE.sum(increments, off, len, into);
        }

        @Override
        public void sum(final double[] increments, final int[] ends, final ExactSum[] into) {
            segmentedCalls++;
            segments += ends.length;
            largestCall = Math.max(largestCall, ends.length == 0 ? 0 : ends[ends.length - 1]);
            JavaKernels.INSTANCE.sum(increments, ends, into);
        }

        @Override
        public void score(final Baselines baselines, final double[] observations, final int[] baselineOf, final int n, final double[] out) {
            JavaKernels.INSTANCE.score(baselines, observations, baselineOf, n, out);
        }

        @Override
        public void merge(final MomentsBatch parts, final int[] groupEnds, final int groups, final MomentsBatch out) {
            JavaKernels.INSTANCE.merge(parts, groupEnds, groups, out);
        }

        @Override
        public Combination combine(final double[] totals, final int observers, final CombineRule rule) {
            return JavaKernels.INSTANCE.combine(totals, observers, rule);
        }
    }
}
