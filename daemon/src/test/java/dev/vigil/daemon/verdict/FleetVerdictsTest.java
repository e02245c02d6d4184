package dev.vigil.daemon.verdict;

import dev.vigil.crypto.verdict.VerdictCertificate;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Five nodes run fleet verdicts end to end in memory: the root issues a directory, committees
 * form, observers send excursions, the committee decides, members sign, a certificate assembles
 * and floods to every node, and it verifies with the CA key alone.
 */
class FleetVerdictsTest {
    private static final VerdictConfig CONFIG = VerdictConfig.defaults().withShards(4).withDirectoryInterval(1_000_000);

    /** One scored window of {@code agent} at {@code observer}, its CUSUM climbing by {@code llr} from {@code before}. */
    private static double score(final VerdictNet.Node observer, final String agent, final double llr, final double before) {
        final double after = Math.max(0, before + llr);
        observer.verdicts.onScore(agent, llr, after);
        return after;
    }

    @Test
    void anAgentItsHomeHidesIsConvictedByTwoGatewaysAndEveryNodeGetsAVerifyingCertificate() {
        final VerdictNet net = new VerdictNet(5, CONFIG);
        net.run(3_000_000);
        for (final VerdictNet.Node n : net.nodes) {
            assertThat(n.verdicts.directory()).as("node " + n.index + " holds the root's directory").isNotNull();
            assertThat(n.verdicts.directory().candidates()).hasSize(5);
        }
        final VerdictNet.Node home = net.nodes.get(1);
        final VerdictNet.Node gatewayA = net.nodes.get(2);
        final VerdictNet.Node gatewayB = net.nodes.get(3);
        double a = 0;
        double b = 0;
        double h = 0;
        // tempered by 1/3 (verdicts.llr_temper), 15 windows of 4 and 3.5 give the gateways totals of 20 and 17.5
        for (int w = 0; w < 15; w++) {
            a = score(gatewayA, "rogue", 4.0, a);
            b = score(gatewayB, "rogue", 3.5, b);
            h = score(home, "rogue", -1.0, h); // the home host reports nothing unusual
            net.run(300_000);
        }
        net.run(3_000_000);
        for (final VerdictNet.Node n : net.nodes) {
            assertThat(n.received).as("node " + n.index + " holds the verdict").hasSize(1);
            final VerdictCertificate c = n.received.get(0);
            assertThat(c.verdict().agentId()).isEqualTo("rogue");
            assertThat(c.verify(net.ca.publicKey(), 1).isValid()).as(c.verify(net.ca.publicKey(), 1).toString()).isTrue();
        }
        assertThat(net.nodes.stream().mapToLong(n -> n.verdicts.counters().certificatesAssembled()).sum()).isPositive();
        if (Boolean.getBoolean("verdicts.debug")) {
            for (final VerdictNet.Node n : net.nodes) {
                System.out.println("node " + n.index + " view changes " + n.verdicts.viewChanges() + " refusals " + n.verdicts.replicaRefusals()
                    + " counters " + n.verdicts.counters().snapshot());
            }
        }
    }

    @Test
    void oneLyingObserverAloneNeverConvicts() {
        final VerdictNet net = new VerdictNet(5, CONFIG);
        net.run(3_000_000);
        final VerdictNet.Node liar = net.nodes.get(4);
        double x = 0;
        for (int w = 0; w < 20; w++) {
            x = score(liar, "innocent", 10.0, x); // frames an agent with the largest increments it can
            net.run(300_000);
        }
        net.run(3_000_000);
        for (final VerdictNet.Node n : net.nodes) {
            assertThat(n.received).isEmpty();
        }
        assertThat(liar.verdicts.counters().evidenceRecordsSent()).as("the framing evidence did reach the committee").isPositive();
    }
}
