package dev.vigil.simnet.fleet;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static dev.vigil.simnet.fleet.SyntheticFleet.BYTES_OUT;
import static dev.vigil.simnet.fleet.SyntheticFleet.DISTINCT_HOSTS;
import static dev.vigil.simnet.fleet.SyntheticFleet.DISTINCT_TOOLS;
import static dev.vigil.simnet.fleet.SyntheticFleet.ERROR_RATE;
import static dev.vigil.simnet.fleet.SyntheticFleet.FEATURES;
import static dev.vigil.simnet.fleet.SyntheticFleet.INPUT_TOKENS_PER_OP;
import static dev.vigil.simnet.fleet.SyntheticFleet.LATENCY_MS_MEAN;
import static dev.vigil.simnet.fleet.SyntheticFleet.MODEL_SWITCHES;
import static dev.vigil.simnet.fleet.SyntheticFleet.OPS_PER_MIN;
import static dev.vigil.simnet.fleet.SyntheticFleet.OUTPUT_TOKENS_PER_OP;
import static dev.vigil.simnet.fleet.SyntheticFleet.TOOL_CALLS_PER_MIN;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What one gateway host sees of one agent in one window, against the agent's home view of the
 * same window: only its kind's features; each the documented function of the home value, the
 * host's share and its own log-normal noise, whose spread is the documented σ and which is
 * independent of every other host's and of the previous window's.
 *
 * <p>Run: 60 agents, 30 % compromised, two hours, r = 6 with two hosts per kind, so every agent
 * has two hosts of each kind: 43,200 (agent, window) pairs per host slot. Bounds: a log-normal
 * draw lies within ±6σ (a miss has probability 2·10⁻⁹ per draw, 3·10⁻³ over the run's 1.3 million);
 * an estimate of σ from N draws has standard error σ/√(2N), a mean σ/√N, a correlation 1/√N, and
 * each is allowed 5 of them (a miss: 6·10⁻⁷ per check).
 */
class ObserverViewsTest {
    private static final double Z_DRAW = 6;
    private static final double Z_ESTIMATE = 5;
    private static final FleetParams PARAMS = new FleetParams(13, 60, 0.3, 10, 0, 2 * 3_600, 3_600, 6, 2);
    /** [agent][observer slot] per window: log(view / expected) of the one continuous feature checked per slot. */
    private static final List<double[][]> NOISE = new ArrayList<>();
    private static final List<String> VIOLATIONS = new ArrayList<>();
    private static SyntheticFleet fleet;
    private static long views;

    @BeforeAll
    static void run() {
        fleet = new SyntheticFleet(PARAMS);
        final int n = PARAMS.agents();
        final double[][] home = new double[n][];
        final boolean[] label = new boolean[n];
        while (fleet.hasNext()) {
            final double[][] noise = new double[n][PARAMS.observersPerAgent()];
            fleet.nextWindow((agent, end, raw, compromised) -> {
                final int i = index(agent);
                home[i] = raw;
                label[i] = compromised;
            }, (host, end, seen) -> {
                for (final ObservedAgent o : seen) {
                    final int i = index(o.agent());
                    final int slot = fleet.observersOf(i).indexOf(host);
                    noise[i][slot] = check(host, fleet.share(i, host), home[i], o.raw(), !label[i]);
                    views++;
                }
            });
            NOISE.add(noise);
        }
    }

    private static int index(final AgentSpec agent) {
        return Integer.parseInt(agent.id().substring("agent-".length()));
    }

    /** Checks one view against the model; returns log(view / (home · share)) of the kind's main rate. */
    private static double check(final ObserverHost host, final double s, final double[] x, final double[] v, final boolean clean) {
        final GatewayKind kind = host.kind();
        for (int f = 0; f < FEATURES; f++) {
            if (!kind.sees(f) && v[f] != 0.0) {
                VIOLATIONS.add(host.id() + " sees feature " + f + " = " + v[f]);
            }
        }
        switch (kind) {
            case LLM_GATEWAY -> {
                within(host, OPS_PER_MIN, v[OPS_PER_MIN] / (x[OPS_PER_MIN] * s), Observers.NOISE_RATE);
                within(host, INPUT_TOKENS_PER_OP, v[INPUT_TOKENS_PER_OP] / x[INPUT_TOKENS_PER_OP], Observers.NOISE_PER_OP);
                within(host, OUTPUT_TOKENS_PER_OP, v[OUTPUT_TOKENS_PER_OP] / x[OUTPUT_TOKENS_PER_OP], Observers.NOISE_PER_OP);
                within(host, LATENCY_MS_MEAN, v[LATENCY_MS_MEAN] / x[LATENCY_MS_MEAN], Observers.NOISE_PER_OP);
                if (clean) {
                    errorWithin(host, x[ERROR_RATE], v[ERROR_RATE]);
                }
                if (!(v[MODEL_SWITCHES] >= 0 && v[MODEL_SWITCHES] <= x[MODEL_SWITCHES] && v[MODEL_SWITCHES] == Math.rint(v[MODEL_SWITCHES]))) {
                    VIOLATIONS.add(host.id() + " switches " + v[MODEL_SWITCHES] + " of " + x[MODEL_SWITCHES]);
                }
                return Math.log(v[OPS_PER_MIN] / (x[OPS_PER_MIN] * s));
            }
            case TOOL_SERVER -> {
                within(host, TOOL_CALLS_PER_MIN, v[TOOL_CALLS_PER_MIN] / (x[TOOL_CALLS_PER_MIN] * s), Observers.NOISE_RATE);
                countWithin(host, DISTINCT_TOOLS, x[DISTINCT_TOOLS] * s, v[DISTINCT_TOOLS]);
                if (clean) {
                    errorWithin(host, x[ERROR_RATE], v[ERROR_RATE]);
                }
                return Math.log(v[TOOL_CALLS_PER_MIN] / (x[TOOL_CALLS_PER_MIN] * s));
            }
            case EGRESS_PROXY -> {
                within(host, BYTES_OUT, v[BYTES_OUT] / (x[BYTES_OUT] * s), Observers.NOISE_RATE);
                countWithin(host, DISTINCT_HOSTS, x[DISTINCT_HOSTS] * s, v[DISTINCT_HOSTS]);
                return Math.log(v[BYTES_OUT] / (x[BYTES_OUT] * s));
            }
        }
        throw new AssertionError(kind);
    }

    private static void within(final ObserverHost host, final int f, final double ratio, final double sigma) {
        if (!(Math.abs(Math.log(ratio)) <= Z_DRAW * sigma)) {
            VIOLATIONS.add(host.id() + " feature " + f + ": view / expected = " + ratio);
        }
    }

    /** A clean agent's error rate is the same at model and tool calls: the home's, times the host's noise, capped at 1. */
    private static void errorWithin(final ObserverHost host, final double home, final double seen) {
        final double bound = Math.exp(Z_DRAW * Observers.NOISE_ERROR_RATE);
        if (!(seen <= Math.min(1, home * bound) && seen >= Math.min(1, home / bound))) {
            VIOLATIONS.add(host.id() + " error rate " + seen + " for a home error rate of " + home);
        }
    }

    private static void countWithin(final ObserverHost host, final int f, final double expected, final double seen) {
        final double bound = Math.exp(Z_DRAW * Observers.NOISE_DISTINCT);
        if (!(seen == Math.rint(seen) && seen >= Math.round(expected / bound) && seen <= Math.round(expected * bound))) {
            VIOLATIONS.add(host.id() + " feature " + f + ": " + seen + " seen of " + expected + " expected");
        }
    }

    @Test
    void eachKindSeesOnlyItsFeaturesEachTheDocumentedFunctionOfTheHomeValueAndItsShare() {
        assertThat(views).isEqualTo(60L * 6 * PARAMS.windows());
        assertThat(VIOLATIONS).as("views off the model").isEmpty();
    }

    @Test
    void theMeasurementNoiseHasTheDocumentedSpreadAndMedianOne() {
        final int slots = PARAMS.observersPerAgent();
        for (int slot = 0; slot < slots; slot++) {
            double sum = 0;
            double sumSq = 0;
            long count = 0;
            for (final double[][] window : NOISE) {
                for (final double[] agent : window) {
                    sum += agent[slot];
                    sumSq += agent[slot] * agent[slot];
                    count++;
                }
            }
            final double mean = sum / count;
            final double sd = Math.sqrt(sumSq / count - mean * mean);
            final double sigma = Observers.NOISE_RATE;
            assertThat(mean).as("slot %d: mean log noise", slot).isBetween(-Z_ESTIMATE * sigma / Math.sqrt(count),
                Z_ESTIMATE * sigma / Math.sqrt(count));
            assertThat(sd).as("slot %d: σ of the log noise", slot).isCloseTo(sigma,
                org.assertj.core.data.Offset.offset(Z_ESTIMATE * sigma / Math.sqrt(2.0 * count)));
        }
    }

    @Test
    void eachHostsNoiseIsIndependentOfTheOtherHostsOfTheSameAgentAndOfItsPreviousWindow() {
        final int slots = PARAMS.observersPerAgent();
        final long n = (long) NOISE.size() * PARAMS.agents();
        final double bound = Z_ESTIMATE / Math.sqrt(n);
        for (int a = 0; a < slots; a++) {
            for (int b = a + 1; b < slots; b++) {
                final int sa = a;
                final int sb = b;
                assertThat(correlation(w -> NOISE.get(w), sa, w -> NOISE.get(w), sb))
                    .as("slots %d and %d (%s and %s for agent 0)", a, b, fleet.observersOf(0).get(a).id(), fleet.observersOf(0).get(b).id())
                    .isBetween(-bound, bound);
            }
            final int s = a;
            final double lagBound = Z_ESTIMATE / Math.sqrt(n - PARAMS.agents());
            assertThat(correlation(w -> NOISE.get(w + 1), s, w -> NOISE.get(w), s, NOISE.size() - 1))
                .as("slot %d against its previous window", a).isBetween(-lagBound, lagBound);
        }
    }

    private static double correlation(final java.util.function.IntFunction<double[][]> x, final int sx,
                                      final java.util.function.IntFunction<double[][]> y, final int sy) {
        return correlation(x, sx, y, sy, NOISE.size());
    }

    private static double correlation(final java.util.function.IntFunction<double[][]> x, final int sx,
                                      final java.util.function.IntFunction<double[][]> y, final int sy, final int windows) {
        final List<Double> xs = new ArrayList<>();
        final List<Double> ys = new ArrayList<>();
        for (int w = 0; w < windows; w++) {
            for (int i = 0; i < PARAMS.agents(); i++) {
                xs.add(x.apply(w)[i][sx]);
                ys.add(y.apply(w)[i][sy]);
            }
        }
        return Recording.pearson(xs.stream().mapToDouble(Double::doubleValue).toArray(), ys.stream().mapToDouble(Double::doubleValue).toArray());
    }
}
