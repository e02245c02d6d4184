package dev.vigil.daemon.eval;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** ROC-AUC and average precision on cases small enough to work out by hand. */
class MetricsTest {
    private static final double EXACT = 1e-15;

    @Test
    void perfectRankingScoresOne() {
        final double[] scores = {0.1, 0.2, 0.8, 0.9};
        final boolean[] anomaly = {false, false, true, true};

        assertThat(Metrics.rocAuc(scores, anomaly)).isEqualTo(1.0);
        assertThat(Metrics.averagePrecision(scores, anomaly)).isEqualTo(1.0);
    }

    @Test
    void reversedRankingScoresZeroAucAndThePrecisionOfTheLastTwoThresholds() {
        final double[] scores = {0.9, 0.8, 0.2, 0.1};
        final boolean[] anomaly = {false, false, true, true};

        assertThat(Metrics.rocAuc(scores, anomaly)).isEqualTo(0.0);
        // Threshold 0.2: 1 of 3 flagged is an anomaly, recall 1/2. Threshold 0.1: 2 of 4, recall 1.
        // AP = 1/2 · 1/3 + 1/2 · 2/4 = 5/12.
        assertThat(Metrics.averagePrecision(scores, anomaly)).isCloseTo(5.0 / 12, within(EXACT));
    }

    @Test
    void scikitLearnsDocumentationExample() {
        // roc_auc_score and average_precision_score docs: y = [0, 0, 1, 1], scores [0.1, 0.4, 0.35, 0.8].
        final double[] scores = {0.1, 0.4, 0.35, 0.8};
        final boolean[] anomaly = {false, false, true, true};

        // Ranks 1, 3, 2, 4: anomalies' ranks 2 + 4 = 6; (6 − 2·3/2) / (2·2) = 0.75.
        assertThat(Metrics.rocAuc(scores, anomaly)).isCloseTo(0.75, within(EXACT));
        // Threshold 0.8: precision 1, recall 1/2; 0.4 adds no recall; 0.35: precision 2/3, recall 1.
        // AP = 1/2 · 1 + 1/2 · 2/3 = 5/6.
        assertThat(Metrics.averagePrecision(scores, anomaly)).isCloseTo(5.0 / 6, within(EXACT));
    }

    @Test
    void tiedScoresGetTheirAverageRankAndCountAsOneThreshold() {
        final double[] scores = {3, 2, 2, 1, 1};
        final boolean[] anomaly = {false, true, true, false, true};

        // Ranks: the 1s share 1 and 2 → 1.5; the 2s share 3 and 4 → 3.5; the 3 is 5.
        // Anomalies: 3.5 + 3.5 + 1.5 = 8.5; (8.5 − 3·4/2) / (3·2) = 2.5/6 = 5/12.
        // By pairs: (2 vs 3) 0, (2 vs 1) 1, twice, and (1 vs 1) a tie, ½: 2.5 of 6.
        assertThat(Metrics.rocAuc(scores, anomaly)).isCloseTo(5.0 / 12, within(EXACT));
        // Threshold 3: no anomaly. Threshold 2: 2 anomalies of 3 flagged, recall 2/3.
        // Threshold 1: 3 of 5, recall 1. AP = 2/3 · 2/3 + 1/3 · 3/5 = 4/9 + 1/5 = 29/45.
        assertThat(Metrics.averagePrecision(scores, anomaly)).isCloseTo(29.0 / 45, within(EXACT));
    }

    @Test
    void tiesAcrossTheLabelsAtTheTopCountHalf() {
        final double[] scores = {1, 2, 2, 2, 3};
        final boolean[] anomaly = {false, true, false, true, true};

        // Anomalies' ranks 3 + 3 + 5 = 11: (11 − 6) / 6 = 5/6.
        assertThat(Metrics.rocAuc(scores, anomaly)).isCloseTo(5.0 / 6, within(EXACT));
        // Threshold 3: precision 1, recall 1/3. Threshold 2: 3 of 4, recall 1. AP = 1/3 + 2/3 · 3/4 = 5/6.
        assertThat(Metrics.averagePrecision(scores, anomaly)).isCloseTo(5.0 / 6, within(EXACT));
    }

    @Test
    void allScoresEqualIsChance() {
        final double[] scores = {5, 5, 5, 5};
        final boolean[] anomaly = {true, false, false, true};

        assertThat(Metrics.rocAuc(scores, anomaly)).isEqualTo(0.5);
        assertThat(Metrics.averagePrecision(scores, anomaly)).isEqualTo(0.5);
    }

    @Test
    void averagePrecisionOfOnlyAnomaliesIsOne() {
        assertThat(Metrics.averagePrecision(new double[] {1, 2}, new boolean[] {true, true})).isEqualTo(1.0);
    }

    @Test
    void refusesWhatHasNoAnswer() {
        assertThatThrownBy(() -> Metrics.rocAuc(new double[] {1, 2}, new boolean[] {true, true}))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("both labels");
        assertThatThrownBy(() -> Metrics.rocAuc(new double[] {1, 2}, new boolean[] {false, false}))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("both labels");
        assertThatThrownBy(() -> Metrics.averagePrecision(new double[] {1, 2}, new boolean[] {false, false}))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least one anomaly");
        assertThatThrownBy(() -> Metrics.rocAuc(new double[] {1, Double.NaN}, new boolean[] {true, false}))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("finite");
        assertThatThrownBy(() -> Metrics.rocAuc(new double[] {1}, new boolean[] {true, false}))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("labels");
    }
}
