package dev.vigil.daemon.consensus.evidence;

import dev.vigil.accel.JavaKernels;
import dev.vigil.crypto.Certificate;
import dev.vigil.crypto.ClusterCa;
import dev.vigil.crypto.PrivateKey;
import dev.vigil.crypto.PublicKey;
import dev.vigil.crypto.verdict.Verdict;
import dev.vigil.crypto.verdict.VerdictCertificate;
import dev.vigil.crypto.verdict.VerdictSignature;
import dev.vigil.crypto.verdict.VerificationResult;
import dev.vigil.daemon.consensus.Committee;
import dev.vigil.daemon.consensus.CommitteeDirectory;
import dev.vigil.daemon.consensus.Committees;
import dev.vigil.daemon.consensus.ConsensusConfig;
import dev.vigil.daemon.consensus.Delivery;
import dev.vigil.daemon.consensus.KeySigner;
import dev.vigil.daemon.consensus.LogRecord;
import dev.vigil.daemon.consensus.Replica;
import dev.vigil.daemon.consensus.ReplicaEffects;
import dev.vigil.daemon.consensus.Request;
import dev.vigil.daemon.consensus.TimerKind;
import dev.vigil.daemon.core.NodeLog;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A committee of four real replicas (f = 1, Ed25519 keys certified by a cluster CA) ordering
 * evidence from three observers of one agent, one of them its lying home host: every replica
 * decides the same verdict at the same sequence number, the replicas sign it, and the certificate
 * that 2f + 1 signatures make verifies with the CA's public key alone.
 */
class EvidenceCommitteeTest {
    private static final Instant NOT_BEFORE = Instant.parse("2026-01-01T00:00:00Z");
    private static final long T0 = Instant.parse("2026-06-01T00:00:00Z").toEpochMilli() * 1000;

    private final PrivateKey caKey = key(1);
    private final ClusterCa ca = new ClusterCa(caKey);
    private final Map<Long, PublicKey> keys = new HashMap<>();
    private final Map<Long, PrivateKey> memberKeys = new HashMap<>();
    private final Map<Long, Replica> replicas = new HashMap<>();
    private final Map<Long, EnumMap<TimerKind, Long>> timers = new HashMap<>();
    private final Map<Long, List<Delivery>> delivered = new HashMap<>();
    private final ArrayDeque<Object[]> network = new ArrayDeque<>();
    private long now = T0;

    private static PrivateKey key(final int seed) {
        final byte[] secret = new byte[PrivateKey.LENGTH];
        Arrays.fill(secret, (byte)seed);
        secret[1] = (byte)0x3C;
        return PrivateKey.of(secret);
    }

    @Test
    void aCommitteeConvictsAHiddenAgentAndItsCertificateVerifiesOffline() {
        final List<CommitteeDirectory.Candidate> candidates = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            final PrivateKey k = key(10 + i);
            keys.put(k.nodeId(), k.publicKey());
            memberKeys.put(k.nodeId(), k);
            candidates.add(new CommitteeDirectory.Candidate(k.nodeId(), k.publicKey().encoded(), "m" + i));
        }
        final PrivateKey issuerKey = key(2);
        keys.put(issuerKey.nodeId(), issuerKey.publicKey());
        final Committee committee = Committees.select(CommitteeDirectory.signed(1, new KeySigner(issuerKey), candidates), 5, 1);
        assertThat(committee.n()).isEqualTo(4);
        final ConsensusConfig config = ConsensusConfig.defaults().withF(1);
        final PrivateKey home = key(20);
        final PrivateKey gatewayA = key(21);
        final PrivateKey gatewayB = key(22);
        for (final PrivateKey o : List.of(home, gatewayA, gatewayB)) {
            keys.put(o.nodeId(), o.publicKey());
        }
        final Map<Long, EvidenceState> states = new HashMap<>();
        for (final CommitteeDirectory.Candidate c : committee.members()) {
            final long id = c.nodeId();
            final EvidenceState state = new EvidenceState(EvidenceState.Config.defaults(1), JavaKernels.INSTANCE);
            states.put(id, state);
            timers.put(id, new EnumMap<>(TimerKind.class));
            delivered.put(id, new ArrayList<>());
            replicas.put(id, Replica.start(config, committee, new KeySigner(memberKeys.get(id)), KeySigner.verifier(keys::get),
                state, effects(id, committee), NodeLog.DISCARD, now));
        }
        // the home host hides its agent; the gateways see it misbehave, window after window
        submit(committee, home, 1, new EvidenceBatch.Record(1, "rogue", 1, new double[] {-2.0}));
        submit(committee, gatewayA, 1, new EvidenceBatch.Record(1, "rogue", 1, new double[] {6.0, 7.5, 9.0}));
        submit(committee, gatewayB, 1, new EvidenceBatch.Record(1, "rogue", 1, new double[] {5.5, 6.0, 6.5}));
        run(5_000_000);

