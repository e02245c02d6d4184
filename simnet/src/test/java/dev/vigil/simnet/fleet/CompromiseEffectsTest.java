package dev.vigil.simnet.fleet;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static dev.vigil.simnet.fleet.SyntheticFleet.BYTES_OUT;
import static dev.vigil.simnet.fleet.SyntheticFleet.DISTINCT_HOSTS;
import static dev.vigil.simnet.fleet.SyntheticFleet.DISTINCT_TOOLS;
import static dev.vigil.simnet.fleet.SyntheticFleet.ERROR_RATE;
import static dev.vigil.simnet.fleet.SyntheticFleet.INPUT_TOKENS_PER_OP;
import static dev.vigil.simnet.fleet.SyntheticFleet.MODEL_SWITCHES;
import static dev.vigil.simnet.fleet.SyntheticFleet.OPS_PER_MIN;
import static dev.vigil.simnet.fleet.SyntheticFleet.OUTPUT_TOKENS_PER_OP;
import static dev.vigil.simnet.fleet.SyntheticFleet.TOOL_CALLS_PER_MIN;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each mode moves the features it names: the agent's mean over the 30 minutes after its start
 * against the 30 minutes before. The bounds leave room for the daily rhythm (which moves activity
 * by up to ~15 % in half an hour) and for a normal burst falling into one of the two half-hours.
 */
class CompromiseEffectsTest {
    private static final List<Recording> DEFAULT_RUNS = new ArrayList<>();

    @BeforeAll
    static void record() {
        for (long seed = 1; seed <= 3; seed++) {
            DEFAULT_RUNS.add(Recording.of(FleetParams.defaults(seed)));
        }
    }

    /** Before and after means of one agent around its start. */
    private record Around(Recording r, int agent, int start, int span) {
        double before(final int feature) {
            return r.mean(agent, feature, start - span, start);
        }

        double after(final int feature) {
            return r.mean(agent, feature, start, start + span);
        }

        double ratio(final int feature) {
            return after(feature) / before(feature);
        }

        double added(final int feature) {
            return after(feature) - before(feature);
        }

        String name() {
            return r.agents.get(agent) + " seed " + r.params.seed();
        }
    }

    private static List<Around> agentsWith(final CompromiseMode mode) {
        final List<Around> out = new ArrayList<>();
        for (final Recording r : DEFAULT_RUNS) {
            for (int i = 0; i < r.agentCount(); i++) {
                final AgentSpec a = r.agents.get(i);
                if (a.mode() == mode) {
                    out.add(new Around(r, i, r.windowStartingAt(a.compromiseStartMicros()), r.windowsIn(30)));
                }
            }
        }
        assertThat(out).as("agents with %s", mode).isNotEmpty();
        return out;
    }

    @Test
    void exfiltrationMultipliesBytesOutAndAddsHostsLeavingTheRestAlone() {
        for (final Around a : agentsWith(CompromiseMode.EXFILTRATION)) {
            assertThat(a.ratio(BYTES_OUT)).as(a.name()).isGreaterThan(6);
            assertThat(a.added(DISTINCT_HOSTS)).as(a.name()).isGreaterThan(2.5);
            assertThat(a.ratio(OPS_PER_MIN)).as(a.name()).isBetween(0.6, 1.7);
            assertThat(a.ratio(TOOL_CALLS_PER_MIN)).as(a.name()).isBetween(0.6, 1.7);
            assertThat(a.ratio(INPUT_TOKENS_PER_OP)).as(a.name()).isBetween(0.8, 1.25);
            assertThat(a.ratio(OUTPUT_TOKENS_PER_OP)).as(a.name()).isBetween(0.8, 1.25);
            assertThat(Math.abs(a.added(DISTINCT_TOOLS))).as(a.name()).isLessThan(1.0);
        }
    }

    @Test
    void runawayLoopExplodesOpsToolCallsAndTokensAndRaisesErrors() {
        for (final Around a : agentsWith(CompromiseMode.RUNAWAY_LOOP)) {
            assertThat(a.ratio(OPS_PER_MIN)).as(a.name()).isGreaterThan(3.5);
            assertThat(a.ratio(TOOL_CALLS_PER_MIN)).as(a.name()).isGreaterThan(3.5);
            assertThat(a.ratio(INPUT_TOKENS_PER_OP)).as(a.name()).isGreaterThan(2.4);
            assertThat(a.ratio(OUTPUT_TOKENS_PER_OP)).as(a.name()).isGreaterThan(2.4);
            assertThat(a.ratio(ERROR_RATE)).as(a.name()).isGreaterThan(1.5);
        }
    }

