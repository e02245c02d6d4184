package dev.vigil.daemon.verdict;

import dev.vigil.crypto.PrivateKey;
import dev.vigil.crypto.verdict.Verdict;
import dev.vigil.crypto.verdict.VerdictCertificate;
import dev.vigil.crypto.verdict.VerdictSignature;
import dev.vigil.daemon.consensus.Committees;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

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

    /** The gateways' 15 windows of the first test: enough for the committee to convict "rogue" from totals of 0. */
    private static void gatewaysSeeRogue(final VerdictNet net, final double[] cusums) {
        for (int w = 0; w < 15; w++) {
            cusums[0] = score(net.nodes.get(2), "rogue", 4.0, cusums[0]);
            cusums[1] = score(net.nodes.get(3), "rogue", 3.5, cusums[1]);
            net.run(300_000);
        }
        net.run(3_000_000);
    }

    private static List<String> ids(final VerdictNet.Node n) {
        return n.received.stream().map(c -> c.verdict().id()).toList();
    }

    /** The operator's release of {@code convict}, as {@code vigil verdicts release} makes it, signed with {@code signer}. */
    static VerdictCertificate release(final VerdictCertificate convict, final PrivateKey signer, final long issuedAtMicros) {
        final Verdict c = convict.verdict();
        final Verdict r = Verdict.release(c.agentId(), c.id()).f(c.f()).shard(c.shard()).epoch(c.epoch()).view(c.view())
            .sequence(c.sequence()).issuedAtMicros(issuedAtMicros).versionVectorDigest(c.versionVectorDigest()).build();
        return VerdictCertificate.ofOperator(r, VerdictSignature.signAsOperator(r, signer));
    }

    /** Whether the seats of the agent's shard (every node's, current epoch) hold it convicted; at least 2f + 1 seats. */
    private static List<Boolean> seatsConvict(final VerdictNet net, final String agent) {
        final String shard = Committees.shardOf(agent, CONFIG.shards()) + "/" + net.nodes.get(0).verdicts.directory().epoch();
        final List<Boolean> out = new java.util.ArrayList<>();
        for (final VerdictNet.Node n : net.nodes) {
            final Map<String, Boolean> seats = n.verdicts.convictedBySeat(agent);
            if (seats.containsKey(shard)) {
                out.add(seats.get(shard));
            }
        }
        assertThat(out).as("the seats of " + shard).hasSizeGreaterThanOrEqualTo(3);
        return out;
    }

    @Test
    void anOperatorReleaseReachesEveryNodeClearsTheCommitteeAndNewEvidenceConvictsAgain() {
        final VerdictNet net = new VerdictNet(5, CONFIG);
        net.run(3_000_000);
        final double[] cusums = new double[2];
        gatewaysSeeRogue(net, cusums);
        final VerdictNet.Node api = net.nodes.get(4);
        assertThat(api.received).hasSize(1);
        final VerdictCertificate convict = api.received.get(0);
        assertThat(seatsConvict(net, "rogue")).containsOnly(true);

        final VerdictCertificate release = release(convict, net.caKey, net.now);
        assertThat(api.verdicts.release(release, convict)).isEqualTo(FleetVerdicts.ReleaseOutcome.TAKEN);
        net.run(3_000_000);
        for (final VerdictNet.Node n : net.nodes) {
            // members assemble their own 2f + 1 signatures: the verdict is one, the certificates may differ in signers
            assertThat(ids(n)).as("node " + n.index + " holds the release").containsExactly(convict.verdict().id(), release.verdict().id());
            assertThat(n.received.get(1)).isEqualTo(release);
        }
        assertThat(seatsConvict(net, "rogue")).as("every member's state released the agent").containsOnly(false);
        assertThat(net.nodes.stream().mapToLong(n -> n.verdicts.counters().releasesApplied()).sum()).isGreaterThanOrEqualTo(3);
        // the members submit the flooded release too (in case the node that took it dies): the first copy ordered
        // releases, every member refuses the later ones as not convicted any more
        final long submitted = net.nodes.stream().mapToLong(n -> n.verdicts.counters().releasesSubmitted()).sum();
        assertThat(submitted).isGreaterThan(1);
        assertThat(net.nodes.stream().mapToLong(n -> n.verdicts.counters().releasesRefused()).sum()).isEqualTo((submitted - 1) * 4);
        assertThat(api.verdicts.counters().releasesSubmitted()).isEqualTo(1);
        assertThat(api.verdicts.observing().requestsInFlight()).as("the release request is done").isZero();

        // the same evidence as before, new to the committee: a second conviction, a new certificate
        gatewaysSeeRogue(net, cusums);
        for (final VerdictNet.Node n : net.nodes) {
            assertThat(n.received).as("node " + n.index).hasSize(3);
            final VerdictCertificate again = n.received.get(2);
            assertThat(again.verdict().kind()).isEqualTo(Verdict.Kind.CONVICT);
            assertThat(again.verdict().id()).isNotEqualTo(convict.verdict().id());
            assertThat(again.verdict().sequence()).isGreaterThan(convict.verdict().sequence());
            assertThat(again.verify(net.ca.publicKey(), 1).isValid()).isTrue();
        }
        assertThat(seatsConvict(net, "rogue")).containsOnly(true);

        // the first release once more: taken by the node (it is genuine), refused by the committee as stale
        assertThat(api.verdicts.release(release, convict)).isEqualTo(FleetVerdicts.ReleaseOutcome.TAKEN);
        net.run(3_000_000);
        assertThat(seatsConvict(net, "rogue")).containsOnly(true);
        assertThat(net.nodes.stream().mapToLong(n -> n.verdicts.counters().releasesRefused()).sum()).isGreaterThanOrEqualTo(3);
    }

    @Test
    void aReleaseNotSignedByTheCaKeyOrChangedIsRefusedByTheNodeAndByEveryNodeItIsSentTo() {
        final VerdictNet net = new VerdictNet(5, CONFIG);
        net.run(3_000_000);
        gatewaysSeeRogue(net, new double[2]);
        final VerdictNet.Node target = net.nodes.get(2);
        final VerdictNet.Node forger = net.nodes.get(3);
        final VerdictCertificate convict = target.received.get(0);

        final VerdictCertificate byNodeKey = release(convict, forger.key, net.now);
        final VerdictCertificate genuine = release(convict, net.caKey, net.now);
        final byte[] bent = genuine.encoded();
        bent[bent.length - 1] ^= 1;
        final VerdictCertificate changed = VerdictCertificate.decode(bent);
        // a committee-style release: one node's signature, f = 0, is a "quorum" by the certificate's own f
        final Verdict g = genuine.verdict();
        final Verdict f0 = Verdict.release(g.agentId(), g.retractedId()).f(0).shard(g.shard()).epoch(g.epoch()).sequence(g.sequence())
            .issuedAtMicros(g.issuedAtMicros()).versionVectorDigest(g.versionVectorDigest()).build();
        final VerdictCertificate quorumOfOne = VerdictCertificate.ofQuorum(f0, List.of(VerdictSignature.sign(f0, forger.key, forger.certificate)));
        assertThat(quorumOfOne.verify(net.ca.publicKey(), 0).isValid()).as("what the CA key alone would accept").isTrue();

        for (final VerdictCertificate forged : List.of(byNodeKey, changed, quorumOfOne)) {
            assertThat(forger.verdicts.release(forged, convict).problem()).as("through the API").isNotNull();
            target.verdicts.onMessage(forger.key.nodeId(), "n3", new FleetMessage.CertificateMessage(forged).encode());
        }
        assertThat(target.verdicts.counters().refused("certificate")).as("the CA's signature does not verify").isEqualTo(2);
        assertThat(target.verdicts.counters().refused("release-not-operator")).isEqualTo(1);
        assertThat(target.verdicts.internalErrors()).isZero();
        net.run(3_000_000);
        for (final VerdictNet.Node n : net.nodes) {
            assertThat(ids(n)).as("node " + n.index + " kept no forged release").containsExactly(convict.verdict().id());
        }
        assertThat(seatsConvict(net, "rogue")).containsOnly(true);
        assertThat(forger.verdicts.counters().releasesSubmitted()).isZero();
    }

    /**
     * The CA key alone accepts any 2f + 1 certified signers, and with f = 0 one node is a quorum:
     * a node could flood a conviction it signed alone. Nodes also check the committee: the shard is
     * the agent's, the f is its committee's in that epoch and the signers are members; a certificate
     * of an epoch whose directory a node does not hold yet waits for it.
     */
    @Test
    void aConvictionSignedByOneNodeOrByNodesOffTheCommitteeIsRefusedEverywhere() {
        final VerdictNet net = new VerdictNet(5, CONFIG);
        net.run(3_000_000);
        gatewaysSeeRogue(net, new double[2]);
        final VerdictNet.Node target = net.nodes.get(2);
        final VerdictNet.Node forger = net.nodes.get(3);
        final Verdict real = target.received.get(0).verdict();
        final Verdict alone = Verdict.convict(real.agentId()).f(0).shard(real.shard()).epoch(real.epoch()).sequence(real.sequence() + 1)
            .issuedAtMicros(net.now).logOdds(30).posterior(1.0).versionVectorDigest(real.versionVectorDigest()).build();
        final VerdictCertificate byOne = VerdictCertificate.ofQuorum(alone, List.of(VerdictSignature.sign(alone, forger.key, forger.certificate)));
        assertThat(byOne.verify(net.ca.publicKey(), 0).isValid()).as("what the CA key alone would accept").isTrue();
        final Verdict later = Verdict.convict(real.agentId()).f(0).shard(real.shard()).epoch(real.epoch() + 1000).sequence(1)
            .issuedAtMicros(net.now).logOdds(30).posterior(1.0).versionVectorDigest(real.versionVectorDigest()).build();
        final VerdictCertificate futureEpoch = VerdictCertificate.ofQuorum(later, List.of(VerdictSignature.sign(later, forger.key, forger.certificate)));
        final int otherShard = (real.shard() + 1) % CONFIG.shards();
        final Verdict elsewhere = Verdict.convict(real.agentId()).f(0).shard(otherShard).epoch(real.epoch()).sequence(1)
            .issuedAtMicros(net.now).logOdds(30).posterior(1.0).versionVectorDigest(real.versionVectorDigest()).build();
        final VerdictCertificate wrongShard = VerdictCertificate.ofQuorum(elsewhere,
            List.of(VerdictSignature.sign(elsewhere, forger.key, forger.certificate)));

        target.verdicts.onMessage(forger.key.nodeId(), "n3", new FleetMessage.CertificateMessage(byOne).encode());
        target.verdicts.onMessage(forger.key.nodeId(), "n3", new FleetMessage.CertificateMessage(wrongShard).encode());
        assertThat(target.verdicts.counters().refused("certificate-committee")).isEqualTo(2);
        // an epoch this node has no directory for yet: held until it has, not kept
        final long heldBefore = target.verdicts.counters().held();
        target.verdicts.onMessage(forger.key.nodeId(), "n3", new FleetMessage.CertificateMessage(futureEpoch).encode());
        assertThat(target.verdicts.counters().held()).isEqualTo(heldBefore + 1);
        assertThat(target.verdicts.internalErrors()).isZero();
        net.run(3_000_000);
        for (final VerdictNet.Node n : net.nodes) {
            assertThat(ids(n)).as("node " + n.index + " kept no forged conviction").containsExactly(real.id());
        }
    }
}
