package dev.vigil.simnet.fleet;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static dev.vigil.simnet.fleet.SyntheticFleet.BYTES_OUT;
import static dev.vigil.simnet.fleet.SyntheticFleet.DISTINCT_TOOLS;
import static dev.vigil.simnet.fleet.SyntheticFleet.INPUT_TOKENS_PER_OP;
import static dev.vigil.simnet.fleet.SyntheticFleet.LATENCY_MS_MEAN;
import static dev.vigil.simnet.fleet.SyntheticFleet.OPS_PER_MIN;
import static dev.vigil.simnet.fleet.SyntheticFleet.OUTPUT_TOKENS_PER_OP;
import static dev.vigil.simnet.fleet.SyntheticFleet.TOOL_CALLS_PER_MIN;
import static org.assertj.core.api.Assertions.assertThat;

/** What clean agents look like: correlated features, role cohorts, idiosyncrasy, the daily rhythm, bursts. */
class NormalBehaviourTest {
    private static Recording run;

    @BeforeAll
    static void record() {
        run = Recording.of(FleetParams.defaults(7));
    }

    private static double correlationOfLogs(final int agent, final int x, final int y) {
        return Recording.pearson(Recording.log1p(run.series(agent, x)), Recording.log1p(run.series(agent, y)));
    }

    @Test
    void toolCallsBytesAndLatencyMoveWithTheirDriversForEveryCleanAgent() {
        final List<Double> promptToBytes = new ArrayList<>();
        for (int i = 0; i < run.agentCount(); i++) {
            if (run.agents.get(i).compromised()) {
                continue;
            }
            final String name = run.agents.get(i).toString();
            assertThat(correlationOfLogs(i, OPS_PER_MIN, TOOL_CALLS_PER_MIN)).as("ops ~ tool calls, %s", name).isGreaterThan(0.5);
            assertThat(correlationOfLogs(i, OPS_PER_MIN, BYTES_OUT)).as("ops ~ bytes, %s", name).isGreaterThan(0.4);
            assertThat(correlationOfLogs(i, OUTPUT_TOKENS_PER_OP, LATENCY_MS_MEAN)).as("output ~ latency, %s", name).isGreaterThan(0.5);
            // positive for everyone, weaker where tool payloads outweigh prompts (ops agents)
            final double prompt = correlationOfLogs(i, INPUT_TOKENS_PER_OP, BYTES_OUT);
            assertThat(prompt).as("prompt ~ bytes, %s", name).isGreaterThan(0.1);
            promptToBytes.add(prompt);
        }
        promptToBytes.sort(Double::compare);
        assertThat(promptToBytes.get(promptToBytes.size() / 2)).as("median prompt ~ bytes").isGreaterThan(0.4);
    }

    /** Median over a role's clean agents of each agent's mean of {@code feature}. */
    private static double cohortMedian(final String role, final int feature) {
        final double[] means = perAgentMeans(role, feature);
        Arrays.sort(means);
        return means[means.length / 2];
    }

    private static double[] perAgentMeans(final String role, final int feature) {
        final List<Double> means = new ArrayList<>();
        for (int i = 0; i < run.agentCount(); i++) {
            final AgentSpec a = run.agents.get(i);
            if (!a.compromised() && a.role().equals(role)) {
                means.add(run.mean(i, feature, 0, run.windows()));
            }
        }
        return means.stream().mapToDouble(Double::doubleValue).toArray();
    }

    @Test
    void rolesHaveTheirOwnTypicalLevels() {
        assertThat(cohortMedian("research", INPUT_TOKENS_PER_OP)).isGreaterThan(3 * cohortMedian("support", INPUT_TOKENS_PER_OP));
        assertThat(cohortMedian("support", OPS_PER_MIN)).isGreaterThan(2 * cohortMedian("research", OPS_PER_MIN));
        assertThat(cohortMedian("ops", DISTINCT_TOOLS)).isGreaterThan(1.5 * cohortMedian("support", DISTINCT_TOOLS));
        assertThat(cohortMedian("research", LATENCY_MS_MEAN)).isGreaterThan(3 * cohortMedian("ops", LATENCY_MS_MEAN));
    }

