package dev.vigil.daemon.detect;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Status changes to the observation. Far-off observations have their log-likelihood ratio
 * clipped at llrMax = 4, so the CUSUM climbs by exactly 4 per observation and lands exactly on
 * the levels: evidence from suspectAt / 2 = 8, suspect at 16, alarmed at 32.
 */
class DetectorStatusTest {
    private static final long T0 = 1_767_225_600_000_000L;
    private static final long MINUTE = 60_000_000L;
    private static final double[] TYPICAL = {10, 5, 3, 1000, 200, 0.01, 800, 2, 5000, 1};

    private final DetectionConfig config = new DetectionConfig(60, 1440, 0, 20, 1.5, 4.0, Double.NEGATIVE_INFINITY, 16, 32, 0.01,
        0.999, 10, 300);
    private final Detector detector = new Detector(FeatureSchema.agentDefault(), config);
    private final SplittableRandom random = new SplittableRandom(3);
    private long t = T0;

    private double[] typical() {
        final double[] raw = TYPICAL.clone();
        for (int i = 0; i < raw.length; i++) {
            raw[i] *= 1 + 0.2 * (random.nextDouble() - 0.5);
        }
        return raw;
    }

    /** Far off in ops (x30), tool calls (x3) and input tokens (x1000): those three lead the evidence. */
    private static double[] farOff() {
        final double[] raw = TYPICAL.clone();
        raw[0] *= 30;
        raw[1] *= 3;
        raw[3] *= 1000;
        return raw;
    }

    /** Sixty typical minutes: the agent has a baseline of its own. */
    private void warm(final String agent) {
        for (int i = 0; i < 60; i++) {
            assertThat(detector.observe(agent, "coder", t, typical()).accepted()).isTrue();
            t += MINUTE;
        }
    }

    @Test
    void theCusumClimbsByTheClipAndTheStatusMovesExactlyAtItsLevels() {
        warm("a");
        for (int k = 1; k <= 8; k++) {
            assertThat(detector.observe("a", "coder", t, farOff())).isEqualTo(Detector.Outcome.SCORED);
            final Detector.AgentSummary s = detector.agents().get(0);
            assertThat(s.cusum()).as("after %d far-off observations", k).isEqualTo(4.0 * k);
            assertThat(s.status()).as("cusum %s", s.cusum())
                .isEqualTo(k < 4 ? AgentStatus.NORMAL : k < 8 ? AgentStatus.SUSPECT : AgentStatus.ALARMED);
            assertThat(s.lastBaseline()).isEqualTo("own");
            t += MINUTE;
        }
        final long alarmedAt = t - MINUTE;
        final Detector.AgentDetail d = detector.agent("a");
        assertThat(d.transitions()).containsExactly(
            new Detector.Transition(alarmedAt - 4 * MINUTE, AgentStatus.NORMAL, AgentStatus.SUSPECT, 16),
            new Detector.Transition(alarmedAt, AgentStatus.SUSPECT, AgentStatus.ALARMED, 32));
        assertThat(d.summary().alarmedMicros()).isEqualTo(alarmedAt);
        assertThat(d.summary().statusSinceMicros()).isEqualTo(alarmedAt);
        assertThat(d.evidence()).as("from cusum 8 on").hasSize(7);
        assertThat(d.evidence().get(0).cusum()).isEqualTo(8);
        assertThat(d.alarmEvidence()).hasSize(7);
        assertThat(d.evidence().get(0).top()).extracting(Evidence.Deviation::feature)
            .containsExactly(FeatureSchema.INPUT_TOKENS_PER_OP, FeatureSchema.OPS_PER_MIN, FeatureSchema.TOOL_CALLS_PER_MIN);
        final List<Evidence.Deviation> top = d.evidence().get(0).top();
        assertThat(Math.abs(top.get(0).z())).isGreaterThan(Math.abs(top.get(1).z()));
        assertThat(top.get(0).value()).isEqualTo(Math.log1p(TYPICAL[3] * 1000));
        assertThat(top.get(0).z()).isEqualTo((top.get(0).value() - top.get(0).mean())
            / Math.sqrt(d.baseline().get(3).sd() * d.baseline().get(3).sd() + config.varianceFloor()), org.assertj.core.api.Assertions.within(1e-9));

        final Detector.Counters c = detector.counters();
        assertThat(c.alarmed()).isEqualTo(1);
        assertThat(c.suspect()).isZero();
        assertThat(c.alarmsRaised()).isEqualTo(1);
        assertThat(c.excludedFromBaseline()).as("far-off observations stay out of the baseline").isEqualTo(8);

        assertThat(detector.release("a", t)).isTrue();
        assertThat(detector.agents().get(0).status()).isEqualTo(AgentStatus.NORMAL);
        assertThat(detector.agents().get(0).cusum()).isZero();
        assertThat(detector.agent("a").transitions()).last()
            .isEqualTo(new Detector.Transition(t, AgentStatus.ALARMED, AgentStatus.NORMAL, 0));
        assertThat(detector.release("nobody", t)).isFalse();
    }

