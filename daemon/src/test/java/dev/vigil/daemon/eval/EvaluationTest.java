package dev.vigil.daemon.eval;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** Batch and stream evaluation on generated data: what order means, and when there is nothing to measure. */
class EvaluationTest {

    @Test
    void warmupIsAHundredRowsOrTenPerFeature() {
        assertThat(Evaluation.warmupRows(1)).isEqualTo(100);
        assertThat(Evaluation.warmupRows(10)).isEqualTo(100);
        assertThat(Evaluation.warmupRows(21)).isEqualTo(210);
    }

    @Test
    void streamingInAGivenOrderIsStreamingTheRowsWrittenInThatOrder() {
        final LabelledCsv data = generated(300, 3, 1);
        final int[] order = shuffled(data.rows(), 2);
        final double[][] reordered = new double[data.rows()][];
        final boolean[] labels = new boolean[data.rows()];
        for (int t = 0; t < order.length; t++) {
            reordered[t] = data.row(order[t]);
            labels[t] = data.anomaly(order[t]);
        }
        final LabelledCsv rewritten = LabelledCsv.of("reordered", reordered, labels);

        final Evaluation.Result viaOrder = Evaluation.stream(data, order);
        final Evaluation.Result viaFile = Evaluation.stream(rewritten, RowOrder.fileOrder(data.rows()));

        assertThat(viaOrder).isEqualTo(viaFile);
        assertThat(viaOrder.scoredRows()).isEqualTo(200);
        assertThat(viaOrder.ridged()).isTrue();
    }

    @Test
    void batchOrderChangesOnlyRounding() {
        final LabelledCsv data = generated(300, 3, 3);

        final Evaluation.Result fileOrder = Evaluation.batch(data, RowOrder.fileOrder(data.rows()));
        final Evaluation.Result shuffled = Evaluation.batch(data, shuffled(data.rows(), 4));

        assertThat(shuffled.rocAuc()).isCloseTo(fileOrder.rocAuc(), within(1e-12));
        assertThat(shuffled.averagePrecision()).isCloseTo(fileOrder.averagePrecision(), within(1e-12));
        assertThat(fileOrder.scoredRows()).isEqualTo(300);
        assertThat(fileOrder.ridged()).isFalse();
    }

    @Test
    void batchScoresAreTheBitsOfMahalanobis2InOneKernelCallOrInMany() {
        final LabelledCsv data = generated(300, 3, 6);
        final dev.vigil.daemon.stats.Moments moments = new dev.vigil.daemon.stats.Moments(3);
        for (int i = 0; i < data.rows(); i++) {
            moments.add(data.row(i));
        }
        final dev.vigil.daemon.stats.Gaussian model = dev.vigil.daemon.stats.Gaussian.fit(moments,
            dev.vigil.daemon.stats.Gaussian.Ridge.WHEN_SINGULAR);
        // one call; seven rows a call (the last call takes six); one row a call
        for (final int bytesPerCall : new int[] {Evaluation.SCORE_BATCH_BYTES_MAX, 7 * 3 * Double.BYTES, 1}) {
            final double[] scores = Evaluation.score(model, data, dev.vigil.accel.JavaKernels.INSTANCE, bytesPerCall);
            assertThat(scores).hasSize(data.rows());
            for (int i = 0; i < data.rows(); i++) {
                assertThat(Double.doubleToRawLongBits(scores[i])).as("%d bytes a call, row %d", bytesPerCall, i)
                    .isEqualTo(Double.doubleToRawLongBits(model.mahalanobis2(data.row(i))));
            }
        }
    }

    @Test
    void anomaliesFarFromTheBulkRankFirst() {
        final LabelledCsv data = generated(400, 2, 5);

        assertThat(Evaluation.batch(data, RowOrder.fileOrder(data.rows())).rocAuc()).isGreaterThan(0.95);
    }

    @Test
    void streamNeedsMoreRowsThanTheWarmup() {
        final LabelledCsv data = generated(100, 2, 6);

        assertThatThrownBy(() -> Evaluation.stream(data, RowOrder.fileOrder(100))).isInstanceOf(EvalInputException.class)
            .hasMessage("generated: stream mode scores the rows after the first 100 (max(100, 10 per feature)), but there are only 100 rows");
    }

    @Test
    void scoredRowsWithOneLabelOnlyHaveNoAuc() {
        final double[][] rows = new double[150][];
        final boolean[] anomaly = new boolean[150];
        final Random random = new Random(7);
        for (int i = 0; i < rows.length; i++) {
            rows[i] = new double[] {random.nextGaussian()};
            anomaly[i] = i < 10; // every anomaly within the warmup
        }
        final LabelledCsv data = LabelledCsv.of("early.csv", rows, anomaly);

        assertThatThrownBy(() -> Evaluation.stream(data, RowOrder.fileOrder(150)))
            .hasMessage("early.csv: the 50 scored rows (after the first 100) are all labelled 0 (normal); ROC-AUC needs both labels");
    }

    @Test
    void constantDataCannotBeFitted() {
        final double[][] rows = {{1, 2}, {1, 2}, {1, 2}};
        final LabelledCsv data = LabelledCsv.of("flat.csv", rows, new boolean[] {false, true, false});

        assertThatThrownBy(() -> Evaluation.batch(data, RowOrder.fileOrder(3)))
            .hasMessage("flat.csv: cannot fit a Gaussian: the covariance is zero (every feature constant) or not finite");
    }

    @Test
    void streamingConstantRowsCannotBeScored() {
        final double[][] rows = new double[120][];
        final boolean[] anomaly = new boolean[120];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = new double[] {3, 4};
            anomaly[i] = i % 2 == 0;
        }
        final LabelledCsv data = LabelledCsv.of("flat.csv", rows, anomaly);

        assertThatThrownBy(() -> Evaluation.stream(data, RowOrder.fileOrder(120)))
            .hasMessage("flat.csv: line 102 (row 100): cannot score it: the covariance of the 100 rows before it is zero (every feature constant) or not finite");
    }

    @Test
    void anOrderThatIsNotAPermutationIsAProgrammingError() {
        final LabelledCsv data = generated(150, 1, 8);

        assertThatThrownBy(() -> Evaluation.batch(data, new int[150])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Evaluation.stream(data, new int[3])).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void modesParseInAnyCase() {
        assertThat(Evaluation.Mode.parse("Batch")).isEqualTo(Evaluation.Mode.BATCH);
        assertThat(Evaluation.Mode.parse("stream")).isEqualTo(Evaluation.Mode.STREAM);
        assertThatThrownBy(() -> Evaluation.Mode.parse("online")).hasMessage("mode must be batch or stream, got \"online\"");
    }

    /** Standard normal rows; one in ten is an anomaly, shifted by 4 in every feature. */
    static LabelledCsv generated(final int n, final int d, final long seed) {
        final Random random = new Random(seed);
        final double[][] rows = new double[n][d];
        final boolean[] anomaly = new boolean[n];
        for (int i = 0; i < n; i++) {
            anomaly[i] = random.nextInt(10) == 0;
            for (int j = 0; j < d; j++) {
                rows[i][j] = random.nextGaussian() + (anomaly[i] ? 4 : 0);
            }
        }
        return LabelledCsv.of("generated", rows, anomaly);
    }

    private static int[] shuffled(final int n, final long seed) {
        final int[] order = RowOrder.fileOrder(n);
        final Random random = new Random(seed);
        for (int i = n - 1; i > 0; i--) {
            final int j = random.nextInt(i + 1);
            final int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }
}
