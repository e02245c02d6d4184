package dev.vigil.daemon.eval;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The detector on the ODDS data sets in shared/data, against the reference numbers in
 * shared/data/README.md (ROC-AUC, computed independently with numpy): batch to 1e-6, stream to
 * 1e-4. The PR-AUC values are not in the README; they were computed with the same numpy
 * pipeline and scikit-learn's average-precision definition when this test was written, and
 * are held to the same tolerances.
 *
 * <p>The data are read where CI keeps them, shared/ beside the repository root, i.e.
 * ../../shared/data/ from the daemon module (surefire's working directory). A missing file fails
 * the test: these numbers are the evidence that eval computes what the README says.
 */
class ReferenceDataTest {
    private static final Path DATA = Path.of("../../shared/data");
    private static final double BATCH_TOLERANCE = 1e-6;
    private static final double STREAM_TOLERANCE = 1e-4;

    @Test
    void cardioBatchIsRidgedAndMatchesTheReference() {
        final Evaluation.Result r = batch("cardio");

        assertShape(r, 1831, 21, 176);
        assertThat(r.ridged()).as("cardio's covariance has rank 20 of 21").isTrue();
        assertThat(r.scoredRows()).isEqualTo(1831);
        assertThat(r.rocAuc()).isCloseTo(0.8964535841801703, within(BATCH_TOLERANCE));
        assertThat(r.averagePrecision()).isCloseTo(0.46383420927562075, within(BATCH_TOLERANCE));
    }

    @Test
    void cardioStreamInPermOrderMatchesTheReference() {
        final Evaluation.Result r = stream("cardio");

        assertShape(r, 1831, 21, 176);
        assertThat(r.warmupRows()).isEqualTo(210);
        assertThat(r.scoredRows()).isEqualTo(1831 - 210);
        assertThat(r.scoredAnomalies()).isEqualTo(155);
        assertThat(r.rocAuc()).isCloseTo(0.8913919816925582, within(STREAM_TOLERANCE));
        assertThat(r.averagePrecision()).isCloseTo(0.45910004178058345, within(STREAM_TOLERANCE));
    }

    @Test
    void thyroidBatchIsNotRidgedAndMatchesTheReference() {
        final Evaluation.Result r = batch("thyroid");

        assertShape(r, 3772, 6, 93);
        assertThat(r.ridged()).as("thyroid's covariance has full rank").isFalse();
        assertThat(r.rocAuc()).isCloseTo(0.9341861831318118, within(BATCH_TOLERANCE));
        assertThat(r.averagePrecision()).isCloseTo(0.25786478454468353, within(BATCH_TOLERANCE));
    }

    @Test
    void thyroidStreamInPermOrderMatchesTheReference() {
        final Evaluation.Result r = stream("thyroid");

        assertShape(r, 3772, 6, 93);
        assertThat(r.warmupRows()).isEqualTo(100);
        assertThat(r.scoredRows()).isEqualTo(3772 - 100);
        assertThat(r.scoredAnomalies()).isEqualTo(91);
        assertThat(r.rocAuc()).isCloseTo(0.9376593805524271, within(STREAM_TOLERANCE));
        assertThat(r.averagePrecision()).isCloseTo(0.3114322102839944, within(STREAM_TOLERANCE));
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
