package dev.vigil.daemon.detect;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

class DetectorTest {
    private static final long T0 = 1_767_225_600_000_000L;
    private static final long WINDOW = 10_000_000L;
    private final FeatureSchema schema = FeatureSchema.agentDefault();
    private final SplittableRandom random = new SplittableRandom(3);

    /** A correlated, log-normal normal-behaviour vector around per-feature levels. */
    private double[] normal(final double scale) {
        final double shared = random.nextGaussian() * 0.2;
        final double[] raw = new double[schema.size()];
        for (int i = 0; i < raw.length; i++) {
            final double level = 5 + 3 * i;
            raw[i] = schema.feature(i).transform() == Feature.Transform.LOG1P
                ? level * scale * Math.exp(shared + 0.15 * random.nextGaussian())
                : Math.min(1, Math.max(0, 0.05 + 0.01 * random.nextGaussian()));
        }
        return raw;
    }

    private long feed(final Detector d, final String agent, final long from, final int windows, final double scale) {
        long ts = from;
        for (int i = 0; i < windows; i++) {
            d.observe(agent, "coder", ts += WINDOW, normal(scale));
        }
        return ts;
    }

    @Test
    void aCleanAgentStaysNormalAndAShiftedOneIsAlarmedWithEvidence() {
        final Detector d = new Detector(schema, DetectionConfig.defaults());
        long ts = feed(d, "clean", T0, 3 * 360, 1.0);
        feed(d, "shifted", T0, 3 * 360, 1.0);
        ts = feed(d, "clean", ts, 360, 1.0);
        assertThat(d.agent("clean").summary().status()).isEqualTo(AgentStatus.NORMAL);
        // the shifted agent now does everything 4x: alarmed within a few minutes, evidence names features
        long t = ts - 360 * WINDOW;
        int windows = 0;
        while (d.agent("shifted").summary().status() != AgentStatus.ALARMED && windows < 100) {
            d.observe("shifted", "coder", t += WINDOW, normal(4.0));
            windows++;
        }
        assertThat(windows).isLessThan(30);
        final Detector.AgentDetail detail = d.agent("shifted");
        assertThat(detail.summary().alarmedMicros()).isEqualTo(t);
        assertThat(detail.alarmEvidence()).isNotEmpty();
        assertThat(detail.alarmEvidence().get(0).baseline()).isEqualTo("own");
        assertThat(detail.alarmEvidence().get(0).top().get(0).z()).isGreaterThan(3);
        assertThat(detail.transitions()).extracting(Detector.Transition::to).contains(AgentStatus.ALARMED);
    }

    @Test
    void anomalousObservationsDoNotEnterTheBaselineAndAlarmedAgentsStopLearning() {
        final Detector d = new Detector(schema, DetectionConfig.defaults());
        long ts = feed(d, "a", T0, 2 * 360, 1.0);
        final long excludedBefore = d.agent("a").summary().excluded();
        for (int i = 0; i < 60; i++) {
            d.observe("a", "coder", ts += WINDOW, normal(20.0));
        }
        assertThat(d.agent("a").summary().excluded() - excludedBefore).isEqualTo(60);
        assertThat(d.agent("a").summary().status()).isEqualTo(AgentStatus.ALARMED);
        // an operator release resets the evidence
        assertThat(d.release("a", ts)).isTrue();
        assertThat(d.agent("a").summary().status()).isEqualTo(AgentStatus.NORMAL);
        assertThat(d.agent("a").summary().cusum()).isZero();
    }

    @Test
    void aColdAgentIsScoredAgainstItsCohortUntilItHasABaselineOfItsOwn() {
        final Detector d = new Detector(schema, DetectionConfig.defaults());
        long ts = T0;
        // 700 windows: the own baseline leaves out the newest hour, so ~57 min (340 observations) count
        for (int i = 0; i < 700; i++) {
            ts += WINDOW;
            for (int a = 0; a < 5; a++) {
                d.observe("old-" + a, "coder", ts, normal(1.0));
            }
        }
        d.observe("newcomer", "coder", ts + WINDOW, normal(1.0));
        assertThat(d.agent("newcomer").summary().lastBaseline()).isEqualTo("cohort:coder");
        assertThat(d.agent("old-0").summary().lastBaseline()).isEqualTo("own");
    }

