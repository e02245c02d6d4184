package dev.vigil.simnet;

import dev.vigil.daemon.core.CoreConfig;
import dev.vigil.daemon.core.PeerState;
import dev.vigil.crypto.NodeIds;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class SimNetworkTest {
    private static SimFleet twoNodes() {
        final SimFleet fleet = new SimFleet(5, WorldMap.defaultMap());
        fleet.addHost(a -> CoreConfig.defaults(a, List.of()));
        fleet.addHost(a -> CoreConfig.defaults(a, List.of(SimFleet.addressOf(0))));
        fleet.hosts().forEach(SimHost::start);
        fleet.sim().runFor(3_000_000);
        return fleet;
    }

    private static PeerState view(final SimFleet fleet, final int from, final int of) {
        return fleet.host(from).core().status().peerState(NodeIds.toHex(fleet.host(of).nodeId()));
    }

    @Test
    void twoWayPartitionMakesBothSidesDeclareTheOtherDeadAndHealingRestoresThem() {
        final SimFleet fleet = twoNodes();
        assertThat(view(fleet, 0, 1)).isEqualTo(PeerState.ALIVE);
        fleet.network().partition(List.of(fleet.host(1)), true);
        fleet.sim().runFor(8_000_000);
        assertThat(view(fleet, 0, 1)).isEqualTo(PeerState.DEAD);
        assertThat(view(fleet, 1, 0)).isEqualTo(PeerState.DEAD);
        assertThat(fleet.network().droppedPartition()).isPositive();
        fleet.network().heal();
        fleet.sim().runFor(15_000_000);
        assertThat(view(fleet, 0, 1)).isEqualTo(PeerState.ALIVE);
        assertThat(view(fleet, 1, 0)).isEqualTo(PeerState.ALIVE);
    }

    @Test
    void oneWayPartitionSilencesOnlyTheBlockedDirection() {
        final SimFleet fleet = twoNodes();
        // host 1 can no longer reach host 0; host 0 still reaches host 1
        fleet.network().partition(List.of(fleet.host(1)), false);
        fleet.sim().runFor(8_000_000);
        assertThat(view(fleet, 0, 1)).as("host 0 hears nothing from host 1").isEqualTo(PeerState.DEAD);
        assertThat(view(fleet, 1, 0)).as("host 1 still hears host 0's probes").isEqualTo(PeerState.ALIVE);
    }

    @Test
    void latencyGrowsWithDistanceOnTheMap() {
        final WorldMap map = WorldMap.defaultMap();
        final long near = map.latencyMicros(50.1, 8.7, 53.3, -6.3);    // Frankfurt - Dublin
        final long far = map.latencyMicros(50.1, 8.7, 35.7, 139.7);    // Frankfurt - Tokyo
        assertThat(near).isBetween(5_000L, 15_000L);
        assertThat(far).isBetween(60_000L, 90_000L);
    }
}
