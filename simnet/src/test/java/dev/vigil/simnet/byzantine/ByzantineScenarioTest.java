package dev.vigil.simnet.byzantine;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code byzantine} scenario on a handful of seeds (the acceptance runs of 50 seeds at f = 1 and
 * 20 at f = 2 are on the command line, see simnet's README), and its checker failing when the
 * trust assumption is broken on purpose.
 */
class ByzantineScenarioTest {
    private static Map<String, Object> run(final long seed, final int f, final boolean ed25519, final ByzantineScenario.Bug bug) {
        return ByzantineScenario.run(new ByzantineScenario.Params(seed, f, ed25519, bug));
    }

    private static void assertPassed(final Map<String, Object> r) {
        assertThat((List<?>)r.get("invariants_failed")).as("seed %s, f %s", r.get("seed"), r.get("f")).isEmpty();
        assertThat(r.get("converged")).isEqualTo(true);
        assertThat(r.get("conflicting_commits")).isEqualTo(0L);
        assertThat((Integer)r.get("verdicts")).isGreaterThanOrEqualTo((Integer)r.get("verdicts_required"));
        assertThat(r.get("certificates_verified")).as("every verdict's certificate verifies offline").isEqualTo((long)(Integer)r.get("verdicts"));
    }

    @Test
    void honestReplicasConvictEveryWellObservedCompromisedAgentAndNoCleanOneAtF1() {
        for (long seed = 1; seed <= 6; seed++) {
            assertPassed(run(seed, 1, false, ByzantineScenario.Bug.NONE));
        }
    }

    @Test
    void theSameHoldsAtF2() {
        for (long seed = 1; seed <= 3; seed++) {
            assertPassed(run(seed, 2, false, ByzantineScenario.Bug.NONE));
        }
    }

    @Test
    void realEd25519SignaturesWorkTheSame() {
        assertPassed(run(7, 1, true, ByzantineScenario.Bug.NONE));
    }

    @Test
    void theSameSeedGivesTheSameReport() {
        assertThat(run(4, 1, false, ByzantineScenario.Bug.NONE)).isEqualTo(run(4, 1, false, ByzantineScenario.Bug.NONE));
    }

    @Test
    void fPlusOneFramingObserversConvictACleanAgentAndTheCheckerSaysSo() {
        for (final int f : new int[] {1, 2}) {
            final Map<String, Object> r = run(3, f, false, ByzantineScenario.Bug.FRAMED_BY_F_PLUS_ONE);
            assertThat((List<?>)r.get("invariants_failed")).as("f %s", f).isNotEmpty()
                .anySatisfy(line -> assertThat(line.toString()).contains("verdict on clean agent").contains("--seed 3"));
        }
    }
}