    @Test
    void toolMisuseAddsNewToolsMoreCallsAndAnErrorRateOfAThirdOrMore() {
        for (final Around a : agentsWith(CompromiseMode.TOOL_MISUSE)) {
            assertThat(a.added(DISTINCT_TOOLS)).as(a.name()).isGreaterThan(2.5);
            assertThat(a.ratio(TOOL_CALLS_PER_MIN)).as(a.name()).isGreaterThan(1.6);
            assertThat(a.before(ERROR_RATE)).as(a.name()).isLessThan(0.2);
            assertThat(a.after(ERROR_RATE)).as(a.name()).isBetween(0.28, 0.8);
            assertThat(a.ratio(OPS_PER_MIN)).as(a.name()).isBetween(0.6, 1.7);
        }
    }

    @Test
    void coordinatedGroupMovesTogetherModeratelyAndInTheSameDirection() {
        for (final Around a : agentsWith(CompromiseMode.COORDINATED_GROUP)) {
            assertThat(a.added(DISTINCT_HOSTS)).as(a.name()).isGreaterThan(1.4);
            assertThat(a.ratio(BYTES_OUT)).as(a.name()).isBetween(2.2, 9.0);
            assertThat(a.added(MODEL_SWITCHES)).as(a.name()).isGreaterThan(0.7);
            assertThat(a.ratio(OPS_PER_MIN)).as(a.name()).isBetween(0.6, 1.7);
        }
    }

    /**
     * Slow drift needs its whole ramp (up to 3 h) inside the run, so this looks at 12-hour runs of
     * small, heavily compromised fleets and keeps the drifting agents whose start leaves 3 hours.
     */
    @Test
    void slowDriftRampsOutputTokensHostsBytesAndSwitchesOverHoursInSmallSteps() {
        int checked = 0;
        for (long seed = 1; seed <= 6; seed++) {
            final Recording r = Recording.of(new FleetParams(seed, 40, 0.5, 10, 0, 12 * 3_600, 3_600));
            final int half = r.windowsIn(30);
            for (int i = 0; i < r.agentCount(); i++) {
                final AgentSpec spec = r.agents.get(i);
                final int start = spec.mode() == CompromiseMode.SLOW_DRIFT ? r.windowStartingAt(spec.compromiseStartMicros()) : -1;
                if (start < 0 || start + r.windowsIn(180) > r.windows()) {
                    continue;
                }
                checked++;
                final String name = spec + " seed " + seed;
                final int lateFrom = start + r.windowsIn(150);
                final int lateTo = start + r.windowsIn(180);
                final double outBefore = r.mean(i, OUTPUT_TOKENS_PER_OP, start - half, start);
                final double outFirstHalfHour = r.mean(i, OUTPUT_TOKENS_PER_OP, start, start + half) / outBefore;
                final double outFirstHour = r.mean(i, OUTPUT_TOKENS_PER_OP, start, start + 2 * half) / outBefore;
                final double outSecondHour = r.mean(i, OUTPUT_TOKENS_PER_OP, start + 2 * half, start + 4 * half) / outBefore;
                final double outLate = r.mean(i, OUTPUT_TOKENS_PER_OP, lateFrom, lateTo) / outBefore;
                assertThat(new double[] {1, outFirstHour, outSecondHour, outLate}).as("%s: output tokens rise hour by hour", name)
                    .isSorted().doesNotHaveDuplicates();
                assertThat(outFirstHalfHour - 1).as("%s: the first half-hour moves little", name).isLessThan(0.35 * (outLate - 1));
                assertThat(outLate).as(name).isGreaterThan(2.0);

                assertThat(r.mean(i, BYTES_OUT, lateFrom, lateTo) / r.mean(i, BYTES_OUT, start - half, start))
                    .as(name).isGreaterThan(2.0);
                assertThat(r.mean(i, DISTINCT_HOSTS, lateFrom, lateTo) - r.mean(i, DISTINCT_HOSTS, start - half, start))
                    .as(name).isGreaterThan(1.5);
                assertThat(r.mean(i, MODEL_SWITCHES, lateFrom, lateTo) - r.mean(i, MODEL_SWITCHES, start - half, start))
                    .as(name).isGreaterThan(0.9);
            }
        }
        assertThat(checked).as("drifting agents with a whole ramp inside the run").isGreaterThanOrEqualTo(5);
    }
}
