package dev.vigil.daemon.consensus.evidence;

import dev.vigil.accel.CombineRule;
import dev.vigil.accel.JavaKernels;
import dev.vigil.crypto.Certificate;
import dev.vigil.crypto.ClusterCa;
import dev.vigil.crypto.PrivateKey;
import dev.vigil.crypto.verdict.Verdict;
import dev.vigil.crypto.verdict.VerdictCertificate;
import dev.vigil.crypto.verdict.VerdictSignature;
import dev.vigil.daemon.consensus.Request;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EvidenceStateTest {
    private static final long HOME = 0x1111L;
    private static final long GATEWAY_A = 0x2222L;
    private static final long GATEWAY_B = 0x3333L;
    private static final long T0 = 1_767_225_600_000_000L;
    private static final double PRIOR = StrictMath.log(1e-4 / (1 - 1e-4));

    private final EvidenceState.Config config = EvidenceState.Config.defaults(1);
    private long requestSeq;

    private EvidenceState state() {
        return new EvidenceState(config, JavaKernels.INSTANCE, CA.publicKey());
    }

    private Request request(final long observer, final EvidenceBatch.Record... records) {
        return new Request(7, observer, ++requestSeq, new EvidenceBatch(T0, List.of(records)).encode(), new byte[64]);
    }

    private static EvidenceBatch.Record rec(final long seq, final String agent, final double... xs) {
        return new EvidenceBatch.Record(seq, agent, 1, xs);
    }

    private static EvidenceResult apply(final EvidenceState s, final long seq, final Request r) {
        final List<byte[]> out = s.apply(seq, List.of(r));
        assertThat(out).hasSize(1);
        return EvidenceResult.decode(out.get(0));
    }

    @Test
    void duplicatesAreDroppedAndAGapWaitsUntilItFills() {
        final EvidenceState s = state();
        assertThat(apply(s, 1, request(HOME, rec(1, "a", 1.0)))).satisfies(r -> {
            assertThat(r.applied()).isEqualTo(1);
            assertThat(r.nextExpected()).isEqualTo(2);
        });
        final EvidenceResult gap = apply(s, 2, request(HOME, rec(3, "a", 4.0)));
        assertThat(gap.applied()).isZero();
        assertThat(gap.held()).isEqualTo(1);
        assertThat(gap.nextExpected()).as("the observer is told where to resend from").isEqualTo(2);
        assertThat(s.applied(HOME)).isEqualTo(1);
        final EvidenceResult dup = apply(s, 3, request(HOME, rec(1, "a", 1.0)));
        assertThat(dup.duplicates()).isEqualTo(1);
        assertThat(dup.applied()).isZero();
        final EvidenceResult filled = apply(s, 4, request(HOME, rec(2, "a", 2.0), rec(3, "a", 4.0)));
        assertThat(filled.applied()).as("2, then the waiting 3").isEqualTo(2);
        assertThat(filled.duplicates()).as("3 was already waiting").isEqualTo(1);
        assertThat(filled.held()).isZero();
        assertThat(s.applied(HOME)).isEqualTo(3);
        // one observer: no quorum at f = 1, but its total is exact: 1 + 2 + 4
        assertThat(s.combination("a").quorum()).isFalse();
        assertThat(s.combination("a").logOdds()).isEqualTo(7.0 + PRIOR);
    }

    @Test
    void anAgentItsHomeHidesIsConvictedOnTwoHonestGateways() throws Exception {
        final EvidenceState s = state();
        apply(s, 1, request(HOME, rec(1, "rogue", -3.0)));
        apply(s, 2, request(GATEWAY_A, rec(1, "rogue", 9.0, 9.0, 9.0)));
        final EvidenceResult r = apply(s, 3, request(GATEWAY_B, rec(1, "rogue", 8.0, 10.0)));
        assertThat(r.decisions()).hasSize(1);
        final Decision d = r.decisions().get(0);
        assertThat(d.agent()).isEqualTo("rogue");
        assertThat(d.seq()).isEqualTo(3);
        assertThat(d.issuedAtMicros()).isEqualTo(T0);
        assertThat(d.trimmedLow()).containsExactly(HOME);
        assertThat(d.trimmedHigh()).as("27 clipped to 20").containsExactly(GATEWAY_A);
        assertThat(d.kept()).containsExactly(GATEWAY_B);
        assertThat(d.logOdds()).isEqualTo(18.0 + PRIOR);
        assertThat(d.posterior()).isGreaterThanOrEqualTo(0.999);
        assertThat(d.versionDigest()).isEqualTo(s.versionVectorDigest())
            .as("SHA-256 of the domain tag and (observer, dot) pairs").isEqualTo(digest(HOME, 1, GATEWAY_A, 1, GATEWAY_B, 1));
        assertThat(s.convicted("rogue")).isTrue();
        // one decision per agent: more evidence decides nothing new
        assertThat(apply(s, 4, request(GATEWAY_B, rec(2, "rogue", 5.0))).decisions()).isEmpty();
    }

    private static byte[] digest(final long... pairs) throws Exception {
        final java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-256");
        sha.update("vigil-version-vector-v1".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        final ByteBuffer b = ByteBuffer.allocate(8 * pairs.length).order(ByteOrder.LITTLE_ENDIAN);
        for (final long p : pairs) {
            b.putLong(p);
        }
        sha.update(b.array());
        return sha.digest();
    }

    @Test
    void aLiarFramingAnAgentAloneNeverConvictsIt() {
        final EvidenceState s = state();
        apply(s, 1, request(HOME, rec(1, "innocent", 0.4)));
        apply(s, 2, request(GATEWAY_A, rec(1, "innocent", 0.1)));
        final EvidenceResult r = apply(s, 3, request(GATEWAY_B, rec(1, "innocent", 1e6, 1e6, 1e6)));
        assertThat(r.decisions()).isEmpty();
        assertThat(s.convicted("innocent")).isFalse();
        assertThat(s.combination("innocent").trimmedHigh()).containsExactly(2);
        assertThat(s.combination("innocent").logOdds()).isEqualTo(0.4 + PRIOR);
    }

    @Test
    void aSilentObserverCountsAsZeroSoOneGatewayAloneDecidesNothingAndTwoAgreeingOnesDo() {
        final EvidenceState s = state();
        assertThat(apply(s, 1, request(GATEWAY_A, rec(1, "x", 20.0, 20.0))).decisions())
            .as("one observer against two absent ones (0, 0): trimmed high, nothing kept").isEmpty();
        assertThat(s.combination("x")).as("the state holds the one observer it heard").isNotNull();
        final EvidenceResult r = apply(s, 2, request(GATEWAY_B, rec(1, "x", 20.0, 20.0)));
        assertThat(r.decisions()).hasSize(1);
        final Decision d = r.decisions().get(0);
        assertThat(d.kept()).as("one of the two 20s; the absent observer's 0 was trimmed low").hasSize(1);
        assertThat(d.trimmedLow()).as("only real observers are named").isEmpty();
        assertThat(d.trimmedHigh()).hasSize(1);
        assertThat(d.logOdds()).isEqualTo(20.0 + PRIOR);
        assertThat(s.convicted("x")).isTrue();
    }

    @Test
    void aNewExcursionStartsTheSumAgainAndAClosedOneIsIgnored() {
        final EvidenceState s = state();
        apply(s, 1, request(HOME, new EvidenceBatch.Record(1, "a", 4, new double[] {5.0})));
        apply(s, 2, request(HOME, new EvidenceBatch.Record(2, "a", 5, new double[] {2.0})));
        final EvidenceResult stale = apply(s, 3, request(HOME, new EvidenceBatch.Record(3, "a", 4, new double[] {100.0})));
        assertThat(stale.applied()).isZero();
        assertThat(s.applied(HOME)).as("its dot still counts").isEqualTo(3);
        assertThat(s.combination("a").logOdds()).isEqualTo(2.0 + PRIOR);
    }

    @Test
    void theSameEvidenceInAnyOrderAndBatchingGivesTheSameStateBitForBit() {
        final List<long[]> observers = List.of(new long[] {HOME}, new long[] {GATEWAY_A}, new long[] {GATEWAY_B}, new long[] {0x4444L});
        final Random data = new Random(42);
        // per observer 40 records over 5 agents, increments of mixed sizes and signs
        final List<List<EvidenceBatch.Record>> byObserver = new ArrayList<>();
        for (int o = 0; o < observers.size(); o++) {
            final List<EvidenceBatch.Record> rs = new ArrayList<>();
            for (int k = 1; k <= 40; k++) {
                final double[] xs = new double[1 + data.nextInt(4)];
                for (int i = 0; i < xs.length; i++) {
                    xs[i] = (data.nextDouble() - 0.3) * Math.pow(10, data.nextInt(7) - 3);
                }
                rs.add(new EvidenceBatch.Record(k, "agent-" + data.nextInt(5), 1, xs));
            }
            byObserver.add(rs);
        }
        byte[] first = null;
        for (int trial = 0; trial < 30; trial++) {
            final Random order = new Random(trial);
            // cut every observer's records into random chunks, shuffle all chunks (gaps wait), and
            // resend a random chunk now and then (duplicates)
            final List<Request> requests = new ArrayList<>();
            for (int o = 0; o < observers.size(); o++) {
                final List<EvidenceBatch.Record> rs = byObserver.get(o);
                for (int i = 0; i < rs.size(); ) {
                    final int n = 1 + order.nextInt(6);
                    final List<EvidenceBatch.Record> chunk = rs.subList(i, Math.min(rs.size(), i + n));
                    requests.add(new Request(7, observers.get(o)[0], ++requestSeq, new EvidenceBatch(T0, chunk).encode(), new byte[64]));
                    if (order.nextInt(4) == 0) {
                        requests.add(new Request(7, observers.get(o)[0], ++requestSeq, new EvidenceBatch(T0, chunk).encode(), new byte[64]));
                    }
                    i += n;
                }
            }
            Collections.shuffle(requests, order); // a prior of -1e12 keeps every posterior at 0: no decision depends on the order
            final EvidenceState s = new EvidenceState(new EvidenceState.Config(new CombineRule(1e9, 1, -1e12), 0.999, 16, 16, 16, 64),
                JavaKernels.INSTANCE);
            long seq = 0;
            for (int i = 0; i < requests.size(); ) {
                final int n = 1 + order.nextInt(5);
                s.apply(++seq, requests.subList(i, Math.min(requests.size(), i + n)));
                i += n;
            }
            observers.forEach(o -> assertThat(s.applied(o[0])).isEqualTo(40));
            final byte[] snap = s.snapshot();
            if (first == null) {
                first = snap;
            } else {
                assertThat(snap).as("trial %d", trial).isEqualTo(first);
            }
        }
    }

    @Test
    void aSnapshotRestoresTheSameStateAndBothGoOnAlike() {
        final EvidenceState s = state();
        apply(s, 1, request(HOME, rec(1, "a", 1.5), rec(2, "b", -2.25)));
        apply(s, 2, request(GATEWAY_A, rec(1, "a", 3.0), rec(3, "a", 0.5))); // 3 waits
        final EvidenceState t = state();
        t.restore(s.snapshot());
        assertThat(t.snapshot()).isEqualTo(s.snapshot());
        assertThat(t.versionVectorDigest()).isEqualTo(s.versionVectorDigest());
        final Request next = request(GATEWAY_A, rec(2, "b", 7.0));
        assertThat(s.apply(3, List.of(next)).get(0)).isEqualTo(t.apply(3, List.of(next)).get(0));
        assertThat(t.snapshot()).isEqualTo(s.snapshot());
        assertThat(t.applied(GATEWAY_A)).isEqualTo(3);
        final byte[] snap = s.snapshot();
        assertThatThrownBy(() -> state().restore(java.util.Arrays.copyOf(snap, snap.length - 1)))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("truncated");
    }

    @Test
    void boundsRefuseRecordsButTheirDotsCount() {
        final EvidenceState s = new EvidenceState(new EvidenceState.Config(new CombineRule(20, 1, PRIOR), 0.999, 2, 2, 1, 2),
            JavaKernels.INSTANCE);
        final EvidenceResult r = apply(s, 1, request(HOME, rec(1, "a", 1), rec(2, "b", 1), rec(3, "c", 1)));
        assertThat(r.applied()).isEqualTo(2);
        assertThat(r.refused()).as("a third agent over agents_max 2").isEqualTo(1);
        assertThat(s.applied(HOME)).isEqualTo(3);
        assertThat(apply(s, 2, request(GATEWAY_A, rec(1, "a", 1))).refused()).as("a second observer of a over 1 per agent").isEqualTo(1);
        assertThat(apply(s, 3, request(GATEWAY_B, rec(1, "a", 1))).refusal()).contains("observers_max");
        assertThat(apply(s, 3, request(GATEWAY_B, rec(2, "a", 1))).refusal()).as("records that would wait count too").contains("observers_max");
        final EvidenceResult held = apply(s, 4, request(HOME, rec(5, "a", 1), rec(6, "a", 1), rec(7, "a", 1)));
        assertThat(held.held()).as("held_per_observer_max 2").isEqualTo(2);
        assertThat(held.nextExpected()).isEqualTo(4);
        final EvidenceState t = new EvidenceState(new EvidenceState.Config(new CombineRule(20, 1, PRIOR), 0.999, 1, 2, 1, 2),
            JavaKernels.INSTANCE);
        assertThat(apply(t, 1, request(HOME, rec(2, "a", 1))).held()).as("an observer known only by a waiting record").isEqualTo(1);
        assertThat(apply(t, 2, request(GATEWAY_A, rec(2, "a", 1))).refusal()).contains("observers_max");
    }

    @Test
    void malformedEvidenceIsRefusedByTheFieldItBreaks() {
        final EvidenceState s = state();
        final byte[] good = new EvidenceBatch(T0, List.of(rec(1, "a", 1.0))).encode();
        assertThat(apply(s, 1, new Request(7, HOME, 1, java.util.Arrays.copyOf(good, good.length + 1), new byte[64])).refusal())
            .contains("trailing");
        assertThat(apply(s, 2, new Request(7, HOME, 2, java.util.Arrays.copyOf(good, good.length - 3), new byte[64])).refusal())
            .contains("truncated");
        final byte[] nan = good.clone();
        ByteBuffer.wrap(nan).order(ByteOrder.LITTLE_ENDIAN).putDouble(nan.length - 8, Double.NaN);
        assertThat(apply(s, 3, new Request(7, HOME, 3, nan, new byte[64])).refusal()).contains("increment 0").contains("not finite");
        final byte[] version = good.clone();
        version[0] = 9;
        assertThat(apply(s, 4, new Request(7, HOME, 4, version, new byte[64])).refusal()).contains("version 9");
        final byte[] order = new EvidenceBatch(T0, List.of(rec(2, "a", 1.0), rec(3, "a", 1.0))).encode();
        ByteBuffer.wrap(order).order(ByteOrder.LITTLE_ENDIAN).putLong(11, 5L); // first record's seq above the second's
        assertThat(apply(s, 5, new Request(7, HOME, 5, order, new byte[64])).refusal()).contains("not above");
        assertThat(s.applied(HOME)).as("nothing of a refused request is applied").isZero();
        assertThatThrownBy(() -> rec(1, "a", new double[EvidenceBatch.INCREMENTS_MAX + 1])).hasMessageContaining("at most 64");
    }

    // ---------------------------------------------------------------- operator releases

    private static final PrivateKey CA_KEY = key(1);
    private static final ClusterCa CA = new ClusterCa(CA_KEY);
    private static final List<PrivateKey> MEMBERS = List.of(key(11), key(12), key(13), key(14));
    private static final List<Certificate> MEMBER_CERTIFICATES = MEMBERS.stream()
        .map(k -> CA.issue(k.publicKey(), Instant.parse("2025-06-01T00:00:00Z"), Duration.ofDays(730))).toList();

    private static PrivateKey key(final int seed) {
        final byte[] secret = new byte[PrivateKey.LENGTH];
        Arrays.fill(secret, (byte)seed);
        return PrivateKey.of(secret);
    }

    /** The certificate the committee (shard 7, f = 1) makes of a decision, signed by {@code signers} members, as Committeeship does. */
    private static VerdictCertificate convict(final Decision d, final int signers) {
        final Verdict v = Verdict.convict(d.agent()).f(1).shard(7).epoch(3).view(0).sequence(d.seq()).issuedAtMicros(d.issuedAtMicros())
            .logOdds(d.logOdds()).posterior(d.posterior()).versionVectorDigest(d.versionDigest())
            .observers(d.kept().stream().mapToLong(Long::longValue).toArray()).build();
        final List<VerdictSignature> signatures = new ArrayList<>();
        for (int i = 0; i < signers; i++) {
            signatures.add(VerdictSignature.sign(v, MEMBERS.get(i), MEMBER_CERTIFICATES.get(i)));
        }
        return VerdictCertificate.ofQuorum(v, signatures);
    }

    private static Verdict releaseOf(final String agent, final VerdictCertificate convict) {
        final Verdict c = convict.verdict();
        return Verdict.release(agent, c.id()).f(c.f()).shard(c.shard()).epoch(c.epoch()).sequence(c.sequence())
            .issuedAtMicros(T0 + 3_600_000_000L).versionVectorDigest(c.versionVectorDigest()).build();
    }

    /** The operator's release of {@code convict}: signed with {@code signer} (the CA key, when genuine). */
    private static VerdictCertificate release(final VerdictCertificate convict, final PrivateKey signer) {
        final Verdict v = releaseOf(convict.verdict().agentId(), convict);
        return VerdictCertificate.ofOperator(v, VerdictSignature.signAsOperator(v, signer));
    }

    private Request releaseRequest(final int shard, final VerdictCertificate release, final VerdictCertificate convict) {
        return new Request(shard, HOME, ++requestSeq, new ReleaseRequest(release, convict).encode(), new byte[64]);
    }

    /** Convicts "rogue" at seq 3 on the two gateways (as anAgentItsHomeHidesIsConvictedOnTwoHonestGateways). */
    private Decision convictRogue(final EvidenceState s) {
        apply(s, 1, request(HOME, rec(1, "rogue", -3.0)));
        apply(s, 2, request(GATEWAY_A, rec(1, "rogue", 9.0, 9.0, 9.0)));
        final EvidenceResult r = apply(s, 3, request(GATEWAY_B, rec(1, "rogue", 8.0, 10.0)));
        assertThat(r.decisions()).hasSize(1);
        return r.decisions().get(0);
    }

    /**
     * Evidence an observer sends after it saw a release depends on it: it waits (with the
     * observer's later dots) until the committee applied that release, then goes in, counted from
     * the release's zero; if it decides, the release's result carries the decision.
     */
    @Test
    void evidenceThatDependsOnAReleaseNotAppliedYetWaitsForItThenCounts() {
        final EvidenceState s = state();
        final VerdictCertificate convict = convict(convictRogue(s), 3);
        final long key = EvidenceBatch.convictionKey(convict.verdict().versionVectorDigest());
        assertThat(key).isNotZero();
        final EvidenceResult early = apply(s, 4, request(GATEWAY_A, new EvidenceBatch.Record(2, "rogue", 1, new double[] {9.0, 9.0}, key),
            rec(3, "other", 1.0)));
        assertThat(early.applied()).isZero();
        assertThat(early.held()).as("the record that depends on the release, and the observer's next dot behind it").isEqualTo(2);
        assertThat(early.nextExpected()).isEqualTo(2);
        assertThat(s.applied(GATEWAY_A)).isEqualTo(1);
        apply(s, 5, request(GATEWAY_B, new EvidenceBatch.Record(2, "rogue", 1, new double[] {9.0, 9.0}, key)));
        // a record naming another conviction (a stale release's, a second release of an older one) does not wait
        final EvidenceState other = state();
        other.restore(s.snapshot());
        assertThat(apply(other, 6, request(HOME, new EvidenceBatch.Record(2, "rogue", 1, new double[] {1.0}, key + 1))).applied())
            .isOne();
        final byte[] waiting = s.snapshot();
        final EvidenceState restored = state();
        restored.restore(waiting);
        assertThat(restored.snapshot()).as("held records keep what they depend on").isEqualTo(waiting);

        final EvidenceResult released = apply(s, 6, releaseRequest(7, release(convict, CA_KEY), convict));
        assertThat(released.released()).isEqualTo("rogue");
        assertThat(s.applied(GATEWAY_A)).as("went in once the release was applied").isEqualTo(3);
        assertThat(s.applied(GATEWAY_B)).isEqualTo(2);
        assertThat(released.decisions()).as("18 from each gateway, counted from the release's zero: convicted again").singleElement()
            .satisfies(d -> {
                assertThat(d.agent()).isEqualTo("rogue");
                assertThat(d.kept()).containsExactly(GATEWAY_A);
            });
        assertThat(EvidenceResult.decode(released.encode())).isEqualTo(released);
        assertThat(restored.apply(6, List.of(releaseRequest(7, release(convict, CA_KEY), convict)))).hasSize(1);
        assertThat(restored.snapshot()).as("the restored state goes alike").isEqualTo(s.snapshot());
    }

    @Test
    void anOperatorReleaseClearsTheConvictionAndOnlyNewEvidenceConvictsAgain() {
        final EvidenceState s = state();
        final Decision first = convictRogue(s);
        final VerdictCertificate convict = convict(first, 3);
        assertThat(s.convictedSeq("rogue")).isEqualTo(3);

        final EvidenceResult released = apply(s, 4, releaseRequest(7, release(convict, CA_KEY), convict));
        assertThat(released.refusal()).isNull();
        assertThat(released.released()).isEqualTo("rogue");
        assertThat(released.nextExpected()).as("the submitter's dots are untouched").isEqualTo(2);
        assertThat(s.convicted("rogue")).isFalse();
        assertThat(s.convictedSeq("rogue")).isZero();
        assertThat(s.combination("rogue").logOdds()).as("every observer's total starts again at 0").isEqualTo(PRIOR);
        assertThat(s.applied(GATEWAY_A)).as("the version vector stays").isEqualTo(1);

        assertThat(apply(s, 5, releaseRequest(7, release(convict, CA_KEY), convict)).refusal())
            .as("the same release again").contains("not convicted here");

        // the same excursion goes on: its new increments count from zero, and convict again
        assertThat(apply(s, 6, request(GATEWAY_A, rec(2, "rogue", 9.0, 9.0))).decisions()).isEmpty();
        final EvidenceResult again = apply(s, 7, request(GATEWAY_B, rec(2, "rogue", 8.0, 10.0)));
        assertThat(again.decisions()).hasSize(1);
        final Decision second = again.decisions().get(0);
        assertThat(second.seq()).isEqualTo(7);
        assertThat(second.logOdds()).as("18 + 18 clipped to 20 would be more: only the new evidence counts").isEqualTo(18.0 + PRIOR);
        assertThat(s.convicted("rogue")).isTrue();
        final VerdictCertificate reconvict = convict(second, 3);
        assertThat(reconvict.verdict().id()).isNotEqualTo(convict.verdict().id());

        assertThat(apply(s, 8, releaseRequest(7, release(convict, CA_KEY), convict)).refusal())
            .as("the first release replayed against the second conviction").contains("stale").contains("seq 7");
        assertThat(s.convicted("rogue")).isTrue();
        assertThat(apply(s, 9, releaseRequest(7, release(reconvict, CA_KEY), reconvict)).released()).isEqualTo("rogue");
        assertThat(s.convicted("rogue")).isFalse();
    }

    @Test
    void forgedMismatchedOrUncheckableReleasesAreRefusedWithTheirReasonAndChangeNothing() {
        final EvidenceState s = state();
        final VerdictCertificate convict = convict(convictRogue(s), 3);
        final VerdictCertificate genuine = release(convict, CA_KEY);
        final byte[] before = s.snapshot();
        long seq = 10;

        assertThat(apply(s, seq++, releaseRequest(7, release(convict, MEMBERS.get(0)), convict)).refusal())
            .as("signed by a node's key as if the operator").contains("not by the cluster CA");
        final byte[] bent = genuine.encoded();
        bent[bent.length - 1] ^= 1;
        assertThat(apply(s, seq++, releaseRequest(7, VerdictCertificate.decode(bent), convict)).refusal())
            .as("one bit of the signature changed").contains("does not verify");
        final Verdict quorumRelease = releaseOf("rogue", convict);
        final List<VerdictSignature> members = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            members.add(VerdictSignature.sign(quorumRelease, MEMBERS.get(i), MEMBER_CERTIFICATES.get(i)));
        }
        assertThat(apply(s, seq++, releaseRequest(7, VerdictCertificate.ofQuorum(quorumRelease, members), convict)).refusal())
            .as("a committee's release").contains("not an operator's RELEASE");
        final Verdict otherAgent = releaseOf("innocent", convict);
        assertThat(apply(s, seq++, releaseRequest(7, VerdictCertificate.ofOperator(otherAgent,
            VerdictSignature.signAsOperator(otherAgent, CA_KEY)), convict)).refusal()).contains("names agent 'innocent'");
        final VerdictCertificate otherConvict = convict(new Decision("rogue", 2, T0, 18.0 + PRIOR, 0.9999, List.of(GATEWAY_B),
            List.of(HOME), List.of(GATEWAY_A), s.versionVectorDigest()), 3);
        assertThat(apply(s, seq++, releaseRequest(7, genuine, otherConvict)).refusal())
            .as("the release of one verdict with another").contains("retracts verdict " + convict.verdict().id());
        assertThat(apply(s, seq++, releaseRequest(7, release(otherConvict, CA_KEY), otherConvict)).refusal())
            .as("a conviction of another sequence than the one held").contains("stale").contains("of seq 2");
        final VerdictCertificate otherState = convict(new Decision("rogue", 3, T0, 18.0 + PRIOR, 0.9999, List.of(GATEWAY_B),
            List.of(HOME), List.of(GATEWAY_A), new byte[32]), 3);
        assertThat(apply(s, seq++, releaseRequest(7, release(otherState, CA_KEY), otherState)).refusal())
            .as("a conviction at the same sequence on another version vector (another epoch's)").contains("stale");
        final VerdictCertificate oneSigner = convict(convictRogueDecision(convict), 1);
        assertThat(apply(s, seq++, releaseRequest(7, release(oneSigner, CA_KEY), oneSigner)).refusal())
            .as("a convict certificate one member signed").contains("retracted verdict's certificate").contains("needs 2f+1");
        assertThat(apply(s, seq++, releaseRequest(8, genuine, convict)).refusal()).contains("request for shard 8");
        assertThat(apply(s, seq++, releaseRequest(7, convict, convict)).refusal()).as("a conviction as the release")
            .contains("not an operator's RELEASE");
        final byte[] payload = new ReleaseRequest(genuine, convict).encode();
        assertThat(apply(s, seq++, new Request(7, HOME, ++requestSeq, Arrays.copyOf(payload, payload.length - 5), new byte[64])).refusal())
            .contains("truncated");
        final EvidenceState noCa = new EvidenceState(config, JavaKernels.INSTANCE);
        convictRogue(noCa);
        assertThat(apply(noCa, 4, releaseRequest(7, genuine, convict)).refusal()).contains("no CA key");
        assertThat(noCa.convicted("rogue")).isTrue();

        assertThat(s.convicted("rogue")).isTrue();
        assertThat(s.snapshot()).as("no refused release changed the state").isEqualTo(before);
        assertThat(apply(s, seq, releaseRequest(7, genuine, convict)).released()).as("the genuine one still releases").isEqualTo("rogue");
    }

    /** The decision behind {@code convict}, read back from its verdict (to re-sign it differently). */
    private static Decision convictRogueDecision(final VerdictCertificate convict) {
        final Verdict v = convict.verdict();
        return new Decision(v.agentId(), v.sequence(), v.issuedAtMicros(), v.logOdds(), v.posterior(),
            Arrays.stream(v.observers()).boxed().toList(), List.of(), List.of(), v.versionVectorDigest());
    }

    @Test
    void aSnapshotKeepsTheConvictionsSequenceAndAReleaseGoesAlikeOnTheRestoredState() {
        final EvidenceState s = state();
        final VerdictCertificate convict = convict(convictRogue(s), 3);
        final byte[] snap = s.snapshot();
        assertThat(snap[0]).isEqualTo((byte)EvidenceState.SNAPSHOT_VERSION);
        final EvidenceState t = state();
        t.restore(snap);
        assertThat(t.snapshot()).isEqualTo(snap);
        assertThat(t.convictedSeq("rogue")).isEqualTo(3);
        final Request release = releaseRequest(7, release(convict, CA_KEY), convict);
        assertThat(t.apply(4, List.of(release)).get(0)).isEqualTo(s.apply(4, List.of(release)).get(0));
        assertThat(t.snapshot()).isEqualTo(s.snapshot());
        assertThat(t.convicted("rogue")).isFalse();
        final byte[] other = snap.clone();
        other[0] = 9;
        assertThatThrownBy(() -> state().restore(other)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("version 9");
    }

    @Test
    void aVersionOneSnapshotStillRestoresAndItsConvictedAgentTakesAValidRelease() {
        final EvidenceState s = state();
        final VerdictCertificate convict = convict(convictRogue(s), 3);
        final byte[] v1 = versionOne(s.snapshot(), 3, "rogue");
        final EvidenceState t = state();
        t.restore(v1);
        assertThat(t.convicted("rogue")).isTrue();
        assertThat(t.convictedSeq("rogue")).as("taken before releases existed: unknown").isEqualTo(EvidenceState.CONVICTED_SEQ_UNKNOWN);
        assertThat(t.versionVectorDigest()).isEqualTo(s.versionVectorDigest());
        assertThat(t.combination("rogue").logOdds()).isEqualTo(s.combination("rogue").logOdds());
        assertThat(t.snapshot()[0]).as("written back in the new version").isEqualTo((byte)EvidenceState.SNAPSHOT_VERSION);
        final EvidenceState u = state();
        u.restore(t.snapshot());
        assertThat(u.snapshot()).isEqualTo(t.snapshot());
        // any valid conviction of the agent in this shard: none other than this one could have been issued before releases
        final VerdictCertificate elsewhere = convict(new Decision("rogue", 99, T0, 18.0 + PRIOR, 0.9999, List.of(GATEWAY_B),
            List.of(), List.of(), new byte[32]), 3);
        assertThat(apply(t, 4, releaseRequest(7, release(elsewhere, MEMBERS.get(1)), elsewhere)).refusal()).contains("cluster CA");
        assertThat(apply(t, 5, releaseRequest(7, release(convict, CA_KEY), convict)).released()).isEqualTo("rogue");
        assertThat(t.convicted("rogue")).isFalse();
    }

    /**
     * The version 1 form of a version 3 snapshot holding no held records and one agent,
     * {@code agent}, convicted: without the conviction's sequence and digest.
     */
    private static byte[] versionOne(final byte[] v2, final int observers, final String agent) {
        final ByteBuffer b = ByteBuffer.wrap(v2).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(b.getInt(1)).isEqualTo(observers);
        final int held = 1 + 4 + 16 * observers;
        assertThat(b.getInt(held)).as("no held records").isZero();
        assertThat(b.getInt(held + 4)).as("one agent").isEqualTo(1);
        final int flag = held + 4 + 4 + 2 + agent.getBytes(StandardCharsets.UTF_8).length;
        assertThat(v2[flag]).as("convicted").isEqualTo((byte)1);
        final byte[] v1 = new byte[v2.length - 8 - 32];
        System.arraycopy(v2, 0, v1, 0, flag + 1);
        System.arraycopy(v2, flag + 1 + 8 + 32, v1, flag + 1, v2.length - flag - 1 - 40);
        v1[0] = 1;
        return v1;
    }
}
