package dev.vigil.simnet.tree;

import dev.vigil.daemon.core.CoreConfig;
import dev.vigil.daemon.core.NodeStatus;
import dev.vigil.daemon.core.PeerState;
import dev.vigil.simnet.SimFleet;
import dev.vigil.simnet.SimHost;
import dev.vigil.simnet.WorldMap;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Vivaldi inside the node core: pings and acks carry coordinates, measured round trips refine
 * them. After a minute of probing on the world map, each node predicts its peers' round trips
 * from coordinates alone, close to what it measures.
 */
class CoordinatesInTheCoreTest {
    @Test
    void peersCoordinatesArriveWithProbesAndPredictMeasuredRoundTrips() {
        final SimFleet fleet = new SimFleet(17, WorldMap.defaultMap());
        for (int i = 0; i < 40; i++) {
            final boolean founder = i == 0;
            fleet.addHost(a -> CoreConfig.defaults(a, founder ? List.of() : List.of(SimFleet.addressOf(0))));
        }
        fleet.hosts().forEach(SimHost::start);
        fleet.sim().runFor(90_000_000);

        final List<Double> relativeErrors = new ArrayList<>();
        for (final SimHost h : fleet.hosts()) {
            final NodeStatus s = h.core().status();
            assertThat(s.coordinate().isWithinBounds()).isTrue();
            for (final NodeStatus.PeerView p : s.peers()) {
                if (p.state() == PeerState.ALIVE && p.rttMicrosSmoothed() > 0) {
                    assertThat(p.coordinate()).as("coordinate of an alive peer of host %d", h.index()).isNotNull();
                    final double predictedMs = s.coordinate().distanceMs(p.coordinate());
                    final double measuredMs = p.rttMicrosSmoothed() / 1000.0;
                    relativeErrors.add(Math.abs(predictedMs - measuredMs) / measuredMs);
                }
            }
        }
        relativeErrors.sort(Double::compare);
        assertThat(relativeErrors).hasSizeGreaterThan(100);
        final double median = relativeErrors.get(relativeErrors.size() / 2);
        assertThat(median).as("median relative error of predicted vs measured peer RTT").isLessThan(0.25);
    }
}
