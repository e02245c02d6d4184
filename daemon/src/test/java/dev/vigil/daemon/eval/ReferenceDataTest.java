package dev.vigil.daemon.eval;

import dev.vigil.daemon.detect.DetectionConfig;
import dev.vigil.daemon.detect.Detector;
import dev.vigil.daemon.detect.Feature;
import dev.vigil.daemon.detect.FeatureSchema;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

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
 * <p>The detector's own path (feature transform, variance floor, χ² exclusion, clipped LLR,
 * CUSUM and status) runs on the same data too, each data set as one agent reporting a row a
 * minute, against {@link GaussianCusumReference}, an independent implementation of the same maths:
 * every row's D², LLR, CUSUM and status must agree, so a wrong floor, transform, clip, threshold
 * or a CUSUM step out of place fails.
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

    /**
     * Cardio in file order, which is not random (the anomalies are one block at the end, and the
     * normal rows before them drift), so the CUSUM climbs and falls back, the agent turns suspect
     * and normal again, and is alarmed, after which its baseline stops learning. The schema holds
     * at most {@value FeatureSchema#FEATURES_MAX} features, so the agent reports cardio's first 16,
     * as they are (standardised, negative values included, so no log1p).
     */
    @Test
    void cardioThroughTheDetectorMatchesAnIndependentGaussianCusumRowByRow() {
        final LabelledCsv data = LabelledCsv.read(dataFile("cardio.csv"));
        final boolean[] log1p = new boolean[FeatureSchema.FEATURES_MAX];

        final GaussianCusumReference.Run reference = throughTheDetector(data, RowOrder.fileOrder(data.rows()), log1p);

        assertThat(reference.steps()).as("the comparison reached every branch of the status")
            .extracting(GaussianCusumReference.Step::status).contains("normal", "suspect", "alarmed");
        assertThat(reference.excluded()).as("rows kept out of the baseline").isPositive();
    }

    /**
     * Thyroid in its fixed random order, its six features in [0, 1], every other one log1p-scaled
     * (the detector's transform for heavy-tailed counts). Their variances (0.002 to 0.04) are of the
     * floor's size, so the floor weighs on every D².
     */
    @Test
    void thyroidThroughTheDetectorWithLog1pFeaturesMatchesAnIndependentGaussianCusumRowByRow() {
        final LabelledCsv data = LabelledCsv.read(dataFile("thyroid.csv"));
        final boolean[] log1p = {false, true, false, true, false, true};

        final GaussianCusumReference.Run reference =
            throughTheDetector(data, RowOrder.read(dataFile("thyroid.perm"), data.rows(), "thyroid.csv"), log1p);

        assertThat(reference.excluded()).as("rows kept out of the baseline").isPositive();
        assertThat(reference.steps()).as("the CUSUM moved off zero")
            .anySatisfy(step -> assertThat(step.cusum()).isPositive());
    }

    static Path dataFile(final String name) {
        final Path file = DATA.resolve(name);
        assertThat(Files.isRegularFile(file))
            .as("reference data %s is missing (looked in %s): these tests need shared/data beside the repository root",
                name, file.toAbsolutePath().normalize())
            .isTrue();
        return file;
    }

    // ---------------------------------------------------------------- the detector's path

    private static final long T0_MICROS = 1_767_225_600_000_000L;
    private static final int BUCKET_SECONDS = 60;
    /** A week of one-minute buckets: every row of either data set stays in the window. */
    private static final int BASELINE_BUCKETS = 10_080;
    private static final double INFLATION = 1.5;
    private static final double LLR_MAX = 4.0;
    private static final double SUSPECT_AT = 20;
    private static final double ALARM_AT = 60;
    private static final double VARIANCE_FLOOR = 0.01;
    private static final double EXCLUDE_QUANTILE = 0.999;
    /** Φ⁻¹(0.999), from Python's statistics.NormalDist().inv_cdf(0.999). */
    private static final double Z_0999 = 3.090232306167813;
    /** A warm agent's baseline is refitted every five bucket moves (AgentState.REFIT_BUCKETS); here a row is a bucket. */
    private static final int REFIT_ROWS = 5;
    /**
     * D² agrees to this relative error: the two differ only in summation order (Welford updates and
     * Chan merges against two passes), measured within 2e-13 on both data sets.
     */
    private static final double D2_RELATIVE_TOLERANCE = 1e-9;
    /** The CUSUM sums up to 3,672 LLRs, each within 1e-9·D² of the reference (the sum measured within 4e-12). */
    private static final double CUSUM_TOLERANCE = 1e-6;

    /**
     * One agent, one row a minute in {@code order}, through the detector at its default
     * inflation, clip, levels, floor and exclusion quantile, with the baseline window holding every
     * row, no lag, and as many observations needed before the first score as {@code vigil eval}'s
     * stream warm-up (max(100, 10·d)); then the same rows through the reference, compared row by row.
     */
    private static GaussianCusumReference.Run throughTheDetector(final LabelledCsv data, final int[] order, final boolean[] log1p) {
        final int d = Math.min(data.features(), FeatureSchema.FEATURES_MAX);
        final int cold = Math.max(100, 10 * d);
        final List<Feature> features = new ArrayList<>(d);
        for (int i = 0; i < d; i++) {
            features.add(new Feature(data.featureNames().get(i), log1p[i] ? Feature.Transform.LOG1P : Feature.Transform.IDENTITY,
                "1", "shared/data", "column " + i));
        }
        final Detector detector = new Detector(new FeatureSchema(features), new DetectionConfig(BUCKET_SECONDS, BASELINE_BUCKETS, 0,
            cold, INFLATION, LLR_MAX, Double.NEGATIVE_INFINITY, SUSPECT_AT, ALARM_AT, VARIANCE_FLOOR, EXCLUDE_QUANTILE, 1, 300));
        final double excludeD2 = GaussianCusumReference.wilsonHilferty(d, Z_0999);
        final double[][] transformed = new double[order.length][d];
        for (int t = 0; t < order.length; t++) {
            final double[] row = data.row(order[t]);
            for (int i = 0; i < d; i++) {
                transformed[t][i] = log1p[i] ? Math.log1p(row[i]) : row[i];
            }
        }
        final GaussianCusumReference.Run reference = new GaussianCusumReference(cold, REFIT_ROWS, VARIANCE_FLOOR, INFLATION, LLR_MAX,
            SUSPECT_AT, ALARM_AT, excludeD2).run(transformed);
        assertThat(reference.exclusionMarginMin()).as("no D² so close to the exclusion threshold that rounding could decide")
            .isGreaterThan(1e3 * D2_RELATIVE_TOLERANCE);

        for (int t = 0; t < order.length; t++) {
            final double[] raw = Arrays.copyOf(data.row(order[t]), d);
            final Detector.Outcome outcome = detector.observe("agent", null, T0_MICROS + t * BUCKET_SECONDS * 1_000_000L, raw);
            final GaussianCusumReference.Step expected = reference.steps().get(t);
            final String where = data.source() + " row " + order[t] + " (step " + t + ")";
            assertThat(outcome).as(where).isEqualTo(expected.scored() ? Detector.Outcome.SCORED : Detector.Outcome.WARMING_UP);
            if (!expected.scored()) {
                continue;
            }
            final Detector.AgentDetail agent = detector.agent("agent");
            final Detector.Score score = agent.lastScores().get(agent.lastScores().size() - 1);
            assertThat(score.baseline()).as(where).isEqualTo("own");
            assertThat(score.d2()).as("D² at %s", where).isCloseTo(expected.d2(), within(D2_RELATIVE_TOLERANCE * expected.d2()));
            assertThat(score.llr()).as("LLR at %s", where).isCloseTo(expected.llr(), within(D2_RELATIVE_TOLERANCE * Math.abs(expected.d2())));
            assertThat(agent.summary().cusum()).as("CUSUM at %s", where).isCloseTo(expected.cusum(), within(CUSUM_TOLERANCE));
            assertThat(agent.summary().status().label()).as("status at %s", where).isEqualTo(expected.status());
        }
        assertThat(detector.counters().excludedFromBaseline()).as("rows kept out of the baseline").isEqualTo(reference.excluded());
        return reference;
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
