package dev.vigil.simnet.fleet;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Who observes whom: every agent exactly r distinct gateway hosts, of r distinct kinds while
 * r ≤ 3; the hosts' loads within one of each other; shares in range; and the views of a window
 * list exactly the agents the assignment gives each host.
 */
class ObserverAssignmentTest {
    private static final int KINDS = GatewayKind.values().length;

    @Property(tries = 60)
    void everyAgentHasExactlyRDistinctHostsAndLoadsDifferByAtMostOne(
            @ForAll final long seed, @ForAll @IntRange(min = 1, max = 400) final int agents,
            @ForAll @IntRange(min = 0, max = 6) final int r, @ForAll @IntRange(min = 2, max = 9) final int perKind) {
        final SyntheticFleet fleet = new SyntheticFleet(new FleetParams(seed, agents, 0, 10, 0, 3_600, 0, r, perKind));
        final List<ObserverHost> hosts = fleet.observerHosts();
        assertThat(hosts).hasSize(r == 0 ? 0 : KINDS * perKind);
        final int[] load = new int[hosts.size()];
        final int[] kindLoad = new int[KINDS];
        for (int i = 0; i < agents; i++) {
            final List<ObserverHost> mine = fleet.observersOf(i);
            assertThat(mine).as("agent %d's observers", i).hasSize(r).doesNotHaveDuplicates();
            final int[] ofKind = new int[KINDS];
            for (final ObserverHost h : mine) {
                load[h.index()]++;
                kindLoad[h.kind().ordinal()]++;
                ofKind[h.kind().ordinal()]++;
                assertThat(fleet.observedBy(h)).as("%s observes agent %d", h.id(), i).contains(fleet.agents().get(i));
            }
            for (int k = 0; k < KINDS; k++) {
                // r slots cycle through the kinds: each kind ⌊r/3⌋ or ⌈r/3⌉ times
                assertThat(ofKind[k]).as("agent %d's observers of kind %d", i, k).isBetween(r / KINDS, (r + KINDS - 1) / KINDS);
            }
        }
        for (final ObserverHost h : hosts) {
            assertThat(fleet.observedBy(h)).hasSize(load[h.index()]);
            assertThat(h).isEqualTo(hosts.get(h.index()));
        }
        if (r > 0) {
            assertThat(max(load) - min(load)).as("spread of the hosts' loads %s", java.util.Arrays.toString(load)).isLessThanOrEqualTo(1);
            assertThat(max(kindLoad) - min(kindLoad)).isLessThanOrEqualTo(1);
        }
    }

    @Test
    void withTheDefaultsEachPairOfKindsObservesAThirdOfTheAgents() {
        final SyntheticFleet fleet = new SyntheticFleet(FleetParams.defaults(5));
        assertThat(fleet.observerHosts()).extracting(ObserverHost::id).containsExactly(
            "llm-gateway-00", "llm-gateway-01", "llm-gateway-02", "llm-gateway-03",
            "tool-server-00", "tool-server-01", "tool-server-02", "tool-server-03",
            "egress-proxy-00", "egress-proxy-01", "egress-proxy-02", "egress-proxy-03");
        final int[] pairs = new int[KINDS * KINDS];
        for (int i = 0; i < 200; i++) {
            final List<ObserverHost> mine = fleet.observersOf(i);
            pairs[mine.get(0).kind().ordinal() * KINDS + mine.get(1).kind().ordinal()]++;
        }
        // 400 slots: kinds 134, 133, 133; pairs llm+tool, llm+egress, tool+egress 66 or 67 each
        assertThat(pairs[1] + pairs[2] + pairs[5]).isEqualTo(200);
        for (final int pair : new int[] {pairs[1], pairs[2], pairs[5]}) {
            assertThat(pair).isBetween(66, 67);
        }
    }

