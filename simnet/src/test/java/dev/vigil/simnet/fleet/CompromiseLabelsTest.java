package dev.vigil.simnet.fleet;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

class CompromiseLabelsTest {
    private static final long MINUTE_MICROS = 60_000_000L;

    @Test
    void labelsAreTheSnakeCaseNames() {
        assertThat(Arrays.stream(CompromiseMode.values()).map(CompromiseMode::label))
            .containsExactly("exfiltration", "runaway_loop", "tool_misuse", "slow_drift", "coordinated_group");
    }

    @Test
    void defaultsCompromiseTenAgentsWithAGroupOfFourAndEverySingleModeAtLeastOnce() {
        for (long seed = 1; seed <= 20; seed++) {
            final Map<CompromiseMode, Long> counts = new SyntheticFleet(FleetParams.defaults(seed)).agents().stream()
                .filter(AgentSpec::compromised)
                .collect(Collectors.groupingBy(AgentSpec::mode, () -> new EnumMap<>(CompromiseMode.class), Collectors.counting()));
            assertThat(counts).as("seed %d", seed).containsOnlyKeys(CompromiseMode.values());
            assertThat(counts.get(CompromiseMode.COORDINATED_GROUP)).as("seed %d", seed).isEqualTo(4);
            assertThat(counts.values().stream().mapToLong(Long::longValue).sum()).as("seed %d", seed).isEqualTo(10);
        }
    }

    @Test
    void idsAreOrderedAndRolesFollowTheirShares() {
        final List<AgentSpec> agents = new SyntheticFleet(FleetParams.defaults(5)).agents();
        assertThat(agents).hasSize(200);
        assertThat(agents.get(7).id()).isEqualTo("agent-0007");
        assertThat(agents).extracting(AgentSpec::id).isSorted();
        final Map<String, Long> roles = agents.stream()
            .collect(Collectors.groupingBy(AgentSpec::role, TreeMap::new, Collectors.counting()));
        assertThat(roles).containsExactly(Map.entry("coder", 70L), Map.entry("ops", 30L),
            Map.entry("research", 40L), Map.entry("support", 60L));
    }

    @Test
    void startsAreWindowBoundariesBetweenTheEarliestAndHalfAnHourBeforeTheEnd() {
        for (long seed = 1; seed <= 20; seed++) {
            final FleetParams p = FleetParams.defaults(seed);
            for (final AgentSpec a : new SyntheticFleet(p).agents()) {
                if (!a.compromised()) {
                    assertThat(a.compromiseStartMicros()).isEqualTo(-1);
                    continue;
                }
                final long sinceStart = a.compromiseStartMicros() - p.startEpochMicros();
                assertThat(sinceStart % p.windowMicros()).as(a.id()).isZero();
                assertThat(sinceStart).as(a.id()).isBetween(60 * MINUTE_MICROS, (240 - 30) * MINUTE_MICROS);
            }
        }
    }

    @Test
    void coordinatedGroupSharesOneStartInstantWhileSingleAgentsDrawTheirOwn() {
        for (long seed = 1; seed <= 10; seed++) {
            final SyntheticFleet fleet = new SyntheticFleet(FleetParams.defaults(seed));
            final List<Long> groupStarts = fleet.agents().stream()
                .filter(a -> a.mode() == CompromiseMode.COORDINATED_GROUP)
                .map(AgentSpec::compromiseStartMicros).distinct().toList();
            assertThat(groupStarts).as("seed %d", seed).containsExactly(fleet.coordinatedGroupStartMicros());
            final long singleStarts = fleet.agents().stream()
                .filter(a -> a.compromised() && a.mode() != CompromiseMode.COORDINATED_GROUP)
                .map(AgentSpec::compromiseStartMicros).distinct().count();
            assertThat(singleStarts).as("seed %d: six single agents, each drawn from 901 windows", seed).isGreaterThan(3);
        }
    }

    @Test
    void compromisedNowIsFalseBeforeTheStartTrueFromItOnAndNeverForCleanAgents() {
        final Recording r = Recording.of(FleetParams.defaults(9));
        for (int i = 0; i < r.agentCount(); i++) {
            final AgentSpec a = r.agents.get(i);
            for (int w = 0; w < r.windows(); w++) {
                final long windowStart = r.windowEndMicros[w] - r.params.windowMicros();
                final boolean expected = a.compromised() && windowStart >= a.compromiseStartMicros();
                if (r.compromised[i][w] != expected) {
                    throw new AssertionError(a + " window " + w + " labelled " + r.compromised[i][w]);
                }
            }
            if (a.compromised()) {
                final int first = r.windowStartingAt(a.compromiseStartMicros());
                assertThat(r.compromised[i][first - 1]).isFalse();
                assertThat(r.compromised[i][first]).isTrue();
            }
        }
    }

    @Test
    void noCompromisedFractionMeansACleanFleet() {
        final FleetParams p = new FleetParams(1, 50, 0, 10, 0, 600, 0);
        final SyntheticFleet fleet = new SyntheticFleet(p);
        assertThat(fleet.agents()).noneMatch(AgentSpec::compromised);
        assertThat(fleet.coordinatedGroupStartMicros()).isEqualTo(-1);
        fleet.run((agent, end, raw, label) -> assertThat(label).isFalse());
    }

    @Property(tries = 300)
    void everyModeIsPlannedWhenTheCountAllows(@ForAll @IntRange(min = 0, max = 400) final int compromised,
                                              @ForAll final long seed) {
        final CompromiseMode[] modes = CompromisePlan.modes(compromised, new Noise(new SplittableRandom(seed)));
        assertThat(modes).hasSize(compromised).doesNotContainNull();
        final long group = Arrays.stream(modes).filter(m -> m == CompromiseMode.COORDINATED_GROUP).count();
        assertThat(group).isEqualTo(CompromisePlan.groupSize(compromised));
        if (compromised >= 7) {
            assertThat(modes).contains(CompromiseMode.values());
            assertThat(group).isBetween(3L, Math.max(3L, Math.round(0.4 * compromised)));
        } else {
            assertThat(group).isZero();
            assertThat(Arrays.stream(modes).distinct().count()).isEqualTo(Math.min(compromised, 4));
        }
    }
}