    @Test
    void agentsOfOneRoleDifferByTheirOwnFactors() {
        final double[] logs = Arrays.stream(perAgentMeans("coder", OPS_PER_MIN)).map(Math::log).toArray();
        final double mean = Arrays.stream(logs).average().orElseThrow();
        final double sd = Math.sqrt(Arrays.stream(logs).map(v -> (v - mean) * (v - mean)).sum() / (logs.length - 1));
        assertThat(sd).as("spread of coders' mean log ops (σ 0.3 by construction)").isBetween(0.18, 0.45);
    }

    @Test
    void dailyRhythmPeaksAtTheRolesHour() {
        // one day from midnight UTC in minute windows; support peaks at 11:00, ops at 03:00 with a small swing
        final Recording day = Recording.of(new FleetParams(21, 60, 0, 60, 0, 24 * 3_600, 0));
        assertThat(peakToTrough(day, "support", 10, 22)).isGreaterThan(1.8);
        final double ops = peakToTrough(day, "ops", 2, 14);
        assertThat(ops).isBetween(1.05, 1.6);
    }

    /** A cohort's mean ops in the two hours from {@code peakHour} over the two hours from {@code troughHour}. */
    private static double peakToTrough(final Recording day, final String role, final int peakHour, final int troughHour) {
        double peak = 0;
        double trough = 0;
        for (int i = 0; i < day.agentCount(); i++) {
            if (day.agents.get(i).role().equals(role)) {
                peak += day.mean(i, OPS_PER_MIN, peakHour * 60, (peakHour + 2) * 60);
                trough += day.mean(i, OPS_PER_MIN, troughHour * 60, (troughHour + 2) * 60);
            }
        }
        return peak / trough;
    }

    @Test
    void burstsHappenAreUnlabelledAndScaleActivityButNotPerOperationFeatures() {
        int bursts = 0;
        final double[] logRatio = new double[SyntheticFleet.FEATURES];
        for (int i = 0; i < run.agentCount(); i++) {
            final AgentSpec a = run.agents.get(i);
            for (int w = 1; w < run.windows(); w++) {
                if (run.burst[i][w] && (!a.compromised() || w < run.windowStartingAt(a.compromiseStartMicros()))) {
                    assertThat(run.compromised[i][w]).as("%s burst at window %d", a, w).isFalse();
                }
                final boolean starts = run.burst[i][w] && !run.burst[i][w - 1];
                if (!starts || a.compromised() || w < 30) {
                    continue;
                }
                int end = w;
                while (end < run.windows() && run.burst[i][end]) {
                    end++;
                }
                assertThat(end - w).as("burst length").isBetween(3, 10);
                bursts++;
                for (int f = 0; f < logRatio.length; f++) {
                    logRatio[f] += Math.log(run.mean(i, f, w, end) / run.mean(i, f, w - 30, w));
                }
            }
        }
        // 200 agents × 4 h at 3 bursts per agent per day: ~100 expected
        assertThat(bursts).isBetween(50, 160);
        final int n = bursts;
        final double[] ratio = Arrays.stream(logRatio).map(v -> Math.exp(v / n)).toArray();
        assertThat(ratio[OPS_PER_MIN]).as("ops").isBetween(1.8, 3.0);
        assertThat(ratio[TOOL_CALLS_PER_MIN]).as("tool calls").isBetween(1.8, 3.0);
        assertThat(ratio[BYTES_OUT]).as("bytes").isBetween(1.8, 3.0);
        assertThat(ratio[INPUT_TOKENS_PER_OP]).as("input tokens per op").isBetween(0.85, 1.15);
        assertThat(ratio[LATENCY_MS_MEAN]).as("latency").isBetween(0.85, 1.15);
    }
}
