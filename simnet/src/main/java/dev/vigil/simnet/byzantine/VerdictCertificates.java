package dev.vigil.simnet.byzantine;

import dev.vigil.crypto.Certificate;
import dev.vigil.crypto.ClusterCa;
import dev.vigil.crypto.PrivateKey;
import dev.vigil.crypto.verdict.Verdict;
import dev.vigil.crypto.verdict.VerdictCertificate;
import dev.vigil.crypto.verdict.VerdictSignature;
import dev.vigil.crypto.verdict.VerificationResult;
import dev.vigil.daemon.consensus.Committee;
import dev.vigil.daemon.consensus.evidence.Decision;
import dev.vigil.simnet.consensus.ConsensusSim;
import dev.vigil.simnet.consensus.SimNode;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Each verdict of a run made into a certificate as §9 describes: 2f + 1 honest members, certified
 * by a cluster CA drawn from the seed, sign the same verdict (agent, shard, epoch, sequence number,
 * log-odds, posterior, version-vector digest, observers kept); the certificate must then verify
 * with the CA's public key alone, after an encode and decode. The signers are the first 2f + 1
 * honest members, and they sign at the end of the run, naming the view they are in then.
 */
final class VerdictCertificates {
    /** The CA's key number among the run's keys (members 0 to n - 1, the directory issuer 999, clients from 1000). */
    private static final int CA_KEY = 998;

    private VerdictCertificates() {
    }

    /** Broken invariants; {@code verified} gets one count per certificate that verified. */
    static List<String> check(final ConsensusSim sim, final EvidenceWorkload workload, final long[] verified) {
        final List<String> failed = new ArrayList<>();
        final PrivateKey caKey = sim.key(CA_KEY);
        final ClusterCa ca = new ClusterCa(caKey);
        final Committee committee = sim.nodes()[0].replica == null ? null : sim.nodes()[0].replica.committee();
        final List<SimNode> signers = new ArrayList<>();
        for (final SimNode node : sim.nodes()) {
            if (node.honest() && node.replica != null && signers.size() < 2 * sim.scenario().f() + 1) {
                signers.add(node);
            }
        }
        if (committee == null || signers.size() < 2 * sim.scenario().f() + 1) {
            return workload.verdicts.isEmpty() ? failed : List.of("fewer than 2f + 1 honest members up to sign verdicts");
        }
        final Instant notBefore = Instant.ofEpochSecond(ConsensusSim.T0_MICROS / 1_000_000).minus(Duration.ofDays(1));
        final List<Certificate> certificates = new ArrayList<>();
        for (final SimNode s : signers) {
            certificates.add(ca.issue(s.key.publicKey(), notBefore, Duration.ofDays(365)));
        }
        for (final Decision d : workload.verdicts.values()) {
            final Verdict verdict = Verdict.convict(d.agent()).f(committee.f()).shard(committee.shard()).epoch(committee.epoch())
                .view(signers.get(0).replica.status().view()).sequence(d.seq()).issuedAtMicros(d.issuedAtMicros())
                .logOdds(d.logOdds()).posterior(d.posterior()).versionVectorDigest(d.versionDigest())
                .observers(d.kept().stream().mapToLong(Long::longValue).toArray()).build();
            final List<VerdictSignature> signatures = new ArrayList<>();
            for (int i = 0; i < signers.size(); i++) {
                signatures.add(VerdictSignature.sign(verdict, signers.get(i).key, certificates.get(i)));
            }
            final byte[] encoded = VerdictCertificate.ofQuorum(verdict, signatures).encoded();
            final VerificationResult ok = VerdictCertificate.decode(encoded).verify(caKey.publicKey(), committee.f());
            if (ok.isValid()) {
                verified[0]++;
            } else {
                failed.add("the verdict certificate on " + d.agent() + " does not verify: " + ok);
            }
        }
        return failed;
    }
}
