package dev.vigil.daemon.eval;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.util.Arrays;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * {@link Metrics} against their definitions computed the slow way, on small integer-valued
 * scores so that ties are common: ROC-AUC as the fraction of (anomaly, normal) pairs ranked
 * right, ties counting ½; average precision as Σ (R_n − R_n−1)·P_n with precision and recall
 * recounted from scratch at every distinct threshold. Agreement to 1e-12 (the sums differ only in
 * rounding order).
 */
class MetricsByDefinitionTest {

    @Provide
    Arbitrary<int[]> scores() {
        return Arbitraries.integers().between(0, 6).array(int[].class).ofMinSize(2).ofMaxSize(40);
    }

    @Provide
    Arbitrary<boolean[]> labels() {
        return Arbitraries.of(true, false).array(boolean[].class).ofMinSize(40).ofMaxSize(40);
    }

    @Property
    void rocAucIsTheFractionOfPairsRankedRight(@ForAll("scores") final int[] raw, @ForAll("labels") final boolean[] labels) {
        final double[] scores = Arrays.stream(raw).asDoubleStream().toArray();
        final boolean[] anomaly = Arrays.copyOf(labels, scores.length);
        Assume.that(count(anomaly, true) > 0 && count(anomaly, false) > 0);

        double right = 0;
        for (int i = 0; i < scores.length; i++) {
            for (int j = 0; j < scores.length; j++) {
                if (anomaly[i] && !anomaly[j]) {
                    right += scores[i] > scores[j] ? 1 : scores[i] == scores[j] ? 0.5 : 0;
                }
            }
        }
        final double expected = right / (count(anomaly, true) * (double) count(anomaly, false));

        assertThat(Metrics.rocAuc(scores, anomaly)).isCloseTo(expected, within(1e-12));
    }

    @Property
    void averagePrecisionIsTheStepSumOverThresholds(@ForAll("scores") final int[] raw, @ForAll("labels") final boolean[] labels) {
        final double[] scores = Arrays.stream(raw).asDoubleStream().toArray();
        final boolean[] anomaly = Arrays.copyOf(labels, scores.length);
        final int positives = count(anomaly, true);
        Assume.that(positives > 0);

        double expected = 0;
        double recallBefore = 0;
        final TreeSet<Double> thresholds = new TreeSet<>();
        for (final double s : scores) {
            thresholds.add(s);
        }
        for (final double t : thresholds.descendingSet()) {
            int truePositives = 0;
            int flagged = 0;
            for (int i = 0; i < scores.length; i++) {
                if (scores[i] >= t) {
                    flagged++;
                    truePositives += anomaly[i] ? 1 : 0;
                }
            }
            final double recall = truePositives / (double) positives;
            expected += (recall - recallBefore) * truePositives / flagged;
            recallBefore = recall;
        }

        assertThat(Metrics.averagePrecision(scores, anomaly)).isCloseTo(expected, within(1e-12));
    }

    private static int count(final boolean[] values, final boolean wanted) {
        int n = 0;
        for (final boolean v : values) {
            n += v == wanted ? 1 : 0;
        }
        return n;
    }
}
