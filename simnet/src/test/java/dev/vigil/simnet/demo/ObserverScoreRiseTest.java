package dev.vigil.simnet.demo;

import dev.vigil.daemon.detect.DetectionConfig;
import dev.vigil.daemon.detect.Detector;
import dev.vigil.daemon.detect.FeatureSchema;
import dev.vigil.daemon.stats.Gaussian;
import dev.vigil.daemon.stats.Moments;
import dev.vigil.simnet.fleet.AgentSpec;
import dev.vigil.simnet.fleet.CompromiseMode;
import dev.vigil.simnet.fleet.FleetParams;
import dev.vigil.simnet.fleet.GatewayKind;
import dev.vigil.simnet.fleet.ObserverHost;
import dev.vigil.simnet.fleet.SyntheticFleet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each compromise raises the detector's score at the gateway kinds that carry what it changes,
 * by at least what the fleet model guarantees.
 *
 * <p>Run: two 12-hour fleets of 60 agents, half compromised (none in the first 2 hours, so every
 * observer holds a warm baseline of its own for each agent when a compromise starts), every
 * agent observed by one host of each kind, through {@link ObserverDetection} (the daemon's
 * {@code Detector} per home node and per gateway host).
 *
 * <p>Score: D² of each of the observer's views of the agent against the baseline the observer's
 * detector held for it when the compromise started ({@link Detector#ownBaseline}, fitted as the
 * detector fits it: variance floor added), over the 30 minutes before the start and the 30
 * minutes after it (for slow drift: from 3 hours after, when its ramp is over).
 *
 * <p>Bound, for one feature i the mode moves up: D² ≥ (x_i − μ_i)²/Σ_ii for every observation
 * (Cauchy–Schwarz), so mean D² after ≥ (mean x_i after − μ_i)²/Σ_ii (Jensen); and the fleet model
 * guarantees mean x_i after ≥ mean x_i before + δ − slack, δ the mode's smallest magnitude on the
 * ln scale (for error_rate: the level it reaches) and slack the rhythm, burst and 5-standard-error
 * terms of {@code CompromiseAtObserversTest}; log1p(x) ≥ ln x carries it to the detector's scale.
 * So mean D² after ≥ max(0, mean ln x_i before + δ − slack − μ_i)²/Σ_ii. The test asks for that
 * bound and for the score after to be above the score before. On these runs the bound itself is
 * above the score before for every pair but three of the coordinated group's at the egress proxy,
 * where bytes × 3 less the slack guarantees about 1.6 against about 2 before (their score after: 13 to 15).
 */
class ObserverScoreRiseTest {
    /** CompromiseAtObserversTest's terms, from the fleet model's rhythm cap 0.5 and bursts of at most 10 windows × 3. */
    private static final double RHYTHM_PER_HOUR = 0.5 / Math.sqrt(1 - 0.25) * 2 * Math.PI / 24;
    private static final double BURST_SHIFT = 2 * 10 * Math.log(3) / 180;
    private static final double Z = 5;
    private static final int SPAN = 180;
    private static final int SLOW_DRIFT_FULL_AFTER_WINDOWS = 3 * 360;
    private static final double TOOL_MISUSE_ERROR_RATE_MIN = 0.3;
    private static final FeatureSchema SCHEMA = FeatureSchema.agentDefault();
    /**
     * χ²₁₀'s 0.999 quantile: above it the detector keeps an observation out of baselines (default
     * excludeQuantile). Before the start an observer's views are normal to its own baseline of the
     * agent, so their mean D² is far below it (about the number of features the kind sees).
     */
    private static final double D2_EXCLUDED = 29.588;

    /** Feature f rises by at least delta (ln units; for error_rate the level it reaches) when the mode shows at the kind. */
    private record Rise(CompromiseMode mode, GatewayKind kind, String feature, double delta, boolean followsActivity) {
        int index() {
            return SCHEMA.indexOf(feature);
        }

        boolean level() {
            return feature.equals(FeatureSchema.ERROR_RATE);
        }
    }

    private static final List<Rise> RISES = List.of(
        new Rise(CompromiseMode.EXFILTRATION, GatewayKind.EGRESS_PROXY, FeatureSchema.BYTES_OUT, Math.log(10), true),
        new Rise(CompromiseMode.RUNAWAY_LOOP, GatewayKind.LLM_GATEWAY, FeatureSchema.INPUT_TOKENS_PER_OP, Math.log(3), false),
        new Rise(CompromiseMode.RUNAWAY_LOOP, GatewayKind.EGRESS_PROXY, FeatureSchema.BYTES_OUT, Math.log(5), true),
        new Rise(CompromiseMode.TOOL_MISUSE, GatewayKind.TOOL_SERVER, FeatureSchema.ERROR_RATE, TOOL_MISUSE_ERROR_RATE_MIN, false),
        new Rise(CompromiseMode.SLOW_DRIFT, GatewayKind.LLM_GATEWAY, FeatureSchema.OUTPUT_TOKENS_PER_OP, Math.log(3), false),
        new Rise(CompromiseMode.SLOW_DRIFT, GatewayKind.EGRESS_PROXY, FeatureSchema.BYTES_OUT, Math.log(5), true),
        new Rise(CompromiseMode.COORDINATED_GROUP, GatewayKind.EGRESS_PROXY, FeatureSchema.BYTES_OUT, Math.log(3), true));

    /** One (compromised agent, observer host) pair: what its detector held at the start, and the raw views around it. */
    private static final class Pair {
        final long seed;
        final AgentSpec agent;
        final ObserverHost host;
        final Rise rise;
        final long windowMicros;
        final long beforeFromMicros;
        final long afterFromMicros;
        Moments baselineAtStart;
        String baselineLabelAtStart;
        final List<double[]> before = new ArrayList<>();
        final List<double[]> after = new ArrayList<>();

        Pair(final long seed, final AgentSpec agent, final ObserverHost host, final Rise rise, final long windowMicros) {
            this.seed = seed;
            this.agent = agent;
            this.host = host;
            this.rise = rise;
            this.windowMicros = windowMicros;
            this.beforeFromMicros = agent.compromiseStartMicros() - SPAN * windowMicros;
            this.afterFromMicros = agent.compromiseStartMicros()
                + (agent.mode() == CompromiseMode.SLOW_DRIFT ? SLOW_DRIFT_FULL_AFTER_WINDOWS * windowMicros : 0);
        }

        void observed(final long windowEndMicros, final double[] raw, final Detector detector) {
            final long windowStart = windowEndMicros - windowMicros;
            if (windowStart >= beforeFromMicros && windowStart < agent.compromiseStartMicros()) {
                before.add(raw.clone());
            } else if (windowStart >= afterFromMicros && windowStart < afterFromMicros + SPAN * windowMicros) {
                after.add(raw.clone());
            }
            if (windowEndMicros == agent.compromiseStartMicros()) {
                baselineAtStart = detector.ownBaseline(agent.id());
                baselineLabelAtStart = detector.agent(agent.id()).summary().lastBaseline();
            }
        }

        String name() {
            return agent.id() + " (" + agent.mode().label() + ", seed " + seed + ") at " + host.id();
        }
    }

    private static final List<Pair> PAIRS = new ArrayList<>();
    private static DetectionConfig config;

    @BeforeAll
    static void run() {
        config = DetectionConfig.defaults();
        for (long seed = 1; seed <= 2; seed++) {
            final FleetParams p = new FleetParams(seed, 60, 0.5, 10, 0, 12 * 3_600, 2 * 3_600, 3, 2);
            final SyntheticFleet layout = new SyntheticFleet(p);
            final Map<String, Pair> byKey = new HashMap<>();
            for (int i = 0; i < p.agents(); i++) {
                final AgentSpec a = layout.agents().get(i);
                for (final ObserverHost h : layout.observersOf(i)) {
                    for (final Rise r : RISES) {
                        if (a.mode() == r.mode() && h.kind() == r.kind()) {
                            final Pair pair = new Pair(seed, a, h, r, p.windowMicros());
                            if (pair.afterFromMicros + SPAN * p.windowMicros() <= p.endEpochMicros()) {
                                byKey.put(a.id() + "@" + h.id(), pair);
                                PAIRS.add(pair);
                            }
                        }
                    }
                }
            }
            ObserverDetection.run(p, config, 5, (observer, agent, windowEndMicros, raw, detector) -> {
                final Pair pair = byKey.get(agent.id() + "@" + observer);
                if (pair != null) {
                    pair.observed(windowEndMicros, raw, detector);
                }
            });
        }
    }

    private static double transformed(final double[] raw, final int i) {
        return SCHEMA.feature(i).transform().apply(raw[i]);
    }

    private static double[] meanAndVariance(final List<double[]> views, final int i, final boolean ln) {
        double sum = 0;
        double sumSq = 0;
        for (final double[] v : views) {
            final double x = ln ? Math.log(v[i]) : transformed(v, i);
            sum += x;
            sumSq += x * x;
        }
        final int n = views.size();
        final double mean = sum / n;
        return new double[] {mean, Math.max(0, sumSq / n - mean * mean) * n / (n - 1)};
    }

    private static double meanD2(final Gaussian g, final List<double[]> views) {
        double sum = 0;
        for (final double[] v : views) {
            final double[] x = v.clone();
            SCHEMA.transform(x);
            sum += g.mahalanobis2(x);
        }
        return sum / views.size();
    }

    @Test
    void everyModeRaisesTheScoreAtTheKindsThatCarryWhatItChangesToAtLeastTheModelsBound() {
        final Map<Rise, Integer> pairsPerRise = new HashMap<>();
        final List<String> below = new ArrayList<>();
        for (final Pair pair : PAIRS) {
            pairsPerRise.merge(pair.rise, 1, Integer::sum);
            assertThat(pair.before).as(pair.name()).hasSize(SPAN);
            assertThat(pair.after).as(pair.name()).hasSize(SPAN);
            assertThat(pair.baselineLabelAtStart).as("%s scored against its own baseline at the start", pair.name()).isEqualTo("own");
            for (int j = 0; j < SCHEMA.size(); j++) {
                if (!pair.host.kind().sees(j)) {
                    // the observer's baseline of the agent is of what it sees: 0 where it sees nothing
                    assertThat(pair.baselineAtStart.mean(j)).as("%s baseline of %s", pair.name(), SCHEMA.feature(j).name()).isZero();
                    assertThat(pair.baselineAtStart.variance(j)).as("%s baseline of %s", pair.name(), SCHEMA.feature(j).name()).isZero();
                }
            }
            final Moments floored = pair.baselineAtStart.copy();
            floored.inflateVariance(config.varianceFloor());
            final Gaussian g = Gaussian.fit(floored, Gaussian.Ridge.WHEN_SINGULAR);
            final int i = pair.rise.index();
            final double mu = pair.baselineAtStart.mean(i);
            final double sigma2 = pair.baselineAtStart.variance(i) + config.varianceFloor();
            final double lowestAfter;
            if (pair.rise.level()) {
                final double[] after = meanAndVariance(pair.after, i, false);
                lowestAfter = pair.rise.delta() - Z * Math.sqrt(after[1] / SPAN);
            } else {
                final double[] lnBefore = meanAndVariance(pair.before, i, true);
                final double[] lnAfter = meanAndVariance(pair.after, i, true);
                final double hours = (pair.afterFromMicros - pair.beforeFromMicros) / 3.6e9;
                final double slack = (pair.rise.followsActivity() ? RHYTHM_PER_HOUR * hours + BURST_SHIFT : 0)
                    + Z * Math.sqrt(lnBefore[1] / SPAN + lnAfter[1] / SPAN);
                // log1p ≥ ln, so the mean of log1p after is at least the mean of ln after
                lowestAfter = lnBefore[0] + pair.rise.delta() - slack;
            }
            final double bound = Math.pow(Math.max(0, lowestAfter - mu), 2) / sigma2;
            final double d2Before = meanD2(g, pair.before);
            final double d2After = meanD2(g, pair.after);
            assertThat(d2Before).as("%s: mean D² before the start against its own baseline", pair.name()).isLessThan(D2_EXCLUDED);
            if (!(d2After >= bound) || !(d2After > d2Before)) {
                below.add(String.format("%s on %s: mean D² before %.2f, after %.2f; the model's bound %.2f", pair.name(),
                    pair.rise.feature(), d2Before, d2After, bound));
            }
        }
        assertThat(below).as("observers whose score rose less than the model guarantees").isEmpty();
        for (final Rise r : RISES) {
            assertThat(pairsPerRise.getOrDefault(r, 0)).as("pairs of %s at %s", r.mode().label(), r.kind().label()).isPositive();
        }
    }
}
