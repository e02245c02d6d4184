package dev.vigil.simnet.fleet;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The gateway tier is as reproducible as the home views, and leaves them alone: same parameters
 * ⇒ the same views bit for bit; the home views are the bits the generator gave before it had a
 * gateway tier, with the tier on, off, or asked for in some windows only.
 */
class ObserverDeterminismTest {
    private static final long HOUR_S = 3_600;

    /**
     * {@link Recording#digest} of three fleets as the generator produced them before observers
     * existed (commit 30c8b5f); the demo's and the regression suite's figures rest on these bits.
     */
    private static final String HOME_DEFAULTS_42 = "a460750c4bec6a58fd6953d0540347104bc5323fef2db4fdfc90f6a36565a59a";
    private static final String HOME_DEFAULTS_1 = "43ade76967050be3eea41d2e269ad78748809d1dcd124f7ef6ad0904aa4574b2";
    private static final String HOME_DAY = "b391ca5f64bf4a7dc3618fb3f0f5d42c396ffd27fcf4c17b5bdf402033237987";

    private static FleetParams day() {
        return new FleetParams(7, 50, 0.2, 10, 0, 24 * HOUR_S, 2 * HOUR_S);
    }

    @Test
    void homeViewsAreTheBitsOfTheGeneratorBeforeObserversWithTheTierOnOrOff() {
        assertThat(Recording.digest(FleetParams.defaults(42))).isEqualTo(HOME_DEFAULTS_42);
        assertThat(Recording.digest(FleetParams.defaults(1))).isEqualTo(HOME_DEFAULTS_1);
        assertThat(Recording.digest(day())).isEqualTo(HOME_DAY);
        assertThat(Recording.digest(FleetParams.defaults(42).withObservers(0, 1))).isEqualTo(HOME_DEFAULTS_42);
        assertThat(Recording.digest(FleetParams.defaults(1).withObservers(6, 2))).isEqualTo(HOME_DEFAULTS_1);
    }

    @Test
    void homeViewsDoNotChangeWhenTheConsumerTakesTheGatewayViews() {
        assertThat(ObserverDigests.of(FleetParams.defaults(42)).home).isEqualTo(HOME_DEFAULTS_42);
        assertThat(ObserverDigests.of(day().withObservers(3, 2)).home).isEqualTo(HOME_DAY);
    }

    @Test
    void sameSeedGivesBitIdenticalGatewayViewsAndAssignment() {
        final ObserverDigests a = ObserverDigests.of(FleetParams.defaults(42));
        final ObserverDigests b = ObserverDigests.of(FleetParams.defaults(42));
        assertThat(a.observers).isEqualTo(b.observers);
        assertThat(a.views).isEqualTo(200L * 2 * 1_440);
        assertThat(hostsOfEveryAgent(new SyntheticFleet(FleetParams.defaults(42))))
            .isEqualTo(hostsOfEveryAgent(new SyntheticFleet(FleetParams.defaults(42))));
    }

    @Test
    void differentSeedsGiveDifferentGatewayViewsAndAssignments() {
        assertThat(ObserverDigests.of(FleetParams.defaults(1)).observers)
            .isNotEqualTo(ObserverDigests.of(FleetParams.defaults(2)).observers);
        assertThat(hostsOfEveryAgent(new SyntheticFleet(FleetParams.defaults(1))))
            .isNotEqualTo(hostsOfEveryAgent(new SyntheticFleet(FleetParams.defaults(2))));
    }

    @Test
    void aWindowsViewsDoNotDependOnWhichEarlierWindowsViewsWereAskedFor() {
        final FleetParams p = new FleetParams(3, 30, 0.3, 10, 0, 3 * HOUR_S, HOUR_S);
        // views asked for in the windows ≡ 1 mod 3 only, against views of every window kept for the same ones
        final List<double[]> askedAlways = viewsOfWindows(p, w -> true, w -> w % 3 == 1);
        final List<double[]> askedSometimes = viewsOfWindows(p, w -> w % 3 == 1, w -> w % 3 == 1);
        assertThat(askedSometimes).hasSameSizeAs(askedAlways);
        for (int i = 0; i < askedAlways.size(); i++) {
            assertThat(askedSometimes.get(i)).as("view %d", i).isEqualTo(askedAlways.get(i));
        }
    }

    @Property(tries = 20)
    void anyParamsReplayIdentically(@ForAll final long seed, @ForAll @IntRange(min = 1, max = 20) final int agents,
                                    @ForAll @IntRange(min = 0, max = 6) final int observers,
                                    @ForAll @IntRange(min = 2, max = 5) final int perKind) {
        final FleetParams p = new FleetParams(seed, agents, 0.3, 10, 0, HOUR_S, HOUR_S / 4, observers, perKind);
        final ObserverDigests a = ObserverDigests.of(p);
        final ObserverDigests b = ObserverDigests.of(p);
        assertThat(a.observers).isEqualTo(b.observers);
        assertThat(a.home).isEqualTo(b.home).isEqualTo(ObserverDigests.of(p.withObservers(0, 1)).home);
        assertThat(a.views).isEqualTo((long) agents * observers * p.windows());
    }

    private static List<List<String>> hostsOfEveryAgent(final SyntheticFleet fleet) {
        final List<List<String>> out = new ArrayList<>();
        for (int i = 0; i < fleet.agents().size(); i++) {
            final int agent = i;
            out.add(fleet.observersOf(i).stream().map(h -> h.id() + "=" + fleet.share(agent, h)).toList());
        }
        return out;
    }

    /** Every view of the windows {@code keep} accepts, in delivery order, with views asked for in the windows {@code ask} accepts. */
    private static List<double[]> viewsOfWindows(final FleetParams p, final java.util.function.IntPredicate ask,
                                                 final java.util.function.IntPredicate keep) {
        final SyntheticFleet fleet = new SyntheticFleet(p);
        final List<double[]> out = new ArrayList<>();
        while (fleet.hasNext()) {
            final int w = fleet.windowsGenerated();
            if (ask.test(w)) {
                fleet.nextWindow((agent, end, raw, label) -> { }, (host, end, seen) -> {
                    if (keep.test(w)) {
                        seen.forEach(o -> out.add(o.raw()));
                    }
                });
            } else {
                fleet.nextWindow((agent, end, raw, label) -> { });
            }
        }
        return out;
    }
}