    @Test
    void windowStatisticsMergeEveryBaselineObservationInTheWindowAndSlideWithIt() {
        final Detector d = new Detector(schema, DetectionConfig.defaults());
        assertThat(d.windowStatistics().count()).isZero();
        long ts = feed(d, "a", T0, 2 * 360, 1.0);
        feed(d, "b", T0, 2 * 360, 1.0);
        for (int i = 0; i < 30; i++) {
            d.observe("a", "coder", ts += WINDOW, normal(20.0));
        }
        final Detector.Counters c = d.counters();
        assertThat(c.excludedFromBaseline()).as("the anomalous ones were kept out").isGreaterThanOrEqualTo(30);
        assertThat(d.windowStatistics().count()).isEqualTo(c.observations() - c.excludedFromBaseline());
        assertThat(d.agentCount()).isEqualTo(2);
        // a day later the old window has slid out: only the new observation is left
        final double[] raw = normal(1.0);
        d.observe("c", "coder", ts + 25 * 3_600_000_000L, raw);
        final double[] x = raw.clone();
        schema.transform(x);
        final dev.vigil.daemon.stats.Moments now = d.windowStatistics();
        assertThat(now.count()).isEqualTo(1);
        assertThat(now.mean()).containsExactly(x);
        assertThat(d.agentCount()).isEqualTo(3);
    }

    @Test
    void observationsOlderThanTheWindowAndAgentsBeyondTheBoundAreRefused() {
        final DetectionConfig c = DetectionConfig.defaults();
        final Detector d = new Detector(schema, new DetectionConfig(c.bucketSeconds(), 10, 2, c.coldObservations(),
            c.inflation(), c.llrMax(), c.llrMin(), c.suspectAt(), c.alarmAt(), c.varianceFloor(), c.excludeQuantile(), 2,
            c.futureSkewSecondsMax()));
        assertThat(d.observe("a", null, T0 + 3_600_000_000L, normal(1))).isEqualTo(Detector.Outcome.WARMING_UP);
        assertThat(d.observe("a", null, T0, normal(1))).isEqualTo(Detector.Outcome.EXCLUDED_TOO_OLD);
        assertThat(d.observe("b", null, T0 + 3_600_000_000L, normal(1)).accepted()).isTrue();
        assertThat(d.observe("c", null, T0 + 3_600_000_000L, normal(1))).isEqualTo(Detector.Outcome.REFUSED_AGENTS_FULL);
        assertThat(d.counters().refusedAgentsFull()).isEqualTo(1);
        assertThat(d.counters().refusedTooOld()).isEqualTo(1);
    }

    /**
     * The per-observation score is the exact log-likelihood ratio of N(μ, k²Σ) against N(μ, Σ),
     * so under the null CUSUM's in-control average run length is at least e^h (Lorden). Checked
     * by simulation at a small h, where a run length can be observed: D² ~ χ²_d exactly.
     */
    @Test
    void underTheGaussianNullTheAverageRunLengthToAFalseAlarmIsAtLeastExpH() {
        final Detector d = new Detector(schema, DetectionConfig.defaults());
        final DetectionConfig c = d.config();
        final double h = 8;
        final SplittableRandom r = new SplittableRandom(11);
        long steps = 0;
        int alarms = 0;
        double s = 0;
        while (alarms < 200) {
            double d2 = 0;
            for (int i = 0; i < schema.size(); i++) {
                final double z = r.nextGaussian();
                d2 += z * z;
            }
            s = Math.max(0, s + Math.max(c.llrMin(), Math.min(c.llrMax(), d.llr(d2))));
            steps++;
            if (s >= h) {
                alarms++;
                s = 0;
            }
        }
        final double arl = (double)steps / alarms;
        assertThat(arl).as("average run length at h = %s", h).isGreaterThan(Math.exp(h));
    }

