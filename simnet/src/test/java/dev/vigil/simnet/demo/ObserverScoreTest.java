package dev.vigil.simnet.demo;

import dev.vigil.daemon.detect.DetectionConfig;
import dev.vigil.simnet.fleet.AgentSpec;
import dev.vigil.simnet.fleet.FleetParams;
import dev.vigil.simnet.fleet.ObserverHost;
import dev.vigil.simnet.fleet.SyntheticFleet;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Observer alarms against labels: what each cell of {@code vigil bench observers} counts. */
class ObserverScoreTest {
    @Test
    void theHomeDetectorsOfAnObserverRunAreInProcessDetectionsOwnAndEachGatewayDetectorHoldsItsHostsAgents() {
        final FleetParams p = new FleetParams(4, 50, 0.2, 10, 0, 4 * 3_600, 3_600);
        final ObserverDetection.Result withObservers = ObserverDetection.run(p, DetectionConfig.defaults(), 5);
        final InProcessDetection.Result homeOnly = InProcessDetection.run(p, DetectionConfig.defaults(), 5);
        assertThat(withObservers.homeAlarmedMicros()).isNotEmpty().isEqualTo(homeOnly.alarmedMicros());
        assertThat(withObservers.homeDetectors()).hasSize(5);
        for (int node = 0; node < 5; node++) {
            // every agent's status, CUSUM, counts, last D² and the baseline it was last scored against
            assertThat(withObservers.homeDetectors().get(node).agents()).as("node %d", node)
                .isNotEmpty().isEqualTo(homeOnly.detectors().get(node).agents());
        }
        assertThat(withObservers.observations()).isEqualTo(homeOnly.observations() * 3);
        assertThat(withObservers.gatewayDetectors()).hasSize(12);
        for (final ObserverHost h : withObservers.fleet().observerHosts()) {
            assertThat(withObservers.gatewayDetectors().get(h.index()).agents()).extracting(d -> d.agent())
                .as("agents %s's detector tracks", h.id())
                .isEqualTo(withObservers.fleet().observedBy(h).stream().map(AgentSpec::id).toList());
            assertThat(withObservers.gatewayAlarmedMicros().get(h.index()).keySet())
                .isSubsetOf(withObservers.fleet().observedBy(h).stream().map(AgentSpec::id).toList());
        }
    }

    @Test
    void eachAlarmCountsOnceInItsObserversCellAndTheEarliestGatewayAlarmAfterTheStartCountsForAnyGateway() {
        final SyntheticFleet fleet = new SyntheticFleet(new FleetParams(8, 20, 0.5, 10, 0, 12 * 3_600, 3_600, 2, 1));
        final List<ObserverHost> hosts = fleet.observerHosts();
        final Map<String, Long> home = new HashMap<>();
        final List<Map<String, Long>> gateways = new ArrayList<>();
        hosts.forEach(h -> gateways.add(new HashMap<>()));
        final AgentSpec compromised = first(fleet, true);
        final int ci = fleet.agents().indexOf(compromised);
        final long start = compromised.compromiseStartMicros();
        final ObserverHost early = fleet.observersOf(ci).get(0);
        final ObserverHost late = fleet.observersOf(ci).get(1);
        home.put(compromised.id(), start + 100_000_000L);
        gateways.get(early.index()).put(compromised.id(), start - 1);          // before the start: not a detection
        gateways.get(late.index()).put(compromised.id(), start + 200_000_000L); // 200 s after
        final AgentSpec clean = first(fleet, false);
        final int cl = fleet.agents().indexOf(clean);
        gateways.get(fleet.observersOf(cl).get(0).index()).put(clean.id(), 5L);

        final ObserverScore score = new ObserverScore().add(new ObserverDetection.Result(fleet, List.of(), List.of(), home,
            gateways, 0));

        @SuppressWarnings("unchecked")
        final Map<String, Map<String, Object>> row = (Map<String, Map<String, Object>>) score.detection().get(compromised.mode().label());
        assertThat(row.get(ObserverDetection.HOME)).containsEntry("detected", 1).containsEntry("delay_median_s", 100.0);
        assertThat(row.get(late.kind().label())).containsEntry("detected", 1).containsEntry("delay_median_s", 200.0);
        assertThat(row.get(early.kind().label())).containsEntry("detected", 0).containsEntry("alarmed_before_start", 1);
        final int ofMode = (int) fleet.agents().stream().filter(a -> a.mode() == compromised.mode()).count();
        assertThat(row.get(ObserverScore.ANY_GATEWAY)).containsEntry("observed", ofMode).containsEntry("detected", 1)
            .containsEntry("delay_median_s", 200.0).containsEntry("alarmed_before_start", 0);

        @SuppressWarnings("unchecked")
        final Map<String, Map<String, Object>> falseAlarms = (Map<String, Map<String, Object>>) (Map<?, ?>) score.falseAlarms();
        final int cleanAgents = (int) fleet.agents().stream().filter(a -> !a.compromised()).count();
        assertThat(falseAlarms.get(ObserverDetection.HOME)).containsEntry("clean_observed", cleanAgents).containsEntry("alarmed", 0);
        assertThat(falseAlarms.get(ObserverScore.ANY_GATEWAY)).containsEntry("clean_observed", cleanAgents)
            .containsEntry("alarmed", 1).containsEntry("per_clean_agent_day", Math.round(1e6 / (cleanAgents * 0.5)) / 1e6);
        int cleanPairs = 0;
        for (final String kind : List.of("llm-gateway", "tool-server", "egress-proxy")) {
            cleanPairs += (int) falseAlarms.get(kind).get("clean_observed");
        }
        assertThat(cleanPairs).isEqualTo(2 * cleanAgents);
    }

    private static AgentSpec first(final SyntheticFleet fleet, final boolean compromised) {
        return fleet.agents().stream().filter(a -> a.compromised() == compromised).findFirst().orElseThrow();
    }
}
