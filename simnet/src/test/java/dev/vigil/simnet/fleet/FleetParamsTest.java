package dev.vigil.simnet.fleet;

import dev.vigil.simnet.Simulator;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FleetParamsTest {
    @Test
    void defaultsAreTwoHundredAgentsFivePercentCompromisedTenSecondWindowsForFourHours() {
        final FleetParams p = FleetParams.defaults(7);
        assertThat(p).isEqualTo(new FleetParams(7, 200, 0.05, 10, Simulator.EPOCH_MICROS, 14_400, 3_600));
        assertThat(p.windows()).isEqualTo(1_440);
        assertThat(p.compromisedCount()).isEqualTo(10);
        assertThat(p.endEpochMicros()).isEqualTo(Simulator.EPOCH_MICROS + 14_400_000_000L);
        assertThat(FleetParams.defaults(7, 123).startEpochMicros()).isEqualTo(123);
        assertThat(p.withSeed(8)).isEqualTo(FleetParams.defaults(8));
    }

    @Test
    void compromiseStartsRangeFromTheEarliestWindowToHalfAnHourBeforeTheEnd() {
        final FleetParams p = FleetParams.defaults(1);
        assertThat(p.compromiseEarliestWindow()).isEqualTo(360);
        assertThat(p.compromiseLatestWindow()).isEqualTo(1_440 - 180);
    }

    @Test
    void rejectsParamsOutsideTheirBounds() {
        assertThatThrownBy(() -> new FleetParams(1, 0, 0.05, 10, 0, 14_400, 3_600)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new FleetParams(1, 10_001, 0.05, 10, 0, 14_400, 3_600)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new FleetParams(1, 200, -0.1, 10, 0, 14_400, 3_600)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new FleetParams(1, 200, Double.NaN, 10, 0, 14_400, 3_600)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new FleetParams(1, 200, 0.05, 0, 0, 14_400, 3_600)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new FleetParams(1, 200, 0.05, 10, 0, 5, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new FleetParams(1, 200, 0.05, 10, 0, 14_400, -1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void rejectsCompromisesThatHaveNoRoomToStartButAllowsACleanShortRun() {
        assertThatThrownBy(() -> new FleetParams(1, 200, 0.05, 10, 0, 3_600, 3_600))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no window to start a compromise");
        assertThat(new FleetParams(1, 200, 0, 10, 0, 600, 3_600).windows()).isEqualTo(60);
    }

    @Test
    void agentSpecTiesTheModeToAStartTime() {
        assertThatThrownBy(() -> new AgentSpec("agent-0001", "coder", null, 5)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new AgentSpec("agent-0001", "coder", CompromiseMode.EXFILTRATION, -1))
            .isInstanceOf(IllegalArgumentException.class);
        assertThat(AgentRole.ofLabel("research")).isEqualTo(AgentRole.RESEARCH);
    }

    @Test
    void rampedEffectsGrowLinearlyAndStepEffectsAreFullAtOnce() {
        final Effect ramp = new Effect(1, 1, 1, 4, 1, -1, 10, 6, 0, 2, 7_200_000_000L);
        assertThat(ramp.strength(10_000_000L)).as("one 10 s window into a 2 h ramp").isLessThan(0.0015);
        assertThat(ramp.strength(3_600_000_000L)).isEqualTo(0.5);
        assertThat(ramp.strength(7_200_000_000L)).isEqualTo(1.0);
        assertThat(ramp.strength(20_000_000_000L)).isEqualTo(1.0);
        assertThat(Effect.scaled(10, 0.5)).isEqualTo(5.5);
        final Effect step = new Effect(1, 1, 1, 1, 1, -1, 20, 5, 0, 0, 0);
        assertThat(step.strength(10_000_000L)).isEqualTo(1.0);
    }
}