        final Map<Long, List<Decision>> decisions = new HashMap<>();
        delivered.forEach((id, ds) -> {
            final List<Decision> mine = new ArrayList<>();
            for (final Delivery d : ds) {
                for (final Delivery.Outcome o : d.outcomes()) {
                    if (o.status() == Delivery.Status.APPLIED) {
                        mine.addAll(EvidenceResult.decode(o.result()).decisions());
                    }
                }
            }
            decisions.put(id, mine);
        });
        final List<Decision> first = decisions.values().iterator().next();
        assertThat(first).hasSize(1);
        decisions.values().forEach(d -> assertThat(d).isEqualTo(first));
        final Decision d = first.get(0);
        assertThat(d.kept()).containsExactly(gatewayB.nodeId());
        assertThat(d.trimmedLow()).containsExactly(home.nodeId());
        assertThat(d.logOdds()).isEqualTo(18.0 + EvidenceState.Config.defaults(1).rule().priorLogOdds());
        final byte[] digest = states.values().iterator().next().snapshot();
        states.values().forEach(s -> assertThat(s.snapshot()).isEqualTo(digest));

        // each member signs the same verdict; any 2f + 1 signatures make a certificate the CA key verifies
        final Verdict verdict = Verdict.convict(d.agent()).f(committee.f()).shard(committee.shard()).epoch(committee.epoch())
            .view(0).sequence(d.seq()).issuedAtMicros(d.issuedAtMicros()).logOdds(d.logOdds()).posterior(d.posterior())
            .versionVectorDigest(d.versionDigest()).observers(d.kept().stream().mapToLong(Long::longValue).toArray()).build();
        final List<VerdictSignature> signatures = new ArrayList<>();
        for (final CommitteeDirectory.Candidate c : committee.members().subList(0, 3)) {
            final PrivateKey k = memberKeys.get(c.nodeId());
            final Certificate cert = ca.issue(k.publicKey(), NOT_BEFORE, Duration.ofDays(365));
            signatures.add(VerdictSignature.sign(verdict, k, cert));
        }
        final VerdictCertificate certificate = VerdictCertificate.ofQuorum(verdict, signatures);
        final VerificationResult ok = VerdictCertificate.decode(certificate.encoded()).verify(caKey.publicKey(), 1);
        assertThat(ok.isValid()).as(ok.toString()).isTrue();
        final VerdictCertificate two = VerdictCertificate.ofQuorum(verdict, signatures.subList(0, 2));
        assertThat(two.verify(caKey.publicKey(), 1).isValid()).as("2f signatures are not a quorum").isFalse();
    }

    private void submit(final Committee committee, final PrivateKey observer, final long requestSeq, final EvidenceBatch.Record... records) {
        final byte[] payload = new EvidenceBatch(now, List.of(records)).encode();
        final byte[] bytes = Request.signed(new KeySigner(observer), committee.shard(), requestSeq, payload).encode();
        replicas.keySet().forEach(id -> network.add(new Object[] {id, bytes}));
    }

    /** Delivers messages in order, then fires the earliest timer, until nothing is left or {@code forMicros} passed. */
    private void run(final long forMicros) {
        final long end = now + forMicros;
        while (now < end) {
            if (!network.isEmpty()) {
                final Object[] m = network.poll();
                now += 100;
                replicas.get((Long)m[0]).onMessage((byte[])m[1], now);
                continue;
            }
            long at = Long.MAX_VALUE;
            long who = 0;
            TimerKind kind = null;
            for (final Map.Entry<Long, EnumMap<TimerKind, Long>> t : timers.entrySet()) {
                for (final Map.Entry<TimerKind, Long> e : t.getValue().entrySet()) {
                    if (e.getValue() < at) {
                        at = e.getValue();
                        who = t.getKey();
                        kind = e.getKey();
                    }
                }
            }
            if (kind == null || at > end) {
                return;
            }
            timers.get(who).remove(kind);
            now = Math.max(now, at);
            replicas.get(who).onTimer(kind, now);
        }
    }

    private ReplicaEffects effects(final long self, final Committee committee) {
        return new ReplicaEffects() {
            @Override
            public void persist(final LogRecord record) {
            }

            @Override
            public void truncate(final long stableSeq) {
            }

            @Override
            public void send(final long nodeId, final byte[] message) {
                network.add(new Object[] {nodeId, message});
            }

            @Override
            public void broadcast(final byte[] message) {
                committee.members().stream().map(CommitteeDirectory.Candidate::nodeId).filter(id -> id != self)
                    .forEach(id -> network.add(new Object[] {id, message}));
            }

            @Override
            public void deliver(final Delivery delivery) {
                delivered.get(self).add(delivery);
            }

            @Override
            public void setTimer(final TimerKind kind, final long atMicros) {
                if (atMicros == NEVER) {
                    timers.get(self).remove(kind);
                } else {
                    timers.get(self).put(kind, atMicros);
                }
            }
        };
    }
}
