package dev.vigil.daemon.eval;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * {@code vigil eval} on the ODDS data sets in shared/data, against the reference numbers in
 * shared/data/README.md: ROC-AUC and average precision of the plain Gaussian (Mahalanobis)
 * detector, batch and stream, computed there independently with numpy.
 *
 * <p>Tolerance: the README's numbers are the same metrics of the same scores, computed in
 * float64. Both metrics depend on the scores only through their order, so as long as the scores
 * here rank the rows as numpy's do, the values differ only by rounding: average precision is a
 * sum of one term per anomaly (at most 176 terms, so within about 2e-14), ROC-AUC a rank sum
 * divided once. If rounding made an anomaly and a normal row trade places instead, ROC-AUC would
 * move by 1/(P·N) (at least 2.9e-6 here) and average precision by tp/(P·r(r+1)) for a swap at
 * rank r with tp anomalies at or above it (at least 1/(P·n²), 7.6e-10 on thyroid, the larger
 * set). {@value #REFERENCE_TOLERANCE} lies between the two, so a different ranking fails.
 *
 * <p>The data are read where CI keeps them, shared/ beside the repository root, i.e.
 * ../../shared/data/ from the daemon module (surefire's working directory). A missing file fails
 * the test: these numbers are the evidence that eval computes what the README says.
 */
class ReferenceDataTest {
    private static final Path DATA = Path.of("../../shared/data");
    private static final double REFERENCE_TOLERANCE = 1e-12;

    @Test
    void cardioBatchIsRidgedAndMatchesTheReference() {
        final Evaluation.Result r = batch("cardio");

        assertShape(r, 1831, 21, 176);
        assertThat(r.ridged()).as("cardio's covariance has rank 20 of 21").isTrue();
        assertThat(r.scoredRows()).isEqualTo(1831);
        assertThat(r.rocAuc()).isCloseTo(0.8964535841801703, within(REFERENCE_TOLERANCE));
        assertThat(r.averagePrecision()).isCloseTo(0.4638342092756207, within(REFERENCE_TOLERANCE));
    }

    @Test
    void cardioStreamInPermOrderMatchesTheReference() {
        final Evaluation.Result r = stream("cardio");

        assertShape(r, 1831, 21, 176);
        assertThat(r.warmupRows()).isEqualTo(210);
        assertThat(r.scoredRows()).isEqualTo(1831 - 210);
        assertThat(r.scoredAnomalies()).isEqualTo(155);
        assertThat(r.rocAuc()).isCloseTo(0.8913919816925582, within(REFERENCE_TOLERANCE));
        assertThat(r.averagePrecision()).isCloseTo(0.4591000417805833, within(REFERENCE_TOLERANCE));
    }

    @Test
    void thyroidBatchIsNotRidgedAndMatchesTheReference() {
        final Evaluation.Result r = batch("thyroid");

        assertShape(r, 3772, 6, 93);
        assertThat(r.ridged()).as("thyroid's covariance has full rank").isFalse();
        assertThat(r.rocAuc()).isCloseTo(0.9341861831318118, within(REFERENCE_TOLERANCE));
        assertThat(r.averagePrecision()).isCloseTo(0.2578647845446835, within(REFERENCE_TOLERANCE));
    }

    @Test
    void thyroidStreamInPermOrderMatchesTheReference() {
        final Evaluation.Result r = stream("thyroid");

        assertShape(r, 3772, 6, 93);
        assertThat(r.warmupRows()).isEqualTo(100);
        assertThat(r.scoredRows()).isEqualTo(3772 - 100);
        assertThat(r.scoredAnomalies()).isEqualTo(91);
        assertThat(r.rocAuc()).isCloseTo(0.9376593805524271, within(REFERENCE_TOLERANCE));
        assertThat(r.averagePrecision()).isCloseTo(0.3114322102839943, within(REFERENCE_TOLERANCE));
    }

    static Path dataFile(final String name) {
        final Path file = DATA.resolve(name);
        assertThat(Files.isRegularFile(file))
            .as("reference data %s is missing (looked in %s): these tests need shared/data beside the repository root",
                name, file.toAbsolutePath().normalize())
            .isTrue();
        return file;
    }

    private static Evaluation.Result batch(final String name) {
        final LabelledCsv data = LabelledCsv.read(dataFile(name + ".csv"));
        return Evaluation.batch(data, RowOrder.fileOrder(data.rows()));
    }

    private static Evaluation.Result stream(final String name) {
        final LabelledCsv data = LabelledCsv.read(dataFile(name + ".csv"));
        return Evaluation.stream(data, RowOrder.read(dataFile(name + ".perm"), data.rows(), name + ".csv"));
    }

    private static void assertShape(final Evaluation.Result r, final int rows, final int features, final int anomalies) {
        assertThat(r.rows()).isEqualTo(rows);
        assertThat(r.features()).isEqualTo(features);
        assertThat(r.anomalies()).isEqualTo(anomalies);
    }
}