    /**
     * What observe() does with each score: clip, accumulate, and change status at the levels. The
     * detector's own record of scores (the last 32) replays to its CUSUM exactly.
     */
    @Test
    void observeAccumulatesClippedScoresAndMovesStatusAtTheConfiguredLevels() {
        final Detector d = new Detector(schema, DetectionConfig.defaults());
        final DetectionConfig c = d.config();
        long ts = feed(d, "a", T0, 3 * 360, 1.0);
        // from a clean slate: 10 normal windows, then shifted ones until alarmed (at most 22 more)
        d.release("a", ts);
        double s = 0;
        AgentStatus expected = AgentStatus.NORMAL;
        for (int i = 0; i < 32 && d.agent("a").summary().status() != AgentStatus.ALARMED; i++) {
            d.observe("a", "coder", ts += WINDOW, normal(i < 10 ? 1.0 : 3.0));
            final Detector.Score last = d.agent("a").lastScores().get(d.agent("a").lastScores().size() - 1);
            assertThat(last.llr()).isBetween(Math.max(c.llrMin(), d.llr(0)), c.llrMax());
            assertThat(last.llr()).isEqualTo(Math.max(c.llrMin(), Math.min(c.llrMax(), d.llr(last.d2()))));
            s = Math.max(0, s + last.llr());
            assertThat(d.agent("a").summary().cusum()).isEqualTo(s);
            if (expected != AgentStatus.ALARMED && s >= c.alarmAt()) {
                expected = AgentStatus.ALARMED;
            } else if (expected == AgentStatus.NORMAL && s >= c.suspectAt()) {
                expected = AgentStatus.SUSPECT;
            } else if (expected == AgentStatus.SUSPECT && s == 0) {
                expected = AgentStatus.NORMAL;
            }
            assertThat(d.agent("a").summary().status()).isEqualTo(expected);
        }
        assertThat(expected).isEqualTo(AgentStatus.ALARMED);
    }

    @Test
    void atTheAgentBoundTheAgentSilentForAWholeWindowMakesRoom() {
        final DetectionConfig c = DetectionConfig.defaults();
        final Detector d = new Detector(schema, new DetectionConfig(c.bucketSeconds(), c.baselineBuckets(), c.lagBuckets(),
            c.coldObservations(), c.inflation(), c.llrMax(), c.llrMin(), c.suspectAt(), c.alarmAt(), c.varianceFloor(),
            c.excludeQuantile(), 2, c.futureSkewSecondsMax()));
        d.observe("old", null, T0, normal(1));
        d.observe("busy", null, T0, normal(1));
        assertThat(d.observe("new", null, T0 + 3_600_000_000L, normal(1))).isEqualTo(Detector.Outcome.REFUSED_AGENTS_FULL);
        final long dayLater = T0 + 25 * 3_600_000_000L;
        d.observe("busy", null, dayLater, normal(1));
        assertThat(d.observe("new", null, dayLater, normal(1)).accepted()).isTrue();
        assertThat(d.agent("old")).isNull();
        assertThat(d.counters().evictedSilent()).isEqualTo(1);
    }

    @Test
    void chiSquareQuantilesAreCloseToTables() {
        assertThat(ChiSquare.quantile(10, 0.999)).isCloseTo(29.588, org.assertj.core.data.Percentage.withPercentage(1));
        assertThat(ChiSquare.quantile(16, 0.999)).isCloseTo(39.252, org.assertj.core.data.Percentage.withPercentage(1));
        assertThat(ChiSquare.quantile(10, 0.5)).isCloseTo(9.342, org.assertj.core.data.Percentage.withPercentage(1));
    }
}