    @Property(tries = 30)
    void sharesLieInTheirRangeAndAnAgentsHostsOfOneKindCarryAtMostAllOfIt(
            @ForAll final long seed, @ForAll @IntRange(min = 1, max = 60) final int agents,
            @ForAll @IntRange(min = 1, max = 6) final int r) {
        final SyntheticFleet fleet = new SyntheticFleet(new FleetParams(seed, agents, 0, 10, 0, 3_600, 0, r, 2));
        for (int i = 0; i < agents; i++) {
            final double[] ofKind = new double[KINDS];
            for (final ObserverHost h : fleet.observersOf(i)) {
                final double s = fleet.share(i, h);
                ofKind[h.kind().ordinal()] += s;
                // m hosts of one kind draw U[min, max] each and are scaled down together when their sum passes 1
                final long m = fleet.observersOf(i).stream().filter(o -> o.kind() == h.kind()).count();
                assertThat(s).as("agent %d's share at %s", i, h.id())
                    .isBetween(Observers.SHARE_MIN / Math.max(1, m * Observers.SHARE_MAX), Observers.SHARE_MAX);
            }
            for (final double sum : ofKind) {
                assertThat(sum).isLessThanOrEqualTo(1.0 + 1e-12);
            }
            for (final ObserverHost h : fleet.observerHosts()) {
                if (!fleet.observersOf(i).contains(h)) {
                    assertThat(fleet.share(i, h)).isNaN();
                }
            }
        }
    }

    @Test
    void eachWindowsViewsListExactlyTheAssignedAgentsInAgentOrder() {
        final SyntheticFleet fleet = new SyntheticFleet(new FleetParams(9, 50, 0.2, 10, 0, 2 * 3_600, 0, 3, 2));
        while (fleet.hasNext()) {
            final List<ObserverHost> delivered = new ArrayList<>();
            fleet.nextWindow((agent, end, raw, label) -> { }, (host, end, seen) -> {
                delivered.add(host);
                assertThat(end).isEqualTo(fleet.nowMicros());
                assertThat(seen.stream().map(ObservedAgent::agent).toList()).isEqualTo(fleet.observedBy(host));
                final Set<double[]> arrays = new HashSet<>();
                for (final ObservedAgent o : seen) {
                    assertThat(o.raw()).hasSize(SyntheticFleet.FEATURES);
                    assertThat(arrays.add(o.raw())).as("a fresh array per view").isTrue();
                    assertThat(o.compromisedNow()).isEqualTo(o.agent().compromisedAt(end - fleet.params().windowMicros()));
                }
            });
            assertThat(delivered).isEqualTo(fleet.observerHosts());
        }
    }

    @Test
    void withoutObserversThereAreNoHostsAndNoViews() {
        final SyntheticFleet fleet = new SyntheticFleet(FleetParams.defaults(3).withObservers(0, 1));
        assertThat(fleet.observerHosts()).isEmpty();
        assertThat(fleet.observersOf(0)).isEmpty();
        final int[] calls = {0};
        fleet.nextWindow((agent, end, raw, label) -> { }, (host, end, seen) -> calls[0]++);
        assertThat(calls[0]).isZero();
    }

    @Test
    void paramsRefuseAGatewayTierThatCannotGiveDistinctHosts() {
        final FleetParams d = FleetParams.defaults(1);
        assertThat(d.observersPerAgent()).isEqualTo(2);
        assertThat(d.gatewaysPerKind()).isEqualTo(4);
        assertThat(d.withSeed(2).observersPerAgent()).isEqualTo(2);
        assertThat(d.withObservers(6, 2).withSeed(3).gatewaysPerKind()).isEqualTo(2);
        assertThatThrownBy(() -> d.withObservers(-1, 4)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> d.withObservers(7, 4)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> d.withObservers(2, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> d.withObservers(2, 65)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> d.withObservers(4, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThat(d.withObservers(3, 1).gatewaysPerKind()).isEqualTo(1);
    }

    private static int max(final int[] xs) {
        return java.util.Arrays.stream(xs).max().orElse(0);
    }

    private static int min(final int[] xs) {
        return java.util.Arrays.stream(xs).min().orElse(0);
    }
}
