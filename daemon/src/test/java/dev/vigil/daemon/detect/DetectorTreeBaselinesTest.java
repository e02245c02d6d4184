package dev.vigil.daemon.detect;

import dev.vigil.daemon.stats.Moments;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The fleet tree's baselines in detection: a cold agent is scored against its local role cohort,
 * else the tree's cluster, else this host's agents, else the fleet; and a warm agent's own
 * baseline is scored against the fleet (drift), as evidence that never moves its CUSUM.
 */
class DetectorTreeBaselinesTest {
    private static final long T0 = 1_767_225_600_000_000L;
    private static final long WINDOW = 10_000_000L;
    private final FeatureSchema schema = FeatureSchema.agentDefault();
    private final int cold = DetectionConfig.defaults().coldObservations();
    private final SplittableRandom random = new SplittableRandom(5);

    /** A correlated, log-normal normal-behaviour vector around per-feature levels, as DetectorTest's. */
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

    /** What the tree would hand down: the merge of {@code n} transformed normal observations. */
    private Moments merged(final int n, final double scale) {
        final Moments m = new Moments(schema.size());
        for (int i = 0; i < n; i++) {
            final double[] x = normal(scale);
            schema.transform(x);
            m.add(x);
        }
        return m;
    }

    private static String lastBaseline(final Detector d, final String agent) {
        return d.agent(agent).summary().lastBaseline();
    }

    @Test
    void aColdAgentWithoutLocalCohortIsScoredAgainstTheClusterAndAlarmedWhenItDeviatesFromIt() {
        final Detector d = new Detector(schema, DetectionConfig.defaults());
        d.setTreeBaselines(merged(1000, 1.0), null);
        long ts = T0;
        for (int i = 0; i < 100; i++) {
            assertThat(d.observe("steady", "coder", ts += WINDOW, normal(1.0))).isEqualTo(Detector.Outcome.SCORED);
        }
        assertThat(d.agent("steady").lastScores()).extracting(Detector.Score::baseline).containsOnly("cluster");
        assertThat(d.agent("steady").summary().status()).isEqualTo(AgentStatus.NORMAL);

        // far fewer than cold_observations locally: without the cluster this agent would only be warming up
        long t = T0;
        int windows = 0;
        do {
            d.observe("rogue", "coder", t += WINDOW, normal(4.0));
            windows++;
        } while (d.agent("rogue").summary().status() != AgentStatus.ALARMED && windows < 100);
        assertThat(windows).isLessThan(40);
        final Detector.AgentDetail rogue = d.agent("rogue");
        assertThat(rogue.summary().lastBaseline()).isEqualTo("cluster");
        assertThat(rogue.alarmEvidence()).isNotEmpty();
        assertThat(rogue.alarmEvidence()).extracting(Evidence::baseline).containsOnly("cluster");
        assertThat(rogue.alarmEvidence().get(0).top().get(0).z()).isGreaterThan(3);
    }

    @Test
    void theLocalRoleCohortGoesBeforeTheClusterAndTheClusterBeforeThisHostsAgents() {
        final Detector d = new Detector(schema, DetectionConfig.defaults());
        d.setTreeBaselines(merged(1000, 1.0), merged(1000, 1.0));
        long ts = T0;
        d.observe("first", "coder", ts += WINDOW, normal(1.0));
        assertThat(lastBaseline(d, "first")).as("the cluster before the fleet").isEqualTo("cluster");
        // 5 × 50 coders: the role cohort and this host's agents both hold more than cold_observations
        for (int i = 0; i < 50; i++) {
            ts += WINDOW;
            for (int a = 0; a < 5; a++) {
                d.observe("coder-" + a, "coder", ts, normal(1.0));
            }
        }
        ts += WINDOW;
        d.observe("newcomer", "coder", ts, normal(1.0));
        d.observe("loner", null, ts, normal(1.0));
        d.observe("reviewer", "reviewer", ts, normal(1.0));
        assertThat(lastBaseline(d, "newcomer")).isEqualTo("cohort:coder");
        assertThat(lastBaseline(d, "loner")).isEqualTo("cluster");
        assertThat(lastBaseline(d, "reviewer")).as("a role with no local cohort yet").isEqualTo("cluster");

        // without a cluster baseline this host's agents come next, before the fleet
        d.setTreeBaselines(null, merged(1000, 1.0));
        ts += WINDOW;
        d.observe("loner", null, ts, normal(1.0));
        d.observe("reviewer", "reviewer", ts, normal(1.0));
        d.observe("newcomer", "coder", ts, normal(1.0));
        assertThat(lastBaseline(d, "loner")).isEqualTo("host");
        assertThat(lastBaseline(d, "reviewer")).isEqualTo("host");
        assertThat(lastBaseline(d, "newcomer")).isEqualTo("cohort:coder");
    }

    @Test
    void aColdAgentWithNeitherLocalNorClusterBaselineIsScoredAgainstTheFleet() {
        final Detector bare = new Detector(schema, DetectionConfig.defaults());
        assertThat(bare.observe("a", "coder", T0, normal(1.0))).isEqualTo(Detector.Outcome.WARMING_UP);

        final Detector d = new Detector(schema, DetectionConfig.defaults());
        d.setTreeBaselines(null, merged(1000, 1.0));
        assertThat(d.observe("a", "coder", T0, normal(1.0))).isEqualTo(Detector.Outcome.SCORED);
        assertThat(lastBaseline(d, "a")).isEqualTo("fleet");
        assertThat(d.counters().treeBaselinesRefused()).isZero();
    }

