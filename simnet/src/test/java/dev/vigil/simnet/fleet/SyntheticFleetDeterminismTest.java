package dev.vigil.simnet.fleet;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

import java.util.NoSuchElementException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SyntheticFleetDeterminismTest {
    private static final long HOUR_S = 3_600;

    @Test
    void sameSeedGivesBitIdenticalObservationsLabelsAndAgents() {
        assertThat(Recording.digest(FleetParams.defaults(42))).isEqualTo(Recording.digest(FleetParams.defaults(42)));
        assertThat(new SyntheticFleet(FleetParams.defaults(42)).agents())
            .isEqualTo(new SyntheticFleet(FleetParams.defaults(42)).agents());
    }

    @Test
    void differentSeedsGiveDifferentObservationsAndCompromises() {
        assertThat(Recording.digest(FleetParams.defaults(1))).isNotEqualTo(Recording.digest(FleetParams.defaults(2)));
        assertThat(new SyntheticFleet(FleetParams.defaults(1)).agents())
            .isNotEqualTo(new SyntheticFleet(FleetParams.defaults(2)).agents());
    }

    @Property(tries = 25)
    void anyParamsReplayIdentically(@ForAll final long seed, @ForAll @IntRange(min = 1, max = 30) final int agents,
                                    @ForAll @DoubleRange(min = 0, max = 1) final double fraction) {
        final FleetParams p = new FleetParams(seed, agents, fraction, 10, 1_700_000_000_000_000L, 2 * HOUR_S, HOUR_S / 2);
        assertThat(Recording.digest(p)).isEqualTo(Recording.digest(p));
    }

    @Test
    void windowsAdvanceByOneWindowUntilTheDurationIsUsedUp() {
        final FleetParams p = FleetParams.defaults(3);
        final SyntheticFleet fleet = new SyntheticFleet(p);
        assertThat(fleet.nowMicros()).isEqualTo(p.startEpochMicros() + 10_000_000L);
        final long[] ends = new long[1];
        fleet.nextWindow((agent, end, raw, label) -> ends[0] = end);
        assertThat(ends[0]).isEqualTo(p.startEpochMicros() + 10_000_000L);
        assertThat(fleet.nowMicros()).isEqualTo(p.startEpochMicros() + 20_000_000L);
        final int[] observations = {p.agents()};
        fleet.run((agent, end, raw, label) -> observations[0]++);
        assertThat(observations[0]).isEqualTo(200 * 1_440);
        assertThat(fleet.windowsGenerated()).isEqualTo(1_440);
        assertThat(fleet.hasNext()).isFalse();
        assertThatThrownBy(() -> fleet.nextWindow((agent, end, raw, label) -> { }))
            .isInstanceOf(NoSuchElementException.class);
    }
}
