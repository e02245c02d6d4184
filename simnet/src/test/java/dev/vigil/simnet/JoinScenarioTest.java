package dev.vigil.simnet;

import dev.vigil.crypto.SignatureScheme;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class JoinScenarioTest {
    private static Map<String, Object> run(final int nodes, final long seed, final double loss) {
        return JoinScenario.run(new JoinScenario.Params(nodes, seed, loss, 1_000_000, 60_000_000), new HostStats());
    }

    @Test
    void twoHundredNodesConvergeWithEveryNodeAcceptedAndNoInvariantBroken() {
        final Map<String, Object> r = run(200, 7, 0);
        assertThat(r.get("converged")).isEqualTo(true);
        assertThat(r.get("joined_nodes")).isEqualTo(200);
        assertThat((List<?>)r.get("invariants_failed")).isEmpty();
        assertThat((int)r.get("max_frame_bytes")).isLessThan(dev.vigil.wire.FrameHeader.FRAME_LENGTH_MAX);
        assertThat(r.get("signatures")).isEqualTo("ed25519");
        assertThat(r.get("outsiders")).isEqualTo(2);
        // the outsiders did try: their certificates were refused, and the membership check above had them to refuse
        assertThat((Long)((Map<?, ?>)r.get("rejected")).get("bad-certificate")).isPositive();
    }

    @Test
    void twoHundredNodesWithSimulatedSignaturesConvergeAndTheReportSaysSo() {
        final Map<String, Object> r = JoinScenario.run(
            new JoinScenario.Params(200, 7, 0, 1_000_000, 60_000_000, SignatureScheme.SIMULATED_INSECURE), new HostStats());

        assertThat(r.get("converged")).isEqualTo(true);
        assertThat(r.get("joined_nodes")).isEqualTo(200);
        assertThat((List<?>)r.get("invariants_failed")).isEmpty();
        assertThat(r.get("signatures")).isEqualTo("simulated");
        final Map<?, ?> rejected = (Map<?, ?>)r.get("rejected");
        assertThat(rejected.get("bad-signature")).isEqualTo(0L);
        assertThat((Long)rejected.get("bad-certificate")).isPositive();
    }

    @Test
    void theSameSeedGivesTheSameReportAndAnotherSeedAnotherRun() throws Exception {
        final String a = SimnetCommand.JSON.writeValueAsString(run(150, 3, 0.01));
        final String b = SimnetCommand.JSON.writeValueAsString(run(150, 3, 0.01));
        final String c = SimnetCommand.JSON.writeValueAsString(run(150, 4, 0.01));
        assertThat(a).isEqualTo(b);
        assertThat(c).isNotEqualTo(a);
    }

    @Test
    void joinStillConvergesWhenTenPercentOfMessagesAreLost() {
        final Map<String, Object> r = run(150, 11, 0.10);
        assertThat(r.get("converged")).isEqualTo(true);
        assertThat((Long)((Map<?, ?>)r.get("dropped")).get("loss")).isPositive();
        assertThat((List<?>)r.get("invariants_failed")).isEmpty();
    }

    @Test
    void aFleetSplitInTwoIsNotConvergedThoughEveryNodeHasALivePeer() {
        final SimFleet fleet = new SimFleet(5, WorldMap.defaultMap(), SignatureScheme.SIMULATED_INSECURE);
        for (int i = 0; i < 12; i++) {
            final boolean founder = i == 0;
            fleet.addHost(a -> dev.vigil.daemon.core.CoreConfig.defaults(a, founder ? List.of() : List.of(SimFleet.addressOf(0))));
        }
        fleet.hosts().forEach(SimHost::start);
        fleet.sim().runFor(5_000_000);
        assertThat(fleet.hosts()).allMatch(h -> h.core().isJoined());
        assertThat(JoinScenario.connected(fleet.hosts())).isTrue();

        fleet.network().partition(fleet.hosts().subList(0, 6), true);
        fleet.sim().runFor(30_000_000);
        // what the old condition asked (each node accepted with a live peer) still holds on both sides
        assertThat(fleet.hosts()).allMatch(h -> h.core().isJoined());
        assertThat(JoinScenario.connected(fleet.hosts())).isFalse();

        fleet.network().heal();
        fleet.sim().runFor(30_000_000);
        assertThat(JoinScenario.connected(fleet.hosts())).isTrue();
    }

    @Test
    void theMembershipCheckReportsAPeerTheFleetsCaNeverCertified() {
        final SimFleet fleet = new SimFleet(6, WorldMap.defaultMap(), SignatureScheme.SIMULATED_INSECURE);
        for (int i = 0; i < 6; i++) {
            final boolean founder = i == 0;
            fleet.addHost(a -> dev.vigil.daemon.core.CoreConfig.defaults(a, founder ? List.of() : List.of(SimFleet.addressOf(0))));
        }
        final java.util.Set<Long> certified = new java.util.HashSet<>();
        fleet.hosts().forEach(h -> certified.add(h.nodeId()));
        final SimHost outsider = fleet.addOutsider(a -> dev.vigil.daemon.core.CoreConfig.defaults(a, List.of(SimFleet.addressOf(0))));
        final SimHost impostor = fleet.addAdmittedOutsider(a -> dev.vigil.daemon.core.CoreConfig.defaults(a, List.of(SimFleet.addressOf(0))));
        fleet.hosts().forEach(SimHost::start);
        fleet.sim().runFor(5_000_000);

        final Invariants invariants = new Invariants();
        invariants.checkMembership(fleet, certified, fleet.sim().nowMicros());
        // the foreign-CA outsider stayed out; the impostor, certified by the fleet's CA after all, got in and is named
        assertThat(invariants.failures()).isNotEmpty().allSatisfy(f -> assertThat(f)
            .contains("lists " + dev.vigil.crypto.NodeIds.toHex(impostor.nodeId()) + ", which the cluster CA never certified"));
        assertThat(String.join("\n", invariants.failures())).doesNotContain(dev.vigil.crypto.NodeIds.toHex(outsider.nodeId()));
    }
}