    @Test
    void aTreeBaselineOfAnotherDimensionOrWithTooFewObservationsIsRefusedAndCounted() {
        final Detector d = new Detector(schema, DetectionConfig.defaults());
        final Moments otherSchema = new Moments(schema.size() + 1);
        for (int i = 0; i < 1000; i++) {
            final double[] x = new double[schema.size() + 1];
            for (int j = 0; j < x.length; j++) {
                x[j] = random.nextGaussian();
            }
            otherSchema.add(x);
        }
        d.setTreeBaselines(otherSchema, merged(cold - 1, 1.0));
        assertThat(d.counters().treeBaselinesRefused()).isEqualTo(2);
        assertThat(d.observe("a", "coder", T0, normal(1.0))).isEqualTo(Detector.Outcome.WARMING_UP);

        // nothing to hand down is not a refusal; exactly cold_observations is enough
        d.setTreeBaselines(null, null);
        d.setTreeBaselines(merged(cold, 1.0), null);
        assertThat(d.counters().treeBaselinesRefused()).isEqualTo(2);
        assertThat(d.observe("b", "coder", T0, normal(1.0))).isEqualTo(Detector.Outcome.SCORED);
        assertThat(lastBaseline(d, "b")).isEqualTo("cluster");

        // a refused replacement leaves no stale cluster baseline behind
        d.setTreeBaselines(merged(cold - 1, 1.0), null);
        assertThat(d.counters().treeBaselinesRefused()).isEqualTo(3);
        assertThat(d.observe("c", "coder", T0, normal(1.0))).isEqualTo(Detector.Outcome.WARMING_UP);
    }

    /**
     * Two detectors see the same observations; only one holds a fleet baseline. A warm agent that
     * does ten times what the fleet does gets a drift above the threshold and one fleet-drift
     * evidence, and its CUSUM and status are exactly those of the detector without the fleet.
     */
    @Test
    void aWarmAgentFarFromTheFleetGetsDriftEvidenceWhileItsCusumAndStatusAreUntouched() {
        final Detector withFleet = new Detector(schema, DetectionConfig.defaults());
        final Detector without = new Detector(schema, DetectionConfig.defaults());
        final List<Detector> both = List.of(withFleet, without);
        final double threshold = ChiSquare.quantile(schema.size(), DetectionConfig.defaults().excludeQuantile());
        long ts = T0;
        for (int i = 0; i < 2 * 360; i++) {
            ts += WINDOW;
            final double[] odd = normal(10.0);
            final double[] alike = normal(1.0);
            for (final Detector d : both) {
                d.observe("odd", "odd", ts, odd);
                d.observe("alike", "coder", ts, alike);
            }
        }
        assertThat(lastBaseline(withFleet, "odd")).isEqualTo("own");
        assertThat(withFleet.agent("odd").summary().fleetDriftD2()).as("no fleet baseline yet").isNull();
        assertThat(withFleet.agent("odd").summary().fleetDriftMicros()).isEqualTo(-1);

        withFleet.setTreeBaselines(null, merged(2000, 1.0));
        final long fleetFrom = ts;
        for (int round = 0; round < 2; round++) {
            // ten minutes: the warm agents' baselines are refitted at least once
            for (int i = 0; i < 60; i++) {
                ts += WINDOW;
                final double[] odd = normal(10.0);
                final double[] alike = normal(1.0);
                for (final Detector d : both) {
                    d.observe("odd", "odd", ts, odd);
                    d.observe("alike", "coder", ts, alike);
                }
            }
        }

        final Detector.AgentDetail odd = withFleet.agent("odd");
        final Double drift = odd.summary().fleetDriftD2();
        assertThat(drift).isNotNull();
        assertThat(drift).isFinite().isGreaterThan(threshold);
        assertThat(odd.summary().fleetDriftMicros()).isGreaterThan(fleetFrom).isLessThanOrEqualTo(ts);
        final List<Evidence> driftEvidence = odd.evidence().stream().filter(e -> e.kind().equals("fleet-drift")).toList();
        assertThat(driftEvidence).as("once at the onset, not at every refit").hasSize(1);
        assertThat(driftEvidence.get(0).baseline()).isEqualTo("fleet");
        assertThat(driftEvidence.get(0).d2()).isGreaterThan(threshold);
        assertThat(driftEvidence.get(0).llr()).isZero();
        assertThat(odd.summary().status()).isEqualTo(AgentStatus.NORMAL);
        assertThat(odd.summary().cusum()).isEqualTo(without.agent("odd").summary().cusum());
        assertThat(odd.transitions()).isEqualTo(without.agent("odd").transitions());

        final Detector.AgentDetail alike = withFleet.agent("alike");
        assertThat(alike.summary().fleetDriftD2()).isNotNull();
        assertThat(alike.summary().fleetDriftD2()).isFinite().isLessThan(threshold);
        assertThat(alike.evidence()).extracting(Evidence::kind).doesNotContain("fleet-drift");

        assertThat(withFleet.counters().fleetDrifting()).isEqualTo(1);
        assertThat(without.counters().fleetDrifting()).isZero();
        assertThat(without.agent("odd").summary().fleetDriftD2()).isNull();
        assertThat(without.agent("odd").evidence()).extracting(Evidence::kind).doesNotContain("fleet-drift");
    }
}