    @Test
    void aSuspectAgentWhoseCusumFallsBackToZeroIsNormalAgain() {
        warm("b");
        for (int k = 1; k <= 4; k++) {
            detector.observe("b", null, t, farOff());
            t += MINUTE;
        }
        assertThat(detector.counters().suspect()).isEqualTo(1);
        int typical = 0;
        while (detector.agents().get(0).cusum() > 0) {
            assertThat(detector.agents().get(0).status()).isEqualTo(AgentStatus.SUSPECT);
            detector.observe("b", null, t, typical());
            t += MINUTE;
            typical++;
        }
        assertThat(typical).as("typical observations pull the cusum down").isBetween(2, 60);
        assertThat(detector.agents().get(0).status()).isEqualTo(AgentStatus.NORMAL);
        assertThat(detector.agents().get(0).role()).as("a null role keeps the known one").isEqualTo("coder");
        assertThat(detector.counters().suspect()).isZero();
    }

    @Test
    void atTheAgentBoundTheStalestAgentIsEvictedOnlyAfterAWholeWindowOfSilence() {
        final DetectionConfig small = new DetectionConfig(1, 2, 0, 2, 1.5, 4.0, Double.NEGATIVE_INFINITY, 16, 32, 0.01, 0.999, 1, 300);
        final Detector one = new Detector(FeatureSchema.agentDefault(), small);
        assertThat(one.observe("a", null, T0, TYPICAL).accepted()).isTrue();
        assertThat(one.observe("b", null, T0 + 2_000_000, TYPICAL)).isEqualTo(Detector.Outcome.REFUSED_AGENTS_FULL);
        assertThat(one.observe("b", null, T0 + 2_000_001, TYPICAL).accepted()).isTrue();
        assertThat(one.agents()).extracting(Detector.AgentSummary::agent).containsExactly("b");
        assertThat(one.counters().evictedSilent()).isEqualTo(1);
        assertThat(one.counters().refusedAgentsFull()).isEqualTo(1);
    }

    @Test
    void agentsArePagedInIdOrder() {
        for (final String id : new String[] {"c", "a", "d", "b"}) {
            detector.observe(id, null, t, TYPICAL);
        }
        assertThat(detector.agentsAfter("", 2)).extracting(Detector.AgentSummary::agent).containsExactly("a", "b");
        assertThat(detector.agentsAfter("b", 2)).extracting(Detector.AgentSummary::agent).containsExactly("c", "d");
        assertThat(detector.agentsAfter("d", 2)).isEmpty();
        assertThat(detector.agentsAfter("a", 0)).isEmpty();
        assertThat(detector.agents()).extracting(Detector.AgentSummary::agent).containsExactly("a", "b", "c", "d");
        assertThat(detector.agentCount()).isEqualTo(4);
        assertThat(detector.schema()).isSameAs(FeatureSchema.agentDefault());
        assertThat(detector.agent("nobody")).isNull();
        assertThat(detector.record("nobody")).isNull();
    }

    @Test
    void theStatusListenerIsToldOfEveryChangeWithTheAlarmsEvidenceAndOfTheRelease() {
        final List<String> told = new java.util.ArrayList<>();
        detector.setStatusListener((agent, role, change, evidence) ->
            told.add(agent + " " + role + " " + change.from().label() + ">" + change.to().label() + " cusum " + change.cusum()
                + " evidence " + evidence.size()));
        warm("a");
        for (int k = 1; k <= 9; k++) {
            detector.observe("a", "coder", t, farOff());
            t += MINUTE;
        }
        assertThat(detector.release("a", t)).isTrue();
        assertThat(detector.release("a", t)).as("normal already: no change").isTrue();

        assertThat(told).containsExactly(
            "a coder normal>suspect cusum 16.0 evidence 0",
            "a coder suspect>alarmed cusum 32.0 evidence 7",
            "a coder alarmed>normal cusum 0.0 evidence 0");
    }

    @Test
    void onlyScoredAndWarmingUpObservationsAreAccepted() {
        assertThat(Detector.Outcome.SCORED.accepted()).isTrue();
        assertThat(Detector.Outcome.WARMING_UP.accepted()).isTrue();
        assertThat(Detector.Outcome.EXCLUDED_TOO_OLD.accepted()).isFalse();
        assertThat(Detector.Outcome.REFUSED_AGENTS_FULL.accepted()).isFalse();
        assertThat(Detector.Outcome.REFUSED_STORE.accepted()).isFalse();
    }
}
