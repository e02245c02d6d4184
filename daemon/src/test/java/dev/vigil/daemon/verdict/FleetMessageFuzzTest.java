package dev.vigil.daemon.verdict;

import dev.vigil.crypto.Certificate;
import dev.vigil.crypto.ClusterCa;
import dev.vigil.crypto.PrivateKey;
import dev.vigil.crypto.verdict.Verdict;
import dev.vigil.crypto.verdict.VerdictCertificate;
import dev.vigil.crypto.verdict.VerdictSignature;
import dev.vigil.daemon.consensus.Batch;
import dev.vigil.daemon.consensus.Committee;
import dev.vigil.daemon.consensus.CommitteeDirectory;
import dev.vigil.daemon.consensus.KeySigner;
import dev.vigil.daemon.consensus.Limits;
import dev.vigil.daemon.consensus.MessageKind;
import dev.vigil.daemon.consensus.Proposal;
import dev.vigil.daemon.consensus.Request;
import dev.vigil.daemon.consensus.Vote;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The layer above the transport fuzz ({@code FrameGateFuzzTest}): what {@link FleetVerdicts#onMessage}
 * does with every kind of fleet message when it is garbage, truncated, oversized, forged or replayed.
 * Never throws, never counts an internal error, and every message ends in exactly one outcome counter
 * ({@link VerdictCounters}: accepted, ignored, held or refused by reason); the consensus messages
 * carried in replica messages are refused by the replicas by reason ({@link FleetVerdicts#replicaRefusals()}).
 *
 * <p>The fleet is {@link VerdictNet}'s five nodes in memory, settled (directory held, seats active)
 * and having convicted one agent, so that real samples of every tag were sent; the node under test
 * is node 2 (an observer of the convicted agent and a member of committees).
 */
class FleetMessageFuzzTest {
    /** Scores count as given (no tempering): the fuzz needs a settled fleet with a verdict, not the statistic's calibration. */
    private static final VerdictConfig CONFIG = VerdictConfig.defaults().withShards(4).withDirectoryInterval(1_000_000).withLlrTemper(1.0);
    private static final int SAMPLES_PER_TAG_MAX = 32;

    /** A settled fleet with samples of what its nodes sent, by tag. */
    private static final class Fleet {
        final VerdictNet net = new VerdictNet(5, CONFIG);
        final Map<Integer, List<byte[]>> samples = new HashMap<>();
        final VerdictNet.Node target;

        Fleet() {
            for (final VerdictNet.Node n : net.nodes) {
                n.sendFilter = m -> {
                    final List<byte[]> l = samples.computeIfAbsent(m.length == 0 ? -1 : m[0] & 0xFF, k -> new ArrayList<>());
                    if (l.size() < SAMPLES_PER_TAG_MAX) {
                        l.add(m.clone());
                    }
                    return true;
                };
            }
            net.run(3_000_000);
            double a = 0;
            double b = 0;
            for (int w = 0; w < 6; w++) {
                a += 4;
                b += 3.5;
                net.nodes.get(2).verdicts.onScore("rogue", 4, a);
                net.nodes.get(3).verdicts.onScore("rogue", 3.5, b);
                net.run(500_000);
            }
            net.run(3_000_000);
            target = net.nodes.get(2);
            assertThat(target.received).as("the fleet convicted its rogue").hasSize(1);
        }

        List<byte[]> samples(final int tag) {
            return samples.getOrDefault(tag, List.of());
        }

        long id(final int node) {
            return net.nodes.get(node).key.nodeId();
        }

        /** Feeds one message to the target as if from {@code from}; asserts it ended in exactly one outcome. */
        void feed(final int from, final byte[] bytes) {
            final VerdictCounters c = target.verdicts.counters();
            final long received = c.received();
            final long outcomes = c.outcomes();
            target.verdicts.onMessage(id(from), "n" + from, bytes);
            assertThat(target.verdicts.internalErrors()).as("internal errors").isZero();
            assertThat(c.received()).isEqualTo(received + 1);
            assertThat(c.outcomes()).as("outcomes of one message").isEqualTo(outcomes + 1);
        }

        long refused(final String reason) {
            return target.verdicts.counters().refused(reason);
        }

        long replicaRefused(final String reason) {
            return target.verdicts.replicaRefusals().getOrDefault(reason, 0L);
        }

        /** A shard whose committee has the target, and the target's seat status there. */
        Committeeship.SeatStatus seat() {
            final long epoch = target.verdicts.directory().epoch();
            return target.verdicts.seats().stream().filter(s -> s.epoch() == epoch && s.mode().equals("active")).findFirst().orElseThrow();
        }

        /** The node index of a member of the committee other than the target and the primary of {@code view}. */
        int backup(final Committee c, final long view) {
            for (int i = 0; i < net.nodes.size(); i++) {
                final int at = c.indexOf(id(i));
                if (at >= 0 && i != target.index && at != c.primaryIndex(view)) {
                    return i;
                }
            }
            throw new AssertionError("no backup");
        }

        int primary(final Committee c, final long view) {
            final long pid = c.memberId(c.primaryIndex(view));
            for (int i = 0; i < net.nodes.size(); i++) {
                if (id(i) == pid) {
                    return i;
                }
            }
            throw new AssertionError("no primary");
        }

        /** A node that is not on the committee (five nodes, committees of four). */
        int nonMember(final Committee c) {
            for (int i = 0; i < net.nodes.size(); i++) {
                if (c.indexOf(id(i)) < 0) {
                    return i;
                }
            }
            throw new AssertionError("everyone is a member");
        }
    }

    private static Fleet shared;

    private static synchronized Fleet shared() {
        if (shared == null) {
            shared = new Fleet();
        }
        return shared;
    }

    private Fleet fleet;

    @BeforeEach
    void settle() {
        fleet = new Fleet();
    }

    // ---------------------------------------------------------------- any bytes

    @Property(tries = 3000)
    void anyBytesEndInExactlyOneCounterAndNothingThrows(@ForAll("messages") final byte[] bytes,
                                                       @ForAll @IntRange(min = 0, max = 4) final int from) {
        final Fleet f = shared();
        f.feed(from, bytes);
        final VerdictCounters c = f.target.verdicts.counters();
        assertThat(c.outcomes()).isEqualTo(c.received());
    }

    @Provide
    Arbitrary<byte[]> messages() {
        final Fleet f = shared();
        final List<byte[]> all = new ArrayList<>();
        f.samples.values().forEach(all::addAll);
        final Arbitrary<byte[]> sample = Arbitraries.of(all);
        final Arbitrary<byte[]> random = Arbitraries.bytes().array(byte[].class).ofMaxSize(600);
        final Arbitrary<byte[]> tagged = Combinators.combine(Arbitraries.integers().between(0, 8), random).as((tag, body) -> {
            final byte[] m = new byte[body.length + 1];
            m[0] = (byte)(int)tag;
            System.arraycopy(body, 0, m, 1, body.length);
            return m;
        });
        final Arbitrary<byte[]> flipped = Combinators.combine(sample, Arbitraries.integers().between(0, Integer.MAX_VALUE),
            Arbitraries.integers().between(0, 7)).as((m, at, bit) -> {
                final byte[] out = m.clone();
                out[at % out.length] ^= (byte)(1 << bit);
                return out;
            });
        final Arbitrary<byte[]> cut = Combinators.combine(sample, Arbitraries.integers().between(0, Integer.MAX_VALUE))
            .as((m, at) -> Arrays.copyOf(m, at % (m.length + 1)));
        final Arbitrary<byte[]> grown = Combinators.combine(sample, Arbitraries.bytes().array(byte[].class).ofMinSize(1).ofMaxSize(64))
            .as((m, tail) -> {
                final byte[] out = Arrays.copyOf(m, m.length + tail.length);
                System.arraycopy(tail, 0, out, m.length, tail.length);
                return out;
            });
        return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(1, random), net.jqwik.api.Tuple.of(2, tagged),
            net.jqwik.api.Tuple.of(2, sample), net.jqwik.api.Tuple.of(3, flipped), net.jqwik.api.Tuple.of(2, cut),
            net.jqwik.api.Tuple.of(1, grown));
    }

    // ---------------------------------------------------------------- every tag, truncated, oversized, garbled

    @Test
    void everyTagTruncatedGrownOrGarbledEndsInOneCounter() {
        for (int tag = FleetMessage.TAG_REPLICA; tag <= FleetMessage.TAG_CERTIFICATE; tag++) {
            final List<byte[]> samples = fleet.samples(tag);
            assertThat(samples).as("samples of tag " + tag).isNotEmpty();
            final byte[] m = samples.get(0);
            final long malformedBefore = fleet.refused("malformed");
            int truncations = 0;
            for (int len = 0; len < m.length; len += Math.max(1, m.length / 97)) {
                fleet.feed(1, Arrays.copyOf(m, len));
                truncations++;
            }
            final byte[] grown = Arrays.copyOf(m, m.length + 5000);
            fleet.feed(1, grown);
            for (int i = 1; i < m.length; i += Math.max(1, m.length / 31)) {
                final byte[] g = m.clone();
                g[i] ^= 0x5A;
                fleet.feed(1, g);
            }
            // a tag's body cut short never decodes: at least every cut inside the fixed-size header is malformed
            assertThat(fleet.refused("malformed") - malformedBefore).as("tag " + tag + " malformed").isPositive();
            assertThat(truncations).isPositive();
        }
        final VerdictCounters c = fleet.target.verdicts.counters();
        assertThat(c.outcomes()).isEqualTo(c.received());
    }

    // ---------------------------------------------------------------- directories

    @Test
    void directoriesNotFromTheRootBadlySignedOrStaleAreRefusedOrIgnored() {
        final CommitteeDirectory held = fleet.target.verdicts.directory();
        final VerdictNet.Node root = fleet.net.nodes.get(0);
        final VerdictNet.Node other = fleet.net.nodes.get(3);
        final List<CommitteeDirectory.Candidate> candidates = held.candidates();

        final CommitteeDirectory byOther = CommitteeDirectory.signed(held.epoch() + 1, new KeySigner(other.key), candidates);
        fleet.feed(3, new FleetMessage.DirectoryMessage(other.certificate, byOther, null).encode());
        assertThat(fleet.refused("directory-not-root")).isEqualTo(1);

        final CommitteeDirectory rootNamedOtherSigned = new CommitteeDirectory(held.epoch() + 1, root.key.nodeId(), candidates,
            byOther.signature());
        fleet.feed(1, new FleetMessage.DirectoryMessage(root.certificate, rootNamedOtherSigned, null).encode());
        assertThat(fleet.refused("directory-signature")).isEqualTo(1);

        final CommitteeDirectory genuine = CommitteeDirectory.signed(held.epoch() + 1, new KeySigner(root.key), candidates);
        fleet.feed(1, new FleetMessage.DirectoryMessage(other.certificate, genuine, null).encode());
        assertThat(fleet.refused("directory-issuer")).isEqualTo(1);

        final ClusterCa otherCa = new ClusterCa(VerdictNet.key(77));
        final Certificate rootByOtherCa = otherCa.issue(root.key.publicKey(), Instant.parse("2026-01-01T00:00:00Z"), Duration.ofDays(365));
        fleet.feed(1, new FleetMessage.DirectoryMessage(rootByOtherCa, genuine, null).encode());
        assertThat(fleet.refused("directory-certificate")).isEqualTo(1);

        final long ignoredBefore = fleet.target.verdicts.counters().ignoredByTag().getOrDefault("directory", 0L);
        final CommitteeDirectory stale = CommitteeDirectory.signed(held.epoch(), new KeySigner(root.key), candidates);
        fleet.feed(0, new FleetMessage.DirectoryMessage(root.certificate, stale, null).encode());
        assertThat(fleet.target.verdicts.counters().ignoredByTag().get("directory")).isEqualTo(ignoredBefore + 1);
        assertThat(fleet.target.verdicts.directory()).isEqualTo(held);
    }

    @Test
    void aNewDirectoryFollowsTheIssuersPreviousEpochNotADifferentOneThisNodeHeld() {
        // a fork: while the tree was split this node took an epoch E + 1 that is not the one the root's E + 2 follows
        final CommitteeDirectory held = fleet.target.verdicts.directory();
        final VerdictNet.Node root = fleet.net.nodes.get(0);
        final KeySigner rootSigner = new KeySigner(root.key);
        final List<CommitteeDirectory.Candidate> all = held.candidates();
        final List<CommitteeDirectory.Candidate> withoutThree = all.stream().filter(c -> c.nodeId() != fleet.id(3)).toList();
        final List<CommitteeDirectory.Candidate> withoutFour = all.stream().filter(c -> c.nodeId() != fleet.id(4)).toList();
        final CommitteeDirectory taken = CommitteeDirectory.signed(held.epoch() + 1, rootSigner, withoutThree);
        fleet.feed(0, new FleetMessage.DirectoryMessage(root.certificate, taken, held).encode());
        assertThat(fleet.target.verdicts.directory()).isEqualTo(taken);

        final CommitteeDirectory followed = CommitteeDirectory.signed(held.epoch() + 1, rootSigner, withoutFour);
        final CommitteeDirectory next = CommitteeDirectory.signed(held.epoch() + 2, rootSigner, all);
        fleet.feed(0, new FleetMessage.DirectoryMessage(root.certificate, next, followed).encode());
        assertThat(fleet.target.verdicts.directory()).isEqualTo(next);
        assertThat(fleet.target.verdicts.counters().directoryForks()).isEqualTo(1);
        for (int shard = 0; shard < CONFIG.shards(); shard++) {
            assertThat(fleet.target.verdicts.committee(shard, held.epoch() + 1).members()).as("shard " + shard)
                .isEqualTo(dev.vigil.daemon.consensus.Committees.select(followed, shard, CONFIG.f()).members());
        }
    }

    // ---------------------------------------------------------------- evidence

    @Test
    void evidenceUnderAnotherNodesCertificateOrAnotherCasIsRefused() {
        final Committeeship.SeatStatus seat = fleet.seat();
        final VerdictNet.Node three = fleet.net.nodes.get(3);
        final byte[] request = Request.signed(new KeySigner(three.key), seat.shard(), 1, new byte[8]).encode();
        fleet.feed(3, new FleetMessage.EvidenceMessage(fleet.net.nodes.get(4).certificate, seat.shard(), seat.epoch(), request).encode());
        assertThat(fleet.refused("evidence-observer")).isEqualTo(1);

        final ClusterCa otherCa = new ClusterCa(VerdictNet.key(77));
        final Certificate foreign = otherCa.issue(three.key.publicKey(), Instant.parse("2026-01-01T00:00:00Z"), Duration.ofDays(365));
        fleet.feed(3, new FleetMessage.EvidenceMessage(foreign, seat.shard(), seat.epoch(), request).encode());
        assertThat(fleet.refused("evidence-certificate")).isEqualTo(1);

        fleet.feed(3, new FleetMessage.EvidenceMessage(three.certificate, seat.shard(), seat.epoch() + 7, request).encode());
        assertThat(fleet.refused("no-seat")).isEqualTo(1);
    }

    @Test
    void replayedEvidenceIsHandedOnAndTheReplicaRefusesItAsAReplay() {
        final List<byte[]> evidence = fleet.samples(FleetMessage.TAG_EVIDENCE);
        // node 2 itself sent these; replay one of node 3's (the other observer) to the target, a committee member
        byte[] replay = null;
        for (final byte[] m : fleet.samples(FleetMessage.TAG_EVIDENCE)) {
            final FleetMessage.EvidenceMessage e = (FleetMessage.EvidenceMessage)FleetMessage.decode(m);
            final Committee c = fleet.target.verdicts.committee(e.shard(), e.epoch());
            if (e.observer().nodeId() == fleet.id(3) && c != null && c.indexOf(fleet.target.key.nodeId()) >= 0) {
                replay = m;
                break;
            }
        }
        assertThat(evidence).isNotEmpty();
        assertThat(replay).as("an evidence request of node 3 to a committee with the target").isNotNull();
        final long before = fleet.replicaRefused("replay");
        fleet.feed(3, replay);
        assertThat(fleet.replicaRefused("replay")).isEqualTo(before + 1);
    }

    @Test
    void releasePayloadsThatDoNotDecodeOrAreNotTheOperatorsAreOrderedAndRefusedByEveryMember() {
        final VerdictCertificate convict = fleet.target.received.get(0);
        final int shard = convict.verdict().shard();
        final Committee c = fleet.target.verdicts.committee(shard);
        final VerdictNet.Node client = fleet.net.nodes.get(4); // sent no evidence: its request numbers start here
        final Verdict r = Verdict.release("rogue", convict.verdict().id()).f(c.f()).shard(shard).epoch(c.epoch())
            .sequence(convict.verdict().sequence()).issuedAtMicros(fleet.net.now).versionVectorDigest(convict.verdict().versionVectorDigest())
            .build();
        final byte[] byNode = new dev.vigil.daemon.consensus.evidence.ReleaseRequest(
            VerdictCertificate.ofOperator(r, VerdictSignature.signAsOperator(r, client.key)), convict).encode();
        final byte[] garbage = new byte[200];
        new java.util.Random(7).nextBytes(garbage);
        garbage[0] = (byte)dev.vigil.daemon.consensus.evidence.ReleaseRequest.KIND;
        final List<byte[]> payloads = List.of(new byte[] {garbage[0]}, garbage, byNode);
        long seq = 0;
        for (final byte[] payload : payloads) {
            final byte[] request = Request.signed(new KeySigner(client.key), shard, ++seq, payload).encode();
            final byte[] message = new FleetMessage.EvidenceMessage(client.certificate, shard, c.epoch(), request).encode();
            for (final CommitteeDirectory.Candidate m : c.members()) {
                final VerdictNet.Node member = fleet.net.nodes.stream().filter(n -> n.key.nodeId() == m.nodeId()).findFirst().orElseThrow();
                member.verdicts.onMessage(client.key.nodeId(), "n4", message);
            }
            fleet.net.run(2_000_000);
        }
        long refused = 0;
        for (final VerdictNet.Node n : fleet.net.nodes) {
            assertThat(n.verdicts.internalErrors()).as("node " + n.index).isZero();
            assertThat(n.verdicts.counters().releasesApplied()).isZero();
            refused += n.verdicts.counters().releasesRefused();
            n.verdicts.convictedBySeat("rogue").forEach((seat, convicted) -> {
                if (seat.startsWith(shard + "/")) {
                    assertThat(convicted).as("seat " + seat + " of node " + n.index).isTrue();
                }
            });
        }
        assertThat(refused).as("each payload executed and refused by every member").isEqualTo((long)payloads.size() * c.members().size());
    }

    // ---------------------------------------------------------------- acks

    @Test
    void acksFromNonMembersAreRefusedAndAcksForNothingIgnored() {
        // the target observes the rogue: give it a request in flight on the rogue's shard, then ack it from outside the committee
        final int shard = dev.vigil.daemon.consensus.Committees.shardOf("rogue", CONFIG.shards());
        final Committee c = fleet.target.verdicts.committee(shard);
        fleet.target.verdicts.onScore("rogue", 4, 40);
        final int outsider = fleet.nonMember(c);
        fleet.feed(outsider, new FleetMessage.Ack(shard, c.epoch(), 1, 2, 0).encode());
        assertThat(fleet.refused("ack-not-member")).isEqualTo(1);
        final long ignored = fleet.target.verdicts.counters().ignoredByTag().getOrDefault("ack", 0L);
        fleet.feed(1, new FleetMessage.Ack(shard, c.epoch() + 5, 1, 2, 0).encode());
        assertThat(fleet.target.verdicts.counters().ignoredByTag().get("ack")).isEqualTo(ignored + 1);
    }

    // ---------------------------------------------------------------- shares and certificates

    private Verdict verdict(final Committee c, final String agent) {
        return Verdict.convict(agent).f(c.f()).shard(c.shard()).epoch(c.epoch()).view(0).sequence(9).issuedAtMicros(VerdictNet.T0)
            .logOdds(12.5).posterior(0.99999).versionVectorDigest(new byte[32]).observers(new long[] {fleet.id(2), fleet.id(3)}).build();
    }

    private FleetMessage.Share share(final int signer, final Verdict v) {
        final VerdictNet.Node n = fleet.net.nodes.get(signer);
        final VerdictSignature s = VerdictSignature.sign(v, n.key, n.certificate);
        return new FleetMessage.Share(n.certificate, s.signature(), v);
    }

    @Test
    void sharesWithForgedSignaturesOrFromNonMembersAreRefusedByReason() {
        final Committeeship.SeatStatus seat = fleet.seat();
        final Committee c = fleet.target.verdicts.committee(seat.shard(), seat.epoch());
        final Verdict v = verdict(c, "framed-" + seat.shard());
        final int member = fleet.backup(c, 0);
        final FleetMessage.Share good = share(member, v);
        final byte[] forged = good.signature().clone();
        forged[5] ^= 1;
        fleet.feed(member, new FleetMessage.Share(good.signer(), forged, v).encode());
        assertThat(fleet.refused("share-signature")).isEqualTo(1);

        final int outsider = fleet.nonMember(c);
        fleet.feed(outsider, share(outsider, v).encode());
        assertThat(fleet.refused("share-not-member")).isEqualTo(1);

        final Verdict wrongF = Verdict.convict("x").f(c.f() + 1).shard(c.shard()).epoch(c.epoch()).view(0).sequence(9)
            .issuedAtMicros(VerdictNet.T0).logOdds(12.5).posterior(0.99999).versionVectorDigest(new byte[32])
            .observers(new long[] {fleet.id(2)}).build();
        fleet.feed(member, share(member, wrongF).encode());
        assertThat(fleet.refused("share-wrong-f")).isEqualTo(1);

        // one genuine share is taken; the same again is a repeat, not a second signature
        final Map<String, Long> accepted = fleet.target.verdicts.counters().acceptedByTag();
        fleet.feed(member, good.encode());
        fleet.feed(member, good.encode());
        assertThat(fleet.target.verdicts.counters().acceptedByTag().getOrDefault("share", 0L))
            .isEqualTo(accepted.getOrDefault("share", 0L) + 1);
        assertThat(fleet.target.received).as("no certificate from one member's share").hasSize(1);
    }

    @Test
    void certificatesThatDoNotVerifyAreRefusedAndRepeatsIgnored() {
        final Committeeship.SeatStatus seat = fleet.seat();
        final Committee c = fleet.target.verdicts.committee(seat.shard(), seat.epoch());
        final Verdict v = verdict(c, "short-" + seat.shard());
        final int member = fleet.backup(c, 0);
        final VerdictNet.Node n = fleet.net.nodes.get(member);
        final VerdictCertificate tooFew = VerdictCertificate.ofQuorum(v, List.of(VerdictSignature.sign(v, n.key, n.certificate)));
        fleet.feed(member, new FleetMessage.CertificateMessage(tooFew).encode());
        assertThat(fleet.refused("certificate")).isEqualTo(1);

        final ClusterCa otherCa = new ClusterCa(VerdictNet.key(77));
        final List<VerdictSignature> foreign = new ArrayList<>();
        for (int i = 0; i < 5 && foreign.size() < c.quorum(); i++) {
            if (c.indexOf(fleet.id(i)) >= 0) {
                final PrivateKey k = fleet.net.nodes.get(i).key;
                foreign.add(VerdictSignature.sign(v, k, otherCa.issue(k.publicKey(), Instant.parse("2026-01-01T00:00:00Z"),
                    Duration.ofDays(365))));
            }
        }
        fleet.feed(member, new FleetMessage.CertificateMessage(VerdictCertificate.ofQuorum(v, foreign)).encode());
        assertThat(fleet.refused("certificate")).isEqualTo(2);
        assertThat(fleet.target.received).hasSize(1);

        final long ignored = fleet.target.verdicts.counters().ignoredByTag().getOrDefault("certificate", 0L);
        fleet.feed(member, new FleetMessage.CertificateMessage(fleet.target.received.get(0)).encode());
        assertThat(fleet.target.verdicts.counters().ignoredByTag().get("certificate")).isEqualTo(ignored + 1);
    }

    // ---------------------------------------------------------------- consensus messages inside replica messages

    private byte[] replica(final Committee c, final byte[] consensus) {
        return new FleetMessage.ReplicaMessage(c.shard(), c.epoch(), consensus).encode();
    }

    @Test
    void consensusMessagesOfAWrongViewOutsideTheWatermarksOrForgedAreRefusedByTheReplicaByReason() {
        // first a view change on one of the target's committees, so that view 0 is a past view there: its primary
        // falls silent while an observer's requests wait
        final long epoch = fleet.target.verdicts.directory().epoch();
        final Committeeship.SeatStatus before = fleet.target.verdicts.seats().stream()
            .filter(s -> s.epoch() == epoch && fleet.primary(fleet.target.verdicts.committee(s.shard(), epoch), 0) != fleet.target.index)
            .findFirst().orElseThrow();
        final Committee c = fleet.target.verdicts.committee(before.shard(), epoch);
        final VerdictNet.Node silent = fleet.net.nodes.get(fleet.primary(c, 0));
        final java.util.function.Predicate<byte[]> was = silent.sendFilter;
        silent.sendFilter = m -> false;
        String agent = null;
        for (int i = 0; agent == null; i++) {
            if (dev.vigil.daemon.consensus.Committees.shardOf("slow-" + i, CONFIG.shards()) == c.shard()) {
                agent = "slow-" + i;
            }
        }
        final int observer = silent.index == 3 ? 1 : 3;
        for (int w = 1; w <= 4; w++) {
            fleet.net.nodes.get(observer).verdicts.onScore(agent, 3.0, 3.0 * w); // past the send level from the 4th window
            fleet.net.run(500_000);
        }
        fleet.net.run(20_000_000);
        silent.sendFilter = was;
        final Committeeship.SeatStatus seat = fleet.target.verdicts.seats().stream()
            .filter(s -> s.epoch() == epoch && s.shard() == c.shard()).findFirst().orElseThrow();
        assertThat(seat.view()).as("the committee moved past view 0").isPositive();
        assertThat(seat.mode()).isEqualTo("active");

        final int backup = fleet.backup(c, seat.view());
        final KeySigner signer = new KeySigner(fleet.net.nodes.get(backup).key);
        final byte[] digest = new byte[32];
        Arrays.fill(digest, (byte)7);
        // the window's last sequence number: inside the watermarks, beyond what the committee ordered or padded
        final long free = seat.stable() + CONFIG.consensus().windowSeqs();

        final long wrongView = fleet.replicaRefused("wrong-view");
        fleet.feed(backup, replica(c, Vote.signed(MessageKind.PREPARE, c, signer, 0, free, digest).encode()));
        assertThat(fleet.replicaRefused("wrong-view")).isEqualTo(wrongView + 1);
        // a later view is no refusal: verified and held for that view (counted by the replica as held)
        final Map<String, Long> refusalsBefore = fleet.target.verdicts.replicaRefusals();
        fleet.feed(backup, replica(c, Vote.signed(MessageKind.PREPARE, c, signer, seat.view() + 1, free, digest).encode()));
        assertThat(fleet.target.verdicts.replicaRefusals()).isEqualTo(refusalsBefore);

        final long outside = fleet.replicaRefused("outside-watermarks");
        final long far = seat.stable() + CONFIG.consensus().windowSeqs() + 10;
        fleet.feed(backup, replica(c, Vote.signed(MessageKind.PREPARE, c, signer, seat.view(), far, digest).encode()));
        assertThat(fleet.replicaRefused("outside-watermarks")).isEqualTo(outside + 1);

        final long badSignature = fleet.replicaRefused("bad-signature");
        final Vote vote = Vote.signed(MessageKind.PREPARE, c, signer, seat.view(), free, digest);
        final byte[] sig = vote.signature().clone();
        sig[0] ^= 1;
        fleet.feed(backup, replica(c, vote.withSignature(sig).encode()));
        assertThat(fleet.replicaRefused("bad-signature")).isEqualTo(badSignature + 1);
        // signed with the backup's key but claiming to be another member's commit (neither the backup nor the
        // target itself, whose own id would read as its own message come back)
        long claimedId = 0;
        for (int m = 0; m < c.n(); m++) {
            final long id = c.memberId(m);
            if (id != fleet.net.nodes.get(backup).key.nodeId() && id != fleet.target.key.nodeId()) {
                claimedId = id;
                break;
            }
        }
        final Vote spoofed = new Vote(MessageKind.COMMIT, c.shard(), c.epoch(), claimedId, seat.view(), free, digest, new byte[64]);
        fleet.feed(backup, replica(c, spoofed.withSignature(signer.sign(spoofed.signedBytes())).encode()));
        assertThat(fleet.replicaRefused("bad-signature")).isEqualTo(badSignature + 2);

        // the same genuine vote twice: the second is a replay
        final long replay = fleet.replicaRefused("replay");
        fleet.feed(backup, replica(c, vote.encode()));
        fleet.feed(backup, replica(c, vote.encode()));
        assertThat(fleet.replicaRefused("replay")).isEqualTo(replay + 1);
    }

    @Test
    void anOversizedBatchFromThePrimaryIsRefusedAsOversized() {
        final Committeeship.SeatStatus seat = fleet.seat();
        final Committee c = fleet.target.verdicts.committee(seat.shard(), seat.epoch());
        final int primary = fleet.primary(c, seat.view());
        final Limits limits = Limits.of(CONFIG.consensus(), c.n());
        final KeySigner client = new KeySigner(fleet.net.nodes.get(3).key);
        final List<Request> requests = new ArrayList<>();
        for (int i = 0; i <= limits.batchRecordsMax(); i++) {
            requests.add(Request.signed(client, c.shard(), 1000 + i, new byte[4]));
        }
        final Batch big = new Batch(requests);
        final Vote header = Vote.signed(MessageKind.PRE_PREPARE, c, new KeySigner(fleet.net.nodes.get(primary).key), seat.view(),
            seat.lastExecuted() + 1, big.digest());
        final long oversized = fleet.replicaRefused("oversized");
        fleet.feed(primary, replica(c, new Proposal(header, big).encode()));
        assertThat(fleet.replicaRefused("oversized")).isEqualTo(oversized + 1);

        // bytes rather than records: one request whose payload is past the bound
        final Batch heavy = new Batch(List.of(Request.signed(client, c.shard(), 5000, new byte[limits.batchBytesMax() + 1])));
        final Vote heavyHeader = Vote.signed(MessageKind.PRE_PREPARE, c, new KeySigner(fleet.net.nodes.get(primary).key), seat.view(),
            seat.lastExecuted() + 1, heavy.digest());
        fleet.feed(primary, replica(c, new Proposal(heavyHeader, heavy).encode()));
        assertThat(fleet.replicaRefused("oversized")).isEqualTo(oversized + 2);
    }

    @Test
    void replicaMessagesForEpochsFarAheadAreRefusedNotHeld() {
        final Committeeship.SeatStatus seat = fleet.seat();
        final Committee c = fleet.target.verdicts.committee(seat.shard(), seat.epoch());
        final long held = fleet.target.verdicts.counters().held();
        fleet.feed(1, new FleetMessage.ReplicaMessage(c.shard(), c.epoch() + 1, new byte[] {1, 2, 3}).encode());
        assertThat(fleet.target.verdicts.counters().held()).isEqualTo(held + 1);
        fleet.feed(1, new FleetMessage.ReplicaMessage(c.shard(), Long.MAX_VALUE, new byte[] {1, 2, 3}).encode());
        assertThat(fleet.refused("epoch-ahead")).isEqualTo(1);
        assertThat(fleet.target.verdicts.counters().held()).isEqualTo(held + 1);
    }
}
